//! A watchtower that is really a third party: a service (`tpw tower`) that other users hand
//! their states to over an authenticated, encrypted connection, without giving it their store
//! or keys, and that learns nothing about a channel's balances until a stale close happens.
//!
//! The equivalent of Lightning's altruist towers (encrypted justice data keyed by a hint only
//! the breach reveals): each time a state `old` is superseded by `newer`, a party hands the
//! tower a [`Blob`]: `newer` (signed by both), sealed under a key derived from the party's own
//! signature on `old`, and filed under a hint derived from it too. That signature appears on
//! chain only when `old` is submitted, in a `close` or `challenge` extrinsic. Then the tower
//! reads it from that extrinsic, finds the blobs by their hint, opens them, follows them to the
//! newest state both parties signed, and challenges with it until the chain holds it. Before
//! that, it holds opaque bytes: it cannot tell whose channel they belong to, or what they say.
//!
//! A close on the deposits (no state) reveals nothing secret, so a tower cannot answer it; a
//! party's own watchtower (`tpw watch`) does.
//!
//! - [`blob`]: sealing and opening.
//! - [`record`]: the framing of its files.
//! - [`store`]: the tower's bounded, append-only store of blobs.
//! - [`keeper`]: the service that takes blobs from clients.
//! - [`watch`]: following the chain and pursuing challenges.
//! - [`uploader`]: a party's outbox and its link to the tower.

pub mod blob;
pub mod keeper;
pub mod record;
pub mod store;
pub mod uploader;
pub mod watch;

