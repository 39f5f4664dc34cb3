//! A transaction's timeline, from the event log and the journal: submitted (in the node's pool),
//! included (in a best block), finalized, failed, held for review, approved or rejected, and the
//! entries that settled it; and an account's activity, each item with its transaction's timeline.
//! A transfer the compliance pallet holds is settled by a later call (the officer's approval),
//! found through the review case both events name.

use crate::{extrinsic::Seen, pending::PendingView, store::Store};
use anyhow::Result;
use serde::Serialize;
use utoipa::ToSchema;

/// One step of a timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Step {
	/// `submitted`, `included`, `finalized`, `failed`, `heldForReview`, `approved`, `rejected`,
	/// `expired` or `settled`.
	pub step: String,
	pub block: u32,
	/// The review case, for the review steps.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub case: Option<String>,
	/// The journal entries the step booked (for `settled`).
	#[serde(skip_serializing_if = "Vec::is_empty")]
	pub entries: Vec<i64>,
}

/// A transaction's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Timeline {
	/// The extrinsic's hash, `0x`-prefixed.
	pub extrinsic: String,
	/// `submitted` (in the node's pool), `pending` (in a best block only), `finalized`,
	/// `failed`, `heldForReview`, `rejected`, `expired` or `settled`.
	pub status: String,
	pub steps: Vec<Step>,
	/// The holders its entries moved (for scoping API keys).
	#[serde(skip)]
	pub holders: Vec<String>,
}

fn step(step: &str, block: u32) -> Step {
	Step { step: step.into(), block, case: None, entries: Vec::new() }
}

/// The timeline of an extrinsic in pending block `block`: included, not final yet.
pub fn included(seen: &Seen, block: u32) -> Timeline {
	unbooked(seen, "pending", "included", block)
}

/// The timeline of an extrinsic waiting in the node's pool while `best` is the best block.
pub fn submitted(seen: &Seen, best: u32) -> Timeline {
	unbooked(seen, "submitted", "submitted", best)
}

fn unbooked(seen: &Seen, status: &str, only_step: &str, block: u32) -> Timeline {
	Timeline {
		extrinsic: format!("0x{}", hex::encode(seen.hash)),
		status: status.into(),
		steps: vec![step(only_step, block)],
		holders: seen.signer.iter().cloned().collect(),
	}
}

/// Something that moved an account: a transaction with its timeline, or what a block did
/// outside transactions (at its start or end, or derived from storage).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Activity {
	/// The last journal entry of it that moves the account (the page's `next`); absent for
	/// what is not booked yet.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub seq: Option<i64>,
	pub block: u32,
	/// `ApplyExtrinsic(i)`, `Initialization`, `Finalization`, `Derived` or `Genesis`.
	pub phase: String,
	/// The transaction's hash, for `ApplyExtrinsic` phases and what is not booked yet.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub extrinsic: Option<String>,
	/// As a transaction's timeline: `submitted`, `pending`, `failed`, `heldForReview`,
	/// `approved`, `rejected`, `expired` or `settled`.
	pub status: String,
	pub steps: Vec<Step>,
	/// The entries of this phase that move the account.
	#[serde(skip_serializing_if = "Vec::is_empty")]
	pub entries: Vec<i64>,
}

impl Activity {
	/// Not booked yet: a transaction in a pending block or the pool.
	pub fn unbooked(timeline: Timeline) -> Self {
		Self {
			seq: None,
			block: timeline.steps.first().map_or(0, |s| s.block),
			phase: String::new(),
			extrinsic: Some(timeline.extrinsic),
			status: timeline.status,
			steps: timeline.steps,
			entries: Vec::new(),
		}
	}
}

impl Store {
	pub(crate) async fn extrinsic_at(&self, hash: &[u8; 32]) -> Result<Option<(u32, i32)>> {
		let row = self
			.client
			.query_opt(
				"SELECT block, extrinsic_index FROM chain_extrinsic WHERE hash = $1 \
				 ORDER BY block LIMIT 1",
				&[&&hash[..]],
			)
			.await?;
		row.map(|r| Ok((u32::try_from(r.get::<_, i64>(0))?, r.get(1)))).transpose()
	}

	/// The events of one phase of a block: pallet, name, object.
	pub(crate) async fn phase_events(
		&self,
		block: u32,
		phase: &str,
	) -> Result<Vec<(String, String, Option<String>)>> {
		let rows = self
			.client
			.query(
				"SELECT pallet, name, object FROM chain_event WHERE block = $1 AND phase = $2 \
				 ORDER BY event_index",
				&[&i64::from(block), &phase],
			)
			.await?;
		Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
	}

	/// Later events about object `object` of `pallet`: block, phase, name.
	async fn object_events(
		&self,
		pallet: &str,
		object: &str,
	) -> Result<Vec<(u32, String, String)>> {
		let rows = self
			.client
			.query(
				"SELECT block, phase, name FROM chain_event WHERE pallet = $1 AND object = $2 \
				 ORDER BY block, event_index",
				&[&pallet, &object],
			)
			.await?;
		rows.iter().map(|r| Ok((u32::try_from(r.get::<_, i64>(0))?, r.get(1), r.get(2)))).collect()
	}

