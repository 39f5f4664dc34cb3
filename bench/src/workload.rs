//! The workloads: what each sender signs, and the set-up it needs (funding, an asset).

use crate::{
	accounts::{self, native_transfer},
	regulated,
};
use anyhow::Result;
use codec::Compact;
use tpw_client::{call::Call, chain::Chain, keys::Keys, AccountId, Address, AssetId, Balance};

/// What one transaction of the load does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
	/// `balances.transfer_keep_alive`: the sTPS workload.
	Native,
	/// `assets.transfer_keep_alive` of a `pallet-assets` asset.
	Assets,
	/// `utility.batch` of `--batch` native transfers per transaction (reported apart).
	BatchedNative,
	/// `tokenization.transfer` of a regulated security token: the transfer gate and every
	/// compliance rule (KYC both sides, jurisdictions, risk, limits, velocity) on each transfer.
	RegulatedToken,
	/// `payment_channels.open` to the next account with the smallest deposit (native): the
	/// on-chain cost of joining the channel network (the deposit and the channel's storage
	/// deposit go on hold; about 0.2 TPW a channel, so `--fund` bounds the opens per sender).
	ChannelOpen,
}

/// A workload ready to sign: its kind and what it set up.
pub struct Workload {
	pub kind: Kind,
	/// The `pallet-assets` asset, or the regulated token (also a `pallet-assets` asset).
	pub asset: AssetId,
	pub batch: u32,
}

/// Units each transfer moves: the existential deposit's order, so balances stay put.
pub const TRANSFER_AMOUNT: Balance = 1_000_000_000;

impl Workload {
	/// Sets up `accounts` for `kind`: native funds for fees (and transfers) to each, and for
	/// `Assets` the asset and a balance of it to each; for `RegulatedToken` the token, its rules,
	/// a KYC claim and a balance to each.
	pub async fn setup(
		chain: &Chain,
		funder: &Keys,
		accounts: &[Keys],
		kind: Kind,
		asset: AssetId,
		batch: u32,
		fund: Balance,
	) -> Result<Self> {
		log::info!("funding {} accounts with {fund} each", accounts.len());
		accounts::fund_native(chain, funder, accounts, fund).await?;
		if kind == Kind::Assets {
			let mut calls = Vec::new();
			if !accounts::in_map(chain, "Assets", "Asset", &asset).await? {
				calls.push(
					Call::new("Assets", "create")
						.arg("id", Compact(asset))
						.arg("admin", Address::from(funder.account().clone()))
						.arg("min_balance", 1u128),
				);
			}
			calls.extend(accounts.iter().map(|k| {
				Call::new("Assets", "mint")
					.arg("id", Compact(asset))
					.arg("beneficiary", Address::from(k.account().clone()))
					.arg("amount", Compact(fund))
			}));
			log::info!("minting asset {asset} to {} accounts", accounts.len());
			accounts::submit_batches(chain, funder, calls).await?;
		}
		if kind == Kind::RegulatedToken {
			regulated::setup(chain, funder, accounts, asset, fund, TRANSFER_AMOUNT).await?;
		}
		Ok(Self { kind, asset, batch: batch.max(1) })
	}

	/// The call a sender signs to pay `to`.
	pub fn call(&self, to: &AccountId) -> Call {
		match self.kind {
			Kind::Native => native_transfer(to, TRANSFER_AMOUNT),
			Kind::Assets => Call::new("Assets", "transfer_keep_alive")
				.arg("id", Compact(self.asset))
				.arg("target", Address::from(to.clone()))
				.arg("amount", Compact(TRANSFER_AMOUNT)),
			Kind::BatchedNative => Call::new("Utility", "batch").calls_arg(
				"calls",
				(0..self.batch).map(|_| native_transfer(to, TRANSFER_AMOUNT)).collect(),
			),
			Kind::RegulatedToken => regulated::transfer(self.asset, to, TRANSFER_AMOUNT),
			Kind::ChannelOpen => tpw_client::chain::calls::open(
				to.clone(),
				tpw_client::AssetKind::Native,
				TRANSFER_AMOUNT,
			),
		}
	}

	/// Transfers per transaction.
	pub fn transfers_per_tx(&self) -> u32 {
		if self.kind == Kind::BatchedNative {
			self.batch
		} else {
			1
		}
	}
}
