//! Follows each transfer the gateway sent to its end, from the books, so only from finalized
//! blocks: the extrinsic booked with a successful proxied transfer is `settled` (or `pending` if
//! the compliance pallet held it for review, until the review case ends: approved, `settled`;
//! rejected or expired, `rejected`); a failed one is `rejected` with the dispatch error's ISO
//! code; one that no booked block holds once its mortality has passed can never be included,
//! and is `rejected` too.

use super::books::PaymentRow;
use crate::store::Store;
use anyhow::{Context, Result};
use polkadot_sdk::sp_core::H256;
use std::time::Duration;
use tpw_client::chain::Chain;
use tpwallet_gateway::{reasons, Rejection};

/// How often the open transfers are looked at (the books move once per finalized block).
const EVERY: Duration = Duration::from_millis(1500);
/// Open transfers looked at per pass.
const BATCH: i64 = 1000;

pub struct Settler {
	pub store: Store,
	pub chain: Chain,
}

/// What a finalized extrinsic did.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
	Settled,
	/// Held for a compliance review: moved into a hold, not to the creditor yet.
	Pending,
	Rejected(Rejection),
}

impl Settler {
	pub async fn run(&self) -> Result<()> {
		loop {
			self.pass().await?;
			tokio::time::sleep(EVERY).await;
		}
	}

	/// Decides every open transfer the books can decide; how many it decided.
	pub async fn pass(&self) -> Result<usize> {
		let mut decided = 0;
		for payment in self.store.pending_reviews(BATCH).await? {
			decided += usize::from(self.follow_review(&payment).await?);
		}
		let open = self.store.open_payments(BATCH).await?;
		if open.is_empty() {
			return Ok(decided);
		}
		let booked = self.store.cursor().await?.map_or(0, |c| c.block);
		for payment in open {
			decided += usize::from(self.decide(&payment, booked).await?);
		}
		Ok(decided)
	}

	async fn decide(&self, payment: &PaymentRow, booked: u32) -> Result<bool> {
		let Some(hash) = payment.extrinsic else { return Ok(false) };
		let Some((block, index)) = self.store.booked_extrinsic(&hash).await? else {
			if payment.valid_until.is_some_and(|last| booked > last) {
				let words = format!(
					"not included by block {}, the last its signature allowed",
					payment.valid_until.unwrap_or_default()
				);
				self.store
					.decide(payment.id, "rejected", Some(("NARR", &words)), None, None)
					.await?;
				return Ok(true);
			}
			return Ok(false);
		};
		let events = self.store.extrinsic_events(block, index).await?;
		let block_hash = self.chain.block_hash(block).await?;
		let verdict = verdict(&events, |error| self.describe(block_hash, error));
		let verdict = match verdict {
			Ok(verdict) => verdict,
			Err(describe) => describe.await?,
		};
		let time =
			self.store.block_time(block).await?.context("a booked block without its time")?;
		let at = Some((block, index, time));
		match verdict {
			Verdict::Settled => self.store.decide(payment.id, "settled", None, at, None).await?,
			Verdict::Pending => {
				let case = self.store.held_case(block, index).await?;
				self.store.decide(payment.id, "pending", None, at, case.as_deref()).await?
			}
			Verdict::Rejected(r) => {
				let reason = Some((r.code.as_str(), r.detail.as_str()));
				self.store.decide(payment.id, "rejected", reason, at, None).await?
			}
		}
		Ok(true)
	}

	/// Ends a held transfer's review once the books have the case's end: approved (the held
	/// units went to the creditor: `settled`), rejected or expired (they went back: `rejected`).
	async fn follow_review(&self, payment: &PaymentRow) -> Result<bool> {
		let Some(case) = &payment.review_case else { return Ok(false) };
		let Some((end, block)) = self.store.review_end(case).await? else { return Ok(false) };
		let time =
			self.store.block_time(block).await?.context("a booked block without its time")?;
		match end.as_str() {
			"CaseApproved" => self.store.end_review(payment.id, "settled", None, time).await?,
			"CaseRejected" => {
				let words = format!(
					"refused by the token's compliance officer (review case {case}, block {block})"
				);
				self.store.end_review(payment.id, "rejected", Some(("RR04", &words)), time).await?
			}
			_ => {
				let words = format!(
					"the review (case {case}) timed out in block {block}; the units went back"
				);
				self.store.end_review(payment.id, "rejected", Some(("NARR", &words)), time).await?
			}
		}
		Ok(true)
	}

	/// The dispatch error `bytes` (SCALE) named by the block's runtime, as an ISO refusal.
	async fn describe(&self, at: H256, bytes: Vec<u8>) -> Result<Verdict> {
		let runtime = self.chain.runtime(Some(at)).await?;
		Ok(Verdict::Rejected(reasons::chain_refusal(&runtime.describe_error(&bytes))))
	}
}

/// Reads the extrinsic's events: `Ok` with the verdict, or `Err` with the future that names its
/// dispatch error (which needs the block's runtime).
fn verdict<F>(
	events: &[(String, String, Vec<u8>)],
	describe: impl FnOnce(Vec<u8>) -> F,
) -> Result<Verdict, F> {
	let find = |pallet: &str, name: &str| {
		events.iter().find(|(p, n, _)| p == pallet && n == name).map(|(_, _, f)| f)
	};
	if let Some(fields) = find("System", "ExtrinsicFailed") {
		// `dispatch_error` first, then the dispatch info: the error decodes from the front.
		return Err(describe(fields.clone()));
	}
	match find("Proxy", "ProxyExecuted").map(|f| f.split_first()) {
		// `result: DispatchResult`: 0 for `Ok`, 1 and the error for `Err`.
		Some(Some((1, error))) => return Err(describe(error.to_vec())),
		Some(Some((0, _))) => {}
		_ => {
			return Ok(Verdict::Rejected(Rejection::new(
				"NARR",
				"the extrinsic has no proxy outcome (not the gateway's transfer?)",
			)))
		}
	}
	if find("Compliance", "TransferHeld").is_some() {
		return Ok(Verdict::Pending);
	}
	Ok(Verdict::Settled)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn event(pallet: &str, name: &str, fields: &[u8]) -> (String, String, Vec<u8>) {
		(pallet.into(), name.into(), fields.to_vec())
	}

	fn judged(events: &[(String, String, Vec<u8>)]) -> Result<Verdict, Vec<u8>> {
		verdict(events, |bytes| bytes)
	}

	#[test]
	fn a_proxied_transfer_is_judged_by_its_proxy_outcome() {
		let ok =
			[event("Tokenization", "Transferred", &[1]), event("Proxy", "ProxyExecuted", &[0])];
		assert_eq!(judged(&ok), Ok(Verdict::Settled));
		let held =
			[event("Compliance", "TransferHeld", &[]), event("Proxy", "ProxyExecuted", &[0])];
		assert_eq!(judged(&held), Ok(Verdict::Pending));
		let refused = [event("Proxy", "ProxyExecuted", &[1, 3, 9, 2, 0, 0, 0])];
		assert_eq!(judged(&refused), Err(vec![3, 9, 2, 0, 0, 0]));
		let failed = [event("System", "ExtrinsicFailed", &[2, 1, 2])];
		assert_eq!(judged(&failed), Err(vec![2, 1, 2]));
		assert!(matches!(judged(&[]), Ok(Verdict::Rejected(r)) if r.code == "NARR"));
	}
}