	/// The entries booked in `phases` of `block`, and the holders they moved.
	async fn entries_in(&self, block: u32, phases: &[&str]) -> Result<(Vec<i64>, Vec<String>)> {
		let phases: Vec<String> = phases.iter().map(|p| p.to_string()).collect();
		let rows = self
			.client
			.query(
				"SELECT e.seq, l.holder FROM journal_entry e JOIN journal_line l ON l.seq = e.seq \
				 WHERE e.block = $1 AND e.phase = ANY ($2) ORDER BY e.seq",
				&[&i64::from(block), &phases],
			)
			.await?;
		let mut seqs: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
		seqs.dedup();
		let mut holders: Vec<String> = rows.iter().filter_map(|r| r.get(1)).collect();
		holders.sort_unstable();
		holders.dedup();
		Ok((seqs, holders))
	}

	/// What moved holder `who` after entry `after`, oldest first: one item per block phase with
	/// entries of it (at most `limit`), each with its transaction's timeline.
	pub async fn activity(&self, who: &str, after: i64, limit: i64) -> Result<Vec<Activity>> {
		let rows = self
			.client
			.query(
				"SELECT e.block, e.phase, array_agg(DISTINCT e.seq ORDER BY e.seq), x.hash \
				 FROM journal_entry e JOIN journal_line l ON l.seq = e.seq \
				 LEFT JOIN chain_extrinsic x ON x.block = e.block \
				   AND e.phase = 'ApplyExtrinsic(' || x.extrinsic_index || ')' \
				 WHERE l.holder = $1 AND e.seq > $2 \
				 GROUP BY e.block, e.phase, x.hash ORDER BY min(e.seq) LIMIT $3",
				&[&who, &after, &limit],
			)
			.await?;
		let mut out = Vec::with_capacity(rows.len());
		for row in rows {
			let block = u32::try_from(row.get::<_, i64>(0))?;
			let phase: String = row.get(1);
			let entries: Vec<i64> = row.get(2);
			let hash: Option<Vec<u8>> = row.get(3);
			let timeline = match hash.as_deref().map(<[u8; 32]>::try_from) {
				Some(Ok(hash)) => self.timeline(&hash, None).await?,
				_ => None,
			};
			let (extrinsic, status, steps) = match timeline {
				Some(t) => (Some(t.extrinsic), t.status, t.steps),
				None => {
					let settled = Step { entries: entries.clone(), ..step("settled", block) };
					(None, "settled".into(), vec![step("finalized", block), settled])
				}
			};
			out.push(Activity {
				seq: entries.last().copied(),
				block,
				phase,
				extrinsic,
				status,
				steps,
				entries,
			});
		}
		Ok(out)
	}

	/// The timeline of extrinsic `hash`: from the books if it is in a finalized block booked,
	/// else from the pending view; `None` if neither has seen it.
	pub async fn timeline(
		&self,
		hash: &[u8; 32],
		pending: Option<&PendingView>,
	) -> Result<Option<Timeline>> {
		let extrinsic = format!("0x{}", hex::encode(hash));
		let Some((block, index)) = self.extrinsic_at(hash).await? else {
			let seen =
				pending.and_then(|view| view.extrinsics.iter().find(|(s, _)| &s.hash == hash));
			return Ok(seen.map(|(seen, block)| included(seen, *block)));
		};
		let phase = format!("ApplyExtrinsic({index})");
		let mut steps = vec![step("included", block), step("finalized", block)];
		let mut status = "finalized".to_string();
		let (entries, mut holders) = self.entries_in(block, &[&phase]).await?;
		let mut settled_here = true;
		for (pallet, name, object) in self.phase_events(block, &phase).await? {
			match (pallet.as_str(), name.as_str()) {
				("System", "ExtrinsicFailed") => {
					steps.push(step("failed", block));
					status = "failed".into();
					settled_here = false;
				}
				("Compliance", "TransferHeld") => {
					let case = object.unwrap_or_default();
					steps.push(Step { case: Some(case.clone()), ..step("heldForReview", block) });
					status = "heldForReview".into();
					settled_here = false;
					for (at, at_phase, outcome) in self.object_events("Compliance", &case).await? {
						let (name, settles) = match outcome.as_str() {
							"CaseApproved" => ("approved", true),
							"CaseRejected" => ("rejected", false),
							"CaseExpired" => ("expired", false),
							_ => continue,
						};
						steps.push(Step { case: Some(case.clone()), ..step(name, at) });
						status = name.into();
						if settles {
							let (seqs, moved) = self
								.entries_in(at, &[&at_phase, crate::ingest::DERIVED_PHASE])
								.await?;
							holders.extend(moved);
							steps.push(Step { entries: seqs, ..step("settled", at) });
							status = "settled".into();
						}
					}
				}
				_ => {}
			}
		}
		if settled_here {
			steps.push(Step { entries, ..step("settled", block) });
			status = "settled".into();
		}
		holders.sort_unstable();
		holders.dedup();
		Ok(Some(Timeline { extrinsic, status, steps, holders }))
	}
}