pub use blob::{hint_of, is_cosigned, open, seal, Blob, Hint, MAX_BLOB};
pub use keeper::Keeper;
pub use store::{BlobStore, Limits, MAX_BATCH};
pub use uploader::{TowerAddr, Uploader};
pub use watch::{newest_after, signed_state_in, Tower};

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		keys::Keys,
		protocol::{
			payload,
			tests::{pair, step, CTX, GENESIS},
			Update,
		},
		store::tests::TempDir,
		AccountId, ChannelInfo, PayloadKind, SignedState,
	};
	use codec::Encode;
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
	use std::{fs::OpenOptions, io::Write};
	use tpwallet_payment_channels_primitives::ChannelStatus;

	const LIMITS: Limits = Limits { quota: 3, capacity: 100 };

	/// Alice's and Bob's keys, co-signed states 1..=n of a channel between them, and its info.
	fn states(n: u64) -> (Keys, Keys, Vec<SignedState>, ChannelInfo) {
		let (alice, mut ca, bob, mut cb) = pair();
		let mut out = Vec::new();
		for _ in 0..n {
			step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 1 }, &CTX).unwrap();
			out.push(cb.signed().unwrap());
		}
		let info = ChannelInfo {
			party_a: ca.party_a.clone(),
			party_b: ca.party_b.clone(),
			asset: NativeOrWithId::Native,
			deposits: ca.chain_deposits,
			status: ChannelStatus::Open,
		};
		(alice, bob, out, info)
	}

	/// Bob's blobs for states 2..=n, each sealed under his signature on the one before.
	fn bobs_blobs(s: &[SignedState]) -> Vec<Blob> {
		s.windows(2).map(|w| seal(&w[0].sig_b, &w[1]).unwrap()).collect()
	}

	fn account(uri: &str) -> AccountId {
		Keys::from_uri(uri).unwrap().account().clone()
	}

	#[test]
	fn a_blob_opens_only_with_the_signature_it_was_sealed_under() {
		let (_, _, s, _) = states(3);
		let blob = seal(&s[0].sig_b, &s[1]).unwrap();
		assert_eq!(blob.hint, hint_of(&s[0].sig_b));
		assert_eq!(open(&s[0].sig_b, &s[0], &blob.sealed), Some(s[1].clone()));
		// The other signature, or another state's, neither finds nor opens it.
		assert_ne!(hint_of(&s[0].sig_a), blob.hint);
		assert_eq!(open(&s[0].sig_a, &s[0], &blob.sealed), None);
		assert_eq!(open(&s[1].sig_b, &s[1], &blob.sealed), None);
		// Tampered: refused.
		let mut bad = blob.sealed.clone();
		bad[3] ^= 1;
		assert_eq!(open(&s[0].sig_b, &s[0], &bad), None);
		// An older state dressed as a successor: refused.
		let backwards = seal(&s[2].sig_b, &s[1]).unwrap();
		assert_eq!(open(&s[2].sig_b, &s[2], &backwards.sealed), None);
		// Nothing in the blob reads as the state: no channel id in clear.
		assert!(!blob.sealed.windows(8).any(|w| w == s[1].state.channel.to_le_bytes()));
	}

	#[test]
	fn the_closing_state_is_found_in_an_extrinsic_and_checked() {
		let (_, _, s, info) = states(2);
		// Some bytes, then a call's arguments: the channel id and `Some(signed)`.
		let mut ext = vec![0x84, 7, 7, 7];
		ext.extend_from_slice(&(s[0].state.channel, Some(&s[0])).encode());
		ext.extend_from_slice(&[1, 2, 3]);
		let found = signed_state_in(&ext, s[0].state.channel, 1, &info, &GENESIS);
		assert_eq!(found, Some(s[0].clone()));
		// Another nonce, another chain, or a forged signature: not found.
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 2, &info, &GENESIS), None);
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 1, &info, &[9; 32]), None);
		let mut forged = s[0].clone();
		forged.sig_b = forged.sig_a.clone();
		let mut ext = vec![0x84];
		ext.extend_from_slice(&forged.encode());
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 1, &info, &GENESIS), None);
		assert_eq!(signed_state_in(&[], 0, 1, &info, &GENESIS), None);
	}

	#[test]
	fn the_store_keeps_within_limits_and_survives_restart() {
		let dir = TempDir::new("tower");
		let (_, _, s, _) = states(4);
		let (bob, eve) = (account("//Bob"), account("//Eve"));
		let blobs = bobs_blobs(&s);
		{
			let mut store = BlobStore::open(&dir.0, LIMITS).unwrap();
			assert_eq!(store.keep(&bob, blobs[..2].to_vec()).unwrap(), (2, 1));
			// A blob filed again counts as kept, and not twice.
			assert_eq!(store.keep(&bob, blobs[..2].to_vec()).unwrap(), (2, 1));
			// Over quota: what fits is kept, in order; the rest is left to offer again.
			let other = Blob { hint: [9; 16], sealed: vec![1] };
			assert_eq!(store.keep(&bob, vec![blobs[2].clone(), other]).unwrap(), (1, 0));
			assert_eq!(store.len(), 3);
			// Too large, too many: refused.
			let big = Blob { hint: [1; 16], sealed: vec![0; MAX_BLOB + 1] };
			assert!(store.keep(&eve, vec![big]).is_err());
			let many = vec![Blob { hint: [2; 16], sealed: vec![] }; MAX_BATCH + 1];
			assert!(store.keep(&eve, many).is_err());
			// Another client filing under a hint adds a candidate, and hides nothing.
			let squat = Blob { hint: blobs[0].hint, sealed: vec![0; 10] };
			store.keep(&eve, vec![squat]).unwrap();
			assert_eq!(store.candidates(&blobs[0].hint).count(), 2);
			assert_eq!(store.keep(&bob, vec![blobs[2].clone()]).unwrap(), (1, 0));
		}
		// A torn record at the end (a crash mid-write) is cut off; the rest is back.
		let path = dir.0.join("tower-blobs.log");
		let mut file = OpenOptions::new().append(true).open(&path).unwrap();
		file.write_all(&[200, 0, 0, 0, 1, 2]).unwrap();
		let store = BlobStore::open(&dir.0, LIMITS).unwrap();
		assert_eq!((store.len(), store.held(&bob), store.held(&eve)), (4, 3, 1));
		// The whole store is over capacity for anyone new.
		let mut full = BlobStore::open(&dir.0, Limits { quota: 3, capacity: 4 }).unwrap();
		assert_eq!(full.keep(&account("//Dave"), vec![blobs[0].clone()]).unwrap(), (0, 0));
		// Damage before the end is refused rather than cut (good records would be lost).
		let mut bytes = std::fs::read(&path).unwrap();
		bytes[10] ^= 0xff;
		bytes[0] = 0xff;
		std::fs::write(&path, &bytes).unwrap();
		let err = BlobStore::open(&dir.0, LIMITS).err().unwrap();
		assert!(err.to_string().contains("damaged"), "{err}");
	}

	#[test]
	fn the_blobs_lead_to_the_newest_cosigned_state_whatever_else_is_filed() {
		let dir = TempDir::new("tower-chain");
		let (alice, _, s, info) = states(5);
		let (bob, eve) = (account("//Bob"), account("//Alice"));
		let mut store = BlobStore::open(&dir.0, Limits { quota: 10, capacity: 100 }).unwrap();
		// The counterparty knows Bob's signatures, so it files first under his hints: a blob
		// that does not open, and one that opens to a state only it signed.
		let mut forged = s[4].clone();
		forged.state.nonce = 99;
		forged.state.balances = (0, 0);
		let junk = Blob { hint: hint_of(&s[0].sig_b), sealed: vec![0; 300] };
		store.keep(&eve, vec![junk]).unwrap();
		store.keep(&account("//Dave"), vec![seal(&s[0].sig_b, &forged).unwrap()]).unwrap();
		store.keep(&bob, bobs_blobs(&s)).unwrap();
		assert_eq!(newest_after(&store, &s[0], &info, &GENESIS), Some(s[4].clone()));
		assert_eq!(newest_after(&store, &s[2], &info, &GENESIS), Some(s[4].clone()));
		assert_eq!(newest_after(&store, &s[4], &info, &GENESIS), None);
		// The cheater re-signs its own half of the stale state before closing with it: Bob's
		// half is unchanged, so his blob is still found.
		let mut resigned = s[0].clone();
		resigned.sig_a = alice.sign(&payload(PayloadKind::Update, &GENESIS, &resigned.state));
		assert_ne!(resigned.sig_a, s[0].sig_a);
		assert_eq!(newest_after(&store, &resigned, &info, &GENESIS), Some(s[4].clone()));
		// Blobs of both parties lead the same way.
		let alices: Vec<Blob> = s.windows(2).map(|w| seal(&w[0].sig_a, &w[1]).unwrap()).collect();
		store.keep(&account("//Charlie"), alices).unwrap();
		assert_eq!(newest_after(&store, &s[1], &info, &GENESIS), Some(s[4].clone()));
	}

	#[test]
	fn a_tower_is_named_by_account_and_address() {
		let t: TowerAddr =
			"5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL@127.0.0.1:7800".parse().unwrap();
		assert_eq!((t.account, t.addr.as_str()), (account("//Ferdie"), "127.0.0.1:7800"));
		for bad in ["127.0.0.1:7800", "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL@", "x@h:1"]
		{
			assert!(bad.parse::<TowerAddr>().is_err(), "{bad}");
		}
	}

	#[test]
	fn blobs_wait_in_the_outbox_across_restarts() {
		let dir = TempDir::new("tower-outbox");
		let (_, _, s, _) = states(4);
		let keys = Keys::from_uri("//Bob").unwrap();
		// No tower listens there: the blobs wait.
		let tower: TowerAddr =
			format!("{}@127.0.0.1:9", crate::keys::ss58(&account("//Ferdie"))).parse().unwrap();
		// Each run in a runtime of its own, dropped at its end as a process ends.
		let run = |f: &dyn Fn(Uploader) -> usize| {
			let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
			rt.block_on(async { f(Uploader::spawn(tower.clone(), &keys, &dir.0)) })
		};
		let pushed = run(&|uploader| {
			bobs_blobs(&s).into_iter().for_each(|blob| uploader.push(blob));
			uploader.waiting()
		});
		assert_eq!(pushed, 3);
		// A torn record at the end is cut off; the three blobs are back.
		let path = dir.0.join("tower-outbox.log");
		OpenOptions::new().append(true).open(&path).unwrap().write_all(&[50, 0, 0]).unwrap();
		assert_eq!(run(&|uploader| uploader.waiting()), 3);
		// Another process's outbox, left behind, is taken over; a live one's is not.
		let orphan = dir.0.join("tower-outbox.4000000.log");
		std::fs::copy(&path, &orphan).unwrap();
		let live = dir.0.join(format!("tower-outbox.{}.log", std::process::id()));
		std::fs::copy(&path, &live).unwrap();
		assert_eq!(run(&|uploader| uploader.waiting()), 6);
		assert!(!orphan.exists() && live.exists());
	}
}
