//! Settlement: multi-leg instructions (delivery versus payment) that settle all or nothing.

use crate::*;
use frame_support::{parameter_types, traits::ConstU32, weights::Weight};
use pallet_tokenization::WeightInfo as _;
use sp_runtime::DispatchResult;

parameter_types! {
	/// An instruction may stay pending for at most 30 days (and a clearing cycle last as long).
	pub const SettlementMaxDuration: BlockNumber = 30 * DAYS;
	/// Scheme accounts are sub-accounts of this id.
	pub const SettlementPalletId: frame_support::PalletId = frame_support::PalletId(*b"tpw/sett");
}

impl pallet_settlement::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	type Transfers = configs::NativeAndAssetsTransfers;
	type Currency = Balances;
	type LegGuard = configs::RegulatedTransfers;
	type Nfts = TokenizedNfts;
	// Governance parameters (`parameters.rs`).
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	// A delivery, its payment and a few fee or commission legs.
	type MaxLegs = ConstU32<10>;
	type MaxDuration = SettlementMaxDuration;
	// At most 10 × 10 regulated legs at a block's start: a few percent of the block.
	type MaxScheduledPerBlock = ConstU32<10>;
	// As the HTLC pallet: 32-byte preimages of Bitcoin and Ethereum HTLCs, and room for more.
	type MaxPreimageLen = ConstU32<256>;
	type SchemeOrigin = configs::SchemeOrigin;
	type PalletId = SettlementPalletId;
	type MaxSchemes = ConstU32<16>;
	// A clearing house of up to 100 institutions.
	type MaxMembers = ConstU32<100>;
	// Bilateral limits a member may be granted: its main counterparties.
	type MaxCreditLimits = ConstU32<16>;
	// Two passes over 100 members settle in 4 blocks; each step is one transfer at most.
	type NettingStepsPerBlock = ConstU32<50>;
	type WeightInfo = weights::pallet_settlement::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}

/// NFT legs move items of the tokenization pallet's NFT collections (named by their token id),
/// which keeps them in escrow and applies each collection's transfer rules and compliance.
pub struct TokenizedNfts;

impl pallet_settlement::NftEscrow<AccountId> for TokenizedNfts {
	type Collection = AssetId;
	type Item = ItemId;

	fn exists(token: &AssetId, item: &ItemId) -> bool {
		Tokenization::nft_exists(token, item)
	}

	fn check_escrow(token: &AssetId, item: &ItemId, owner: &AccountId) -> DispatchResult {
		Tokenization::check_escrow_nft(token, item, owner)
	}

	fn escrow(token: &AssetId, item: &ItemId, owner: &AccountId) -> DispatchResult {
		Tokenization::escrow_nft(token, item, owner)
	}

	fn release(token: &AssetId, item: &ItemId, owner: &AccountId) {
		Tokenization::release_escrowed_nft(token, item, owner);
	}

	fn check_transfer(
		token: &AssetId,
		item: &ItemId,
		from: &AccountId,
		to: &AccountId,
	) -> DispatchResult {
		Tokenization::check_nft_transfer(token, item, from, to)
	}

	fn transfer_escrowed(
		token: &AssetId,
		item: &ItemId,
		from: &AccountId,
		to: &AccountId,
	) -> DispatchResult {
		Tokenization::transfer_escrowed_nft(token, item, from, to)
	}

	/// A transfer of an NFT through its collection's rules bounds each call.
	fn weight() -> Weight {
		<Runtime as pallet_tokenization::Config>::WeightInfo::transfer_nft().saturating_add(
			<Compliance as pallet_tokenization::TransferCompliance<_, _, _>>::transfer_check_weight(
			),
		)
	}
}
