//! The pending view: what the blocks after the last one booked, up to the best block, would
//! book, kept in memory only (never in the journal). It is rebuilt from the best chain every
//! time the best block changes, so a reorg replaces the blocks it dropped; the books themselves
//! follow finalized blocks only.

use crate::{
	events::ChainEvent,
	extrinsic::Seen,
	ingest::{Draft, Ingest, Prior},
	postings::{self, Line},
};
use anyhow::Result;
use polkadot_sdk::sp_core::H256;
use std::{
	collections::HashMap,
	sync::{Arc, RwLock},
	time::Duration,
};

/// The most blocks the pending view covers (a node far behind finality is not followed block
/// by block).
pub const MAX_PENDING_BLOCKS: u32 = 256;

/// The unfinalized blocks' entries, from the block after the books' last one to `best`.
#[derive(Clone, Debug, Default)]
pub struct PendingView {
	/// The last block booked (finalized) and the best block the view reaches.
	pub booked: u32,
	pub best: u32,
	pub lines: Vec<Line>,
	/// The pending blocks' extrinsics, with the number of the block that has each.
	pub extrinsics: Vec<(Seen, u32)>,
}

impl PendingView {
	/// What the pending blocks post to the accounts of holder `who`.
	pub fn holder_lines<'a>(&'a self, who: &'a str) -> impl Iterator<Item = &'a Line> + 'a {
		self.lines.iter().filter(move |l| postings::holder(&l.account) == Some(who))
	}
}

pub type SharedPending = Arc<RwLock<PendingView>>;

/// One pending block, drafted.
#[derive(Clone)]
struct Drafted {
	/// Its events that concern an object (a case, swap, channel, …).
	events: Vec<ChainEvent>,
	drafts: Vec<Draft>,
	extrinsics: Vec<Seen>,
}

pub struct Tracker {
	pub ingest: Ingest,
	pub view: SharedPending,
	/// Entries of blocks already drafted, by hash (a block's entries do not change; only which
	/// blocks are on the best chain does).
	cache: HashMap<H256, Drafted>,
	/// The best block and the last block booked when the view was last built.
	built_for: Option<(H256, u32)>,
}

impl Tracker {
	pub fn new(ingest: Ingest, view: SharedPending) -> Self {
		Self { ingest, view, cache: HashMap::new(), built_for: None }
	}

	pub async fn run(&mut self) -> Result<()> {
		loop {
			self.update().await?;
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// Drafts the best chain's blocks after the last one booked.
	pub async fn update(&mut self) -> Result<()> {
		let Some(cursor) = self.ingest.store.cursor().await? else { return Ok(()) };
		let (best, best_hash) = self.ingest.chain.best().await?;
		if self.built_for == Some((best_hash, cursor.block)) {
			return Ok(());
		}
		let mut branch = Vec::new();
		let (mut number, mut hash) = (best, best_hash);
		while number > cursor.block && branch.len() < MAX_PENDING_BLOCKS as usize {
			branch.push(hash);
			hash = self.ingest.chain.header(hash).await?.parent_hash;
			number -= 1;
		}
		branch.reverse();
		let mut prior = Prior::default();
		let mut extrinsics = Vec::new();
		for (n, hash) in branch.iter().enumerate() {
			let Drafted { events, drafts, extrinsics: hashes } = match self.cache.get(hash) {
				Some(cached) => cached.clone(),
				None => {
					let (events, drafts) = self.ingest.block_entries(*hash, &prior).await?;
					let extrinsics = self.ingest.extrinsics(*hash).await?;
					// Only what a later block's derivation looks up: the objects' parties.
					let events = events.into_iter().filter(|e| e.object.is_some()).collect();
					let drafted = Drafted { events, drafts, extrinsics };
					self.cache.insert(*hash, drafted.clone());
					drafted
				}
			};
			let number = cursor.block.saturating_add(n as u32 + 1);
			extrinsics.extend(hashes.into_iter().map(|h| (h, number)));
			prior.drafts.extend(drafts);
			prior.events.extend(events);
		}
		let drafts = prior.drafts;
		self.cache.retain(|hash, _| branch.contains(hash));
		let view = PendingView {
			booked: cursor.block,
			best: cursor.block.saturating_add(branch.len() as u32),
			lines: drafts.into_iter().flat_map(|(_, _, _, lines)| lines).collect(),
			extrinsics,
		};
		*self.view.write().unwrap_or_else(|e| e.into_inner()) = view;
		self.built_for = Some((best_hash, cursor.block));
		Ok(())
	}
}
