//! # Tokenization pallet
//!
//! Issuance and lifecycle of regulated and unregulated tokens on top of the stock pallets:
//! balances live in `pallet-assets` (fungible tokens) and `pallet-nfts` (NFT collections); this
//! pallet owns the rules.
//!
//! - **Templates** ([`Pallet::register_template`]): governance fixes a class (stablecoin, security
//!   token, utility token, NFT collection), decimals, a cap limit, a transfer policy, a default
//!   lock-up and the issuer's roles. An issuer creates a token from a template in one call
//!   ([`Pallet::create_token`]). A template cannot change while tokens made from it exist.
//! - **Roles** per token: admin, minter, freezer, controller (compliance officer).
//! - **Transfers** ([`Pallet::transfer`]) pass one check, [`Pallet::ensure_can_move`]: paused
//!   token, frozen accounts, allowlist. Direct `pallet-assets`/`pallet-nfts` calls on managed tokens
//!   are refused by the runtime's call filter (see [`Pallet::is_managed_asset`]), so that check is
//!   the one gate.
//! - **Lock-ups**: per-holder cliff + linear schedules. Locked units are reported to
//!   `pallet-assets` as frozen ([`FrozenBalance`](polkadot_sdk::pallet_assets::FrozenBalance) is
//!   implemented by this pallet), so no path can spend them; the rest is spendable at every block.
//! - **Stablecoins**: a reserve attestor set by governance posts attested reserves; minting past
//!   them is refused; holders redeem (burn) and the issuer confirms the off-chain payout.
//! - **Distributions**: a payout held on the payer's account, paid pro rata to holders at a record
//!   point. Balances at the record point are captured lazily, before the first change after it, so
//!   a claim is O(1) and nothing iterates holders. Shares round down: never more than deposited.
//! - **Buybacks**: fixed price, held budget; tendered tokens are burned and paid.
//! - **Freeze, pause, clawback** with a reason code in every event.
//! - **Renouncing powers** ([`Pallet::renounce_power`]), as XRPL's `NoFreeze`: an admin gives up
//!   freezing, clawback or minting on a token for good, so holders can rely on it never
//!   happening.
//! - **NFTs**: collections in `pallet-nfts` owned by this pallet's account; items are minted with
//!   transfers disabled in `pallet-nfts`, and move only through [`Pallet::transfer_nft`].
//! - **Destruction**, shaped like `pallet-assets`': an admin starts it
//!   ([`Pallet::start_destroy`]) once no unit or item is left and no redemption, buyback or
//!   distribution is outstanding; anyone then removes the token's per-account records in bounded
//!   steps ([`Pallet::destroy_accounts`]) and finally the token itself
//!   ([`Pallet::finish_destroy`]), which returns the issuer's deposit. Holdings are never wiped:
//!   on a regulated chain each unit leaves through a burn, redemption, tender or clawback, each
//!   with its event.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use adapters::StockLedgers;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod adapters;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod destroy;
mod distributions;
mod functions;
mod impl_frozen_balance;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod powers;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible, fungibles,
			tokens::{nonfungibles_v2, Balance as BalanceT},
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// Template terms as stored.
	pub type TemplateSpecOf<T> = TemplateSpec<<T as Config>::Balance, BlockNumberFor<T>>;
	/// A token as stored.
	pub type TokenDetailsOf<T> = TokenDetails<
		<T as frame_system::Config>::AccountId,
		<T as Config>::Balance,
		BlockNumberFor<T>,
		<T as Config>::CollectionId,
		<T as Config>::StringLimit,
	>;
	/// A lock-up schedule as stored.
	pub type LockupScheduleOf<T> = LockupSchedule<<T as Config>::Balance, BlockNumberFor<T>>;
	/// A distribution as stored.
	pub type DistributionOf<T> = Distribution<
		<T as Config>::TokenId,
		<T as Config>::FundsAssetId,
		<T as frame_system::Config>::AccountId,
		<T as Config>::Balance,
		BlockNumberFor<T>,
	>;
	/// A buyback as stored.
	pub type BuybackOf<T> = Buyback<
		<T as Config>::TokenId,
		<T as Config>::FundsAssetId,
		<T as frame_system::Config>::AccountId,
		<T as Config>::Balance,
	>;
	/// A redemption as stored.
	pub type RedemptionOf<T> = Redemption<
		<T as Config>::TokenId,
		<T as frame_system::Config>::AccountId,
		<T as Config>::Balance,
		BlockNumberFor<T>,
	>;
	/// A storage deposit as recorded.
	pub type DepositOf<T> = Deposit<<T as frame_system::Config>::AccountId, <T as Config>::Balance>;
	/// A token's renounced powers as stored.
	pub type RenunciationOf<T> =
		Renunciation<<T as frame_system::Config>::AccountId, <T as Config>::Balance>;
	/// A reserve attestation as stored.
	pub type ReserveAttestationOf<T> =
		ReserveAttestation<<T as Config>::Balance, BlockNumberFor<T>>;
	/// The lookup source of an account.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
	/// NFT item metadata.
	pub type ItemMetadataOf<T> = BoundedVec<u8, <T as Config>::MaxItemMetadata>;

	/// Most records one clean-up call deletes (bounds its weight).
	pub const MAX_PURGE_PER_CALL: u32 = 1_000;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: redemptions record their storage deposit ([`migrations::v1`]).
	/// 2: tokens record their status and their open redemptions and buybacks
	/// ([`migrations::v2`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Balance of tokens, payouts and deposits.
		type Balance: BalanceT + Into<u128> + TryFrom<u128>;

		/// Id of a token: the `pallet-assets` id of a fungible token; an NFT collection token uses
		/// the same id space.
		type TokenId: Parameter + Member + Copy + MaxEncodedLen + Ord;

		/// The fungible token ledger (`pallet-assets`).
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = Self::TokenId, Balance = Self::Balance>
			+ fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>
			+ fungibles::Destroy<Self::AccountId>;

		/// Asset a distribution or a buyback pays in (the native token or an asset).
		type FundsAssetId: Parameter + Member + MaxEncodedLen;

		/// Payout and payment assets, with holds.
		type Funds: fungibles::Inspect<
				Self::AccountId,
				AssetId = Self::FundsAssetId,
				Balance = Self::Balance,
			> + fungibles::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The native currency, for the issuer's deposit.
		type Currency: fungible::MutateHold<
			Self::AccountId,
			Reason = Self::RuntimeHoldReason,
			Balance = Self::Balance,
		>;

		/// `pallet-nfts` collection id.
		type CollectionId: Parameter + Member + Copy + MaxEncodedLen;
		/// `pallet-nfts` item id.
		type ItemId: Parameter + Member + Copy + MaxEncodedLen;
		/// `pallet-nfts` item settings type.
		type ItemConfig: Default;
		/// The NFT ledger (`pallet-nfts`).
		type Nfts: nonfungibles_v2::Inspect<
				Self::AccountId,
				CollectionId = Self::CollectionId,
				ItemId = Self::ItemId,
			> + nonfungibles_v2::Mutate<Self::AccountId, Self::ItemConfig>
			+ nonfungibles_v2::Transfer<Self::AccountId>
			+ nonfungibles_v2::Destroy<Self::AccountId>;

		/// Creates collections and sets asset metadata in the stock pallets.
		type Registry: UnderlyingRegistry<Self::TokenId, Self::CollectionId, Self::AccountId>;

		/// Compliance checks of every movement (KYC claims, rules, risk engine, review queue).
		type Compliance: TransferCompliance<Self::TokenId, Self::AccountId, Self::Balance>;

		/// What other pallets keep per token (the compliance pallet's rules and velocity
		/// entries), removed when a token is destroyed.
		type TokenRecords: TokenRecords<Self::TokenId>;

		/// Holds on token balances (review cases): held units stay counted against lock-ups.
		type Holds: fungibles::InspectHold<
			Self::AccountId,
			AssetId = Self::TokenId,
			Balance = Self::Balance,
		>;

		/// Lists a token's holders, for the `try_state` invariants only.
		type Holders: HolderLedger<Self::TokenId, Self::AccountId, Self::Balance>;

		/// Registers templates and reserve attestors.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// This pallet's id: its account owns the underlying assets and collections.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Native deposit held from the issuer for each token.
		#[pallet::constant]
		type TokenDeposit: Get<Self::Balance>;

		/// Storage deposit per item a signed origin stores (a redemption), native. Not a
		/// metadata constant: a runtime may let governance change it (each item records what
		/// it held, so refunds stay exact).
		type DepositBase: Get<Self::Balance>;

		/// Storage deposit per byte such an item stores (key and value).
		type DepositPerByte: Get<Self::Balance>;

		/// Longest name or symbol, in bytes.
		#[pallet::constant]
		type StringLimit: Get<u32>;

		/// Longest NFT item metadata, in bytes.
		#[pallet::constant]
		type MaxItemMetadata: Get<u32>;

		/// Most lock-up schedules per holder and token.
		#[pallet::constant]
		type MaxLockups: Get<u32>;

		/// Most distributions open at once per token (each balance change records the balance
		/// for each of them, so this bounds the cost of a transfer).
		#[pallet::constant]
		type MaxOpenDistributions: Get<u32>;

		/// Shortest claim window of a distribution, in blocks.
		#[pallet::constant]
		type MinDistributionDuration: Get<BlockNumberFor<Self>>;

		/// Longest claim window of a distribution, in blocks.
		#[pallet::constant]
		type MaxDistributionDuration: Get<BlockNumberFor<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Creates funds for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::FundsAssetId, Self::AccountId, Self::Balance>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The issuer's deposit for a token.
		#[codec(index = 0)]
		TokenDeposit,
		/// A distribution's payout, not yet claimed.
		#[codec(index = 1)]
		DistributionFunds,
		/// A buyback's budget, not yet paid.
		#[codec(index = 2)]
		BuybackBudget,
		/// The storage deposit of an item a signed origin stored (a redemption, an NFT item, a
		/// token's renounced powers), native.
		#[codec(index = 3)]
		StorageDeposit,
	}

	/// Issuance templates.
	#[pallet::storage]
	pub type Templates<T: Config> =
		StorageMap<_, Twox64Concat, TemplateId, Template<T::Balance, BlockNumberFor<T>>>;

	/// The id the next template gets.
	#[pallet::storage]
	pub type NextTemplateId<T: Config> = StorageValue<_, TemplateId, ValueQuery>;

	/// Tokens managed by this pallet.
	#[pallet::storage]
	pub type Tokens<T: Config> = StorageMap<_, Blake2_128Concat, T::TokenId, TokenDetailsOf<T>>;

	/// The token of each managed `pallet-nfts` collection.
	#[pallet::storage]
	pub type CollectionTokens<T: Config> =
		StorageMap<_, Blake2_128Concat, T::CollectionId, T::TokenId>;

	/// Roles on a token.
	#[pallet::storage]
	pub type Roles<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		Blake2_128Concat,
		T::AccountId,
		RoleSet,
		ValueQuery,
	>;

	/// Each account's standing with a token: on its allowlist, frozen (absent: neither). One
	/// record, so that the transfer gate reads each party once.
	#[pallet::storage]
	pub type AccountStates<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		Blake2_128Concat,
		T::AccountId,
		AccountState,
	>;

	/// Lock-up schedules of a holder of a token.
	#[pallet::storage]
	pub type Lockups<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<LockupScheduleOf<T>, T::MaxLockups>,
		ValueQuery,
	>;

	/// Set only inside a controller's forced transfer: lets the ledger debit that one account
	/// regardless of its freeze and lock-ups. Never survives an extrinsic.
	#[pallet::storage]
	pub type ForcedDebit<T: Config> = StorageValue<_, (T::TokenId, T::AccountId)>;

	/// The account allowed to attest a stablecoin's reserves.
	#[pallet::storage]
	pub type ReserveAttestors<T: Config> =
		StorageMap<_, Blake2_128Concat, T::TokenId, T::AccountId>;

	/// The latest reserve attestation of a stablecoin.
	#[pallet::storage]
	pub type Reserves<T: Config> =
		StorageMap<_, Blake2_128Concat, T::TokenId, ReserveAttestationOf<T>>;

	/// The storage deposit of each NFT item a minter minted, held from the minter until the item
	/// is burned. (Items minted before deposits existed have none.)
	#[pallet::storage]
	pub type ItemDeposits<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		Blake2_128Concat,
		T::ItemId,
		DepositOf<T>,
	>;

	/// NFT items held in escrow by another pallet (a settlement instruction's leg), with the
	/// owner that put them there: they move only through [`Pallet::transfer_escrowed_nft`] until
	/// released. A controller's forced transfer ends the escrow.
	#[pallet::storage]
	pub type EscrowedItems<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		Blake2_128Concat,
		T::ItemId,
		T::AccountId,
	>;

	/// Redemptions awaiting the issuer's payout.
	#[pallet::storage]
	pub type Redemptions<T: Config> = StorageMap<_, Twox64Concat, RedemptionId, RedemptionOf<T>>;

	/// The id the next redemption gets.
	#[pallet::storage]
	pub type NextRedemptionId<T: Config> = StorageValue<_, RedemptionId, ValueQuery>;

	/// Distributions, open or expired but not yet closed.
	#[pallet::storage]
	pub type Distributions<T: Config> =
		StorageMap<_, Twox64Concat, DistributionId, DistributionOf<T>>;

	/// The id the next distribution gets.
	#[pallet::storage]
	pub type NextDistributionId<T: Config> = StorageValue<_, DistributionId, ValueQuery>;

	/// The distributions of a token not yet closed: each balance change records the holder's
	/// balance for them.
	#[pallet::storage]
	pub type OpenDistributions<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::TokenId,
		BoundedVec<DistributionId, T::MaxOpenDistributions>,
		ValueQuery,
	>;

	/// A holder's balance at a distribution's record point, recorded before their first balance
	/// change after it (absent: unchanged since, so the current balance).
	#[pallet::storage]
	pub type RecordedBalances<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		DistributionId,
		Blake2_128Concat,
		T::AccountId,
		T::Balance,
	>;

	/// Holders who claimed from a distribution.
	#[pallet::storage]
	pub type DistributionClaims<T: Config> =
		StorageDoubleMap<_, Twox64Concat, DistributionId, Blake2_128Concat, T::AccountId, ()>;

	/// Open buybacks.
	#[pallet::storage]
	pub type Buybacks<T: Config> = StorageMap<_, Twox64Concat, BuybackId, BuybackOf<T>>;

	/// The id the next buyback gets.
	#[pallet::storage]
	pub type NextBuybackId<T: Config> = StorageValue<_, BuybackId, ValueQuery>;

	/// The powers renounced on a token (absent: none), with the storage deposit of the record.
	/// Removed only with the token.
	#[pallet::storage]
	pub type RenouncedPowers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::TokenId, RenunciationOf<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance registered a template.
		TemplateRegistered { template: TemplateId, spec: TemplateSpecOf<T> },
		/// Governance changed a template with no live tokens.
		TemplateUpdated { template: TemplateId, spec: TemplateSpecOf<T> },
		/// Governance retired a template with no live tokens.
		TemplateRetired { template: TemplateId },
		/// A token was created from a template.
		TokenCreated {
			token: T::TokenId,
			template: TemplateId,
			class: TokenClass,
			issuer: T::AccountId,
			cap: Option<T::Balance>,
			document_hash: DocumentHash,
		},
		/// The token's governing document changed.
		DocumentUpdated { token: T::TokenId, document_hash: DocumentHash },
		/// A role was granted.
		RoleGranted { token: T::TokenId, who: T::AccountId, role: Role, by: T::AccountId },
		/// A role was revoked.
		RoleRevoked { token: T::TokenId, who: T::AccountId, role: Role, by: T::AccountId },
		/// Units were minted.
		Minted { token: T::TokenId, to: T::AccountId, amount: T::Balance },
		/// Units were burned.
		Burned { token: T::TokenId, from: T::AccountId, amount: T::Balance },
		/// Units moved between holders.
		Transferred { token: T::TokenId, from: T::AccountId, to: T::AccountId, amount: T::Balance },
		/// An account was added to or removed from a token's allowlist.
		AllowlistChanged { token: T::TokenId, who: T::AccountId, allowed: bool },
		/// A lock-up schedule was added to a holder.
		LockupAdded { token: T::TokenId, holder: T::AccountId, schedule: LockupScheduleOf<T> },
		/// A controller released every lock-up of a holder.
		LockupsReleased { token: T::TokenId, holder: T::AccountId, reason: ReasonCode },
		/// Fully unlocked schedules were removed.
		LockupsPruned { token: T::TokenId, holder: T::AccountId, removed: u32 },
		/// An account was frozen for a token.
		AccountFrozen { token: T::TokenId, who: T::AccountId, reason: ReasonCode },
		/// An account was thawed.
		AccountThawed { token: T::TokenId, who: T::AccountId, reason: ReasonCode },
		/// Every movement of the token stopped.
		TokenPaused { token: T::TokenId, reason: ReasonCode },
		/// Movements of the token resumed.
		TokenUnpaused { token: T::TokenId, reason: ReasonCode },
		/// A controller moved units without the holder's consent (clawback).
		ForcedTransfer {
			token: T::TokenId,
			from: T::AccountId,
			to: T::AccountId,
			amount: T::Balance,
			reason: ReasonCode,
			controller: T::AccountId,
		},
		/// Governance set or removed a stablecoin's reserve attestor.
		ReserveAttestorSet { token: T::TokenId, attestor: Option<T::AccountId> },
		/// Reserves were attested.
		ReservesAttested {
			token: T::TokenId,
			amount: T::Balance,
			report_hash: DocumentHash,
			supply: T::Balance,
		},
		/// The attested reserves are below the supply: minting is stopped.
		ReserveShortfall { token: T::TokenId, reserves: T::Balance, supply: T::Balance },
		/// A holder redeemed stablecoins (burned); the issuer owes the payout.
		RedemptionRequested {
			redemption: RedemptionId,
			token: T::TokenId,
			holder: T::AccountId,
			amount: T::Balance,
			/// The storage deposit held from the holder (native) until the payout is confirmed.
			deposit: T::Balance,
		},
		/// The issuer confirmed a redemption's off-chain payout.
		RedemptionPaid { redemption: RedemptionId, payment_reference: DocumentHash },
		/// A distribution opened; `amount` is held on the payer's account.
		DistributionCreated {
			distribution: DistributionId,
			token: T::TokenId,
			payout_asset: T::FundsAssetId,
			amount: T::Balance,
			record_supply: T::Balance,
			expires_at: BlockNumberFor<T>,
		},
		/// A holder claimed their share.
		DistributionClaimed {
			distribution: DistributionId,
			holder: T::AccountId,
			amount: T::Balance,
		},
		/// A distribution closed; the unclaimed rest was released to the payer.
		DistributionClosed { distribution: DistributionId, returned: T::Balance },
		/// `removed` records (recorded balances and claims) of a closed distribution were
		/// deleted; `complete` when none is left.
		DistributionRecordsPurged { distribution: DistributionId, removed: u32, complete: bool },
		/// A buyback opened; `budget` is held on the buyer's account.
		BuybackOpened {
			buyback: BuybackId,
			token: T::TokenId,
			payment_asset: T::FundsAssetId,
			price: T::Balance,
			budget: T::Balance,
		},
		/// A holder tendered units: burned, and paid.
		Tendered { buyback: BuybackId, holder: T::AccountId, amount: T::Balance, paid: T::Balance },
		/// A buyback closed; the unspent budget was released.
		BuybackClosed { buyback: BuybackId, bought: T::Balance, returned: T::Balance },
		/// An admin gave up `power` on the token for good.
		PowerRenounced { token: T::TokenId, power: TokenPower, by: T::AccountId },
		/// An admin started destroying the token: nothing moves or changes any more.
		DestructionStarted { token: T::TokenId, by: T::AccountId },
		/// `removed` per-account records of a token being destroyed (roles, allowlist and freeze
		/// states, lock-ups, the compliance pallet's velocity entries) were deleted; `complete`
		/// when none is left.
		AccountsDestroyed { token: T::TokenId, removed: u32, complete: bool },
		/// The token is gone; its id is free again and the issuer's deposit was returned.
		TokenDestroyed { token: T::TokenId, issuer: T::AccountId, deposit: T::Balance },
		/// An NFT was minted.
		NftMinted {
			token: T::TokenId,
			item: T::ItemId,
			owner: T::AccountId,
			/// The storage deposit held from the minter (native) until the item is burned.
			deposit: T::Balance,
		},
		/// An NFT changed hands.
		NftTransferred { token: T::TokenId, item: T::ItemId, from: T::AccountId, to: T::AccountId },
		/// An NFT was burned.
		NftBurned { token: T::TokenId, item: T::ItemId, owner: T::AccountId },
		/// A controller moved an NFT without the holder's consent.
		NftForcedTransfer {
			token: T::TokenId,
			item: T::ItemId,
			from: T::AccountId,
			to: T::AccountId,
			reason: ReasonCode,
			controller: T::AccountId,
		},
		/// An NFT went into escrow for a pending movement (a settlement leg): it moves only
		/// with it, until released.
		NftEscrowed { token: T::TokenId, item: T::ItemId, owner: T::AccountId },
		/// An NFT left escrow without moving (the movement was withdrawn, rejected or expired,
		/// or a controller moved the item).
		NftEscrowReleased { token: T::TokenId, item: T::ItemId, owner: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No template has this id.
		UnknownTemplate,
		/// The template has live tokens and cannot change.
		TemplateInUse,
		/// The template's terms are inconsistent (lock-up cliff after its end, zero duration,
		/// unknown role bits, decimals on an NFT class).
		InvalidTemplate,
		/// Template ids are exhausted.
		TemplateIdOverflow,
		/// No managed token has this id.
		UnknownToken,
		/// A token (managed or not) already has this id.
		TokenIdInUse,
		/// The name or symbol is empty or too long.
		BadMetadata,
		/// The cap is zero or above the template's limit.
		InvalidCap,
		/// The caller lacks the role this call needs.
		MissingRole,
		/// The token's issuer always keeps the admin role.
		CannotRevokeIssuerAdmin,
		/// The account already holds this role.
		RoleAlreadyHeld,
		/// The account does not hold this role.
		RoleNotHeld,
		/// The amount is zero.
		ZeroAmount,
		/// Minting would exceed the token's cap.
		CapExceeded,
		/// An arithmetic overflow (supply, ids, shares).
		Overflow,
		/// The token is paused.
		TokenPaused,
		/// The token is not paused.
		TokenNotPaused,
		/// The account is frozen for this token.
		AccountFrozen,
		/// The account is not frozen for this token.
		AccountNotFrozen,
		/// The account is not on the token's allowlist.
		NotAllowlisted,
		/// The sender and the receiver are the same account.
		SelfTransfer,
		/// The balance that is neither locked nor frozen is too low.
		InsufficientTransferable,
		/// The holder's balance is too low.
		InsufficientBalance,
		/// The operation does not apply to this token class.
		WrongClass,
		/// A lock-up's cliff is after its end, or its duration is zero.
		InvalidLockup,
		/// The schedule would already be fully unlocked.
		LockupExpired,
		/// The lock-up would lock more than the holder's unlocked balance.
		LockupExceedsBalance,
		/// The holder has the most lock-up schedules allowed.
		TooManyLockups,
		/// Nothing to prune or release.
		NoLockups,
		/// The caller is not the stablecoin's reserve attestor.
		NotAttestor,
		/// Minting would put the stablecoin's supply above its attested reserves (or no reserves
		/// are attested, or the last attestation showed a shortfall).
		InsufficientReserves,
		/// No pending redemption has this id.
		UnknownRedemption,
		/// No distribution has this id.
		UnknownDistribution,
		/// The token has the most open distributions allowed.
		TooManyDistributions,
		/// The claim window is shorter than the minimum or longer than the maximum.
		InvalidDuration,
		/// The token has no supply to distribute over.
		NoSupply,
		/// The distribution has expired.
		DistributionExpired,
		/// The distribution has not expired yet.
		DistributionNotExpired,
		/// This holder already claimed from this distribution.
		AlreadyClaimed,
		/// The holder's share rounds to zero.
		NothingToClaim,
		/// No open buyback has this id.
		UnknownBuyback,
		/// The tender is worth less than one unit of the payment asset.
		TenderTooSmall,
		/// The buyback's remaining budget cannot pay for this tender.
		BudgetExhausted,
		/// The payer cannot put this amount on hold.
		InsufficientFunds,
		/// No such NFT in this collection.
		UnknownItem,
		/// An NFT with this id already exists in the collection.
		ItemExists,
		/// The caller does not own the NFT.
		NotItemOwner,
		/// The metadata is too long.
		MetadataTooLong,
		/// Compliance would hold this movement for review, which a movement made by another
		/// pallet (a payment-channel settlement) cannot wait for.
		ReviewRequired,
		/// The account cannot pay the item's storage deposit (native balance too low).
		CannotPayDeposit,
		/// The distribution is not closed yet: its records are still read.
		DistributionStillOpen,
		/// A clean-up limit must be 1 to `MAX_PURGE_PER_CALL`.
		InvalidLimit,
		/// The token is being destroyed: nothing about it can change.
		TokenDestroying,
		/// The token is not being destroyed ([`Pallet::start_destroy`] first).
		NotDestroying,
		/// Units (or NFT items) of the token exist: burn, redeem or claw them back first.
		SupplyOutstanding,
		/// Redemptions of the token await the issuer's payout.
		RedemptionsPending,
		/// Buybacks of the token are open.
		BuybacksOpen,
		/// Distributions of the token are not closed yet.
		DistributionsOpen,
		/// Per-account records of the token are left ([`Pallet::destroy_accounts`] first).
		AccountsRemain,
		/// The token's admin renounced the power this call needs ([`Pallet::renounce_power`]).
		PowerRenounced,
		/// This power is already renounced on the token.
		PowerAlreadyRenounced,
		/// The NFT is in escrow for a pending movement (a settlement instruction): it moves only
		/// with it, until released.
		ItemEscrowed,
		/// The NFT is not in escrow for this owner.
		ItemNotEscrowed,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			assert!(T::StringLimit::get() > 0, "names and symbols have room");
			assert!(T::MaxLockups::get() > 0, "a holder can have a lock-up");
			assert!(T::MaxOpenDistributions::get() > 0, "a token can pay a distribution");
			assert!(
				!T::MinDistributionDuration::get().is_zero()
					&& T::MinDistributionDuration::get() <= T::MaxDistributionDuration::get(),
				"distribution durations form a non-empty range"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an issuance template under the next template id.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - Event: [`Event::TemplateRegistered`].
		/// - Weight: [`WeightInfo::register_template`], constant.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_template())]
		pub fn register_template(origin: OriginFor<T>, spec: TemplateSpecOf<T>) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_register_template(spec).map(|_| ())
		}

		/// Replaces a template's terms; only while no token made from it exists.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - Event: [`Event::TemplateUpdated`].
		/// - Weight: [`WeightInfo::update_template`], constant.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_template())]
		pub fn update_template(
			origin: OriginFor<T>,
			template: TemplateId,
			spec: TemplateSpecOf<T>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_update_template(template, spec)
		}

		/// Removes a template; only while no token made from it exists.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - Event: [`Event::TemplateRetired`].
		/// - Weight: [`WeightInfo::retire_template`], constant.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::retire_template())]
		pub fn retire_template(origin: OriginFor<T>, template: TemplateId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_retire_template(template)
		}

		/// Creates token `token` from `template`: a `pallet-assets` asset (or, for the NFT class,
		/// a `pallet-nfts` collection) owned by this pallet, with the caller as issuer.
		///
		/// - Origin: signed; the issuer, who gets the template's roles and pays
		///   `TokenDeposit` (held).
		/// - Effect: `cap` must be at most the template's limit (`None` takes the limit).
		/// - Event: [`Event::TokenCreated`].
		/// - Weight: [`WeightInfo::create_token`], constant.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::create_token().max(T::WeightInfo::create_collection_token()))]
		pub fn create_token(
			origin: OriginFor<T>,
			token: T::TokenId,
			template: TemplateId,
			name: BoundedVec<u8, T::StringLimit>,
			symbol: BoundedVec<u8, T::StringLimit>,
			cap: Option<T::Balance>,
			document_hash: DocumentHash,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_create_token(issuer, token, template, name, symbol, cap, document_hash)
		}

		/// Replaces the token's governing-document digest (a new prospectus or report).
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::DocumentUpdated`].
		/// - Weight: [`WeightInfo::set_document`], constant.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_document())]
		pub fn set_document(
			origin: OriginFor<T>,
			token: T::TokenId,
			document_hash: DocumentHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_document(who, token, document_hash)
		}

		/// Grants `role` on `token` to `who`.
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::RoleGranted`].
		/// - Weight: [`WeightInfo::grant_role`], constant.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::grant_role())]
		pub fn grant_role(
			origin: OriginFor<T>,
			token: T::TokenId,
			who: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_set_role(admin, token, who, role, true)
		}

		/// Revokes `role` on `token` from `who` (the issuer's admin role cannot be revoked).
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::RoleRevoked`].
		/// - Weight: [`WeightInfo::revoke_role`], constant.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_role())]
		pub fn revoke_role(
			origin: OriginFor<T>,
			token: T::TokenId,
			who: AccountIdLookupOf<T>,
			role: Role,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_set_role(admin, token, who, role, false)
		}

		/// Mints `amount` to `beneficiary`, under the cap (and, for a stablecoin, the attested
		/// reserves); applies the token's default lock-up to the minted units.
		///
		/// - Origin: signed; a minter of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Mint`] is
		///   renounced.
		/// - Event: [`Event::Minted`] (and [`Event::LockupAdded`] with a default lock-up).
		/// - Weight: [`WeightInfo::mint`], worst case with open distributions.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::mint().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn mint(
			origin: OriginFor<T>,
			token: T::TokenId,
			beneficiary: AccountIdLookupOf<T>,
			#[pallet::compact] amount: T::Balance,
		) -> DispatchResult {
			let minter = ensure_signed(origin)?;
			let beneficiary = T::Lookup::lookup(beneficiary)?;
			Self::do_mint(minter, token, beneficiary, amount)
		}

		/// Burns `amount` from the caller's own transferable balance.
		///
		/// - Origin: signed; a minter of the token.
		/// - Event: [`Event::Burned`].
		/// - Weight: [`WeightInfo::burn`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::burn().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn burn(
			origin: OriginFor<T>,
			token: T::TokenId,
			#[pallet::compact] amount: T::Balance,
		) -> DispatchResult {
			let minter = ensure_signed(origin)?;
			Self::do_burn(minter, token, amount)
		}

		/// Sends `amount` of `token` to `dest`, through the token's transfer rules.
		///
		/// - Origin: signed; the holder.
		/// - Effect: refused when the token is paused, either account is frozen, either is off an
		///   allowlisted token's allowlist, or the transferable (unlocked) balance is too low.
		/// - Event: [`Event::Transferred`].
		/// - Weight: [`WeightInfo::transfer`], worst case with open distributions and lock-ups,
		///   plus the compliance check; when allowed and the token has no open distribution and
		///   the sender no lock-up, refunded to [`WeightInfo::transfer_without_records`] (or to
		///   the benchmarked checked transfer of a regulated token).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::transfer().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn transfer(
			origin: OriginFor<T>,
			token: T::TokenId,
			dest: AccountIdLookupOf<T>,
			#[pallet::compact] amount: T::Balance,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let dest = T::Lookup::lookup(dest)?;
			Self::do_transfer_with_refund(token, from, dest, amount, None)
		}

		/// Adds `who` to (`allowed`) or removes them from the token's allowlist.
		///
		/// - Origin: signed; an admin or controller of the token.
		/// - Event: [`Event::AllowlistChanged`].
		/// - Weight: [`WeightInfo::set_allowlisted`], constant.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_allowlisted())]
		pub fn set_allowlisted(
			origin: OriginFor<T>,
			token: T::TokenId,
			who: AccountIdLookupOf<T>,
			allowed: bool,
		) -> DispatchResult {
			let by = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_set_allowlisted(by, token, who, allowed)
		}

		/// Locks `amount` of `holder`'s unlocked balance under `terms`, from block `start`
		/// (`None`: now; a past start backdates vesting, e.g. to an employment date).
		///
		/// - Origin: signed; an admin of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Freeze`] is
		///   renounced.
		/// - Event: [`Event::LockupAdded`].
		/// - Weight: [`WeightInfo::add_lockup`], worst case with the most schedules.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::add_lockup())]
		pub fn add_lockup(
			origin: OriginFor<T>,
			token: T::TokenId,
			holder: AccountIdLookupOf<T>,
			#[pallet::compact] amount: T::Balance,
			terms: LockupTerms<BlockNumberFor<T>>,
			start: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let holder = T::Lookup::lookup(holder)?;
			Self::do_add_lockup(admin, token, holder, amount, terms, start)
		}

		/// Releases every lock-up of `holder` at once.
		///
		/// - Origin: signed; a controller of the token.
		/// - Event: [`Event::LockupsReleased`] with `reason`.
		/// - Weight: [`WeightInfo::release_lockups`], constant.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::release_lockups())]
		pub fn release_lockups(
			origin: OriginFor<T>,
			token: T::TokenId,
			holder: AccountIdLookupOf<T>,
			reason: ReasonCode,
		) -> DispatchResult {
			let controller = ensure_signed(origin)?;
			let holder = T::Lookup::lookup(holder)?;
			Self::do_release_lockups(controller, token, holder, reason)
		}

		/// Removes `holder`'s fully unlocked schedules (frees storage; changes no balance).
		///
		/// - Origin: signed; anyone.
		/// - Event: [`Event::LockupsPruned`].
		/// - Weight: [`WeightInfo::prune_lockups`], worst case with the most schedules.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::prune_lockups())]
		pub fn prune_lockups(
			origin: OriginFor<T>,
			token: T::TokenId,
			holder: AccountIdLookupOf<T>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let holder = T::Lookup::lookup(holder)?;
			Self::do_prune_lockups(token, holder)
		}

		/// Freezes `who`'s holding of `token`: nothing moves in or out except by a controller.
		///
		/// - Origin: signed; a freezer of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Freeze`] is
		///   renounced.
		/// - Event: [`Event::AccountFrozen`] with `reason`.
		/// - Weight: [`WeightInfo::freeze_account`], constant.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::freeze_account())]
		pub fn freeze_account(
			origin: OriginFor<T>,
			token: T::TokenId,
			who: AccountIdLookupOf<T>,
			reason: ReasonCode,
		) -> DispatchResult {
			let freezer = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_freeze_account(freezer, token, who, reason)
		}

		/// Thaws a frozen account (also once freezing is renounced).
		///
		/// - Origin: signed; a freezer of the token.
		/// - Event: [`Event::AccountThawed`] with `reason`.
		/// - Weight: [`WeightInfo::thaw_account`], constant.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::thaw_account())]
		pub fn thaw_account(
			origin: OriginFor<T>,
			token: T::TokenId,
			who: AccountIdLookupOf<T>,
			reason: ReasonCode,
		) -> DispatchResult {
			let freezer = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_thaw_account(freezer, token, who, reason)
		}

		/// Stops every movement of the token (transfers, mints, burns, tenders, NFT moves).
		///
		/// - Origin: signed; a freezer of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Freeze`] is
		///   renounced.
		/// - Event: [`Event::TokenPaused`] with `reason`.
		/// - Weight: [`WeightInfo::pause`], constant.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::pause())]
		pub fn pause(
			origin: OriginFor<T>,
			token: T::TokenId,
			reason: ReasonCode,
		) -> DispatchResult {
			let freezer = ensure_signed(origin)?;
			Self::do_set_paused(freezer, token, true, reason)
		}

		/// Resumes a paused token (also once freezing is renounced).
		///
		/// - Origin: signed; a freezer of the token.
		/// - Event: [`Event::TokenUnpaused`] with `reason`.
		/// - Weight: [`WeightInfo::unpause`], constant.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::unpause())]
		pub fn unpause(
			origin: OriginFor<T>,
			token: T::TokenId,
			reason: ReasonCode,
		) -> DispatchResult {
			let freezer = ensure_signed(origin)?;
			Self::do_set_paused(freezer, token, false, reason)
		}

		/// Moves `amount` from `from` to `to` regardless of `from`'s freeze, lock-ups or the pause
		/// (clawback). `to` must be allowed to hold the token. Unlocked units are taken first;
		/// locked units taken shrink `from`'s schedules by as much.
		///
		/// - Origin: signed; a controller of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Clawback`] is
		///   renounced.
		/// - Event: [`Event::ForcedTransfer`] with `reason`.
		/// - Weight: [`WeightInfo::force_transfer`], worst case with the most schedules.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::force_transfer())]
		pub fn force_transfer(
			origin: OriginFor<T>,
			token: T::TokenId,
			from: AccountIdLookupOf<T>,
			to: AccountIdLookupOf<T>,
			#[pallet::compact] amount: T::Balance,
			reason: ReasonCode,
		) -> DispatchResult {
			let controller = ensure_signed(origin)?;
			let from = T::Lookup::lookup(from)?;
			let to = T::Lookup::lookup(to)?;
			Self::do_force_transfer(controller, token, from, to, amount, reason)
		}

		/// Sets (or, with `None`, removes) the account that attests a stablecoin's reserves.
		///
		/// - Origin: `GovernanceOrigin`.
		/// - Event: [`Event::ReserveAttestorSet`].
		/// - Weight: [`WeightInfo::set_reserve_attestor`], constant.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::set_reserve_attestor())]
		pub fn set_reserve_attestor(
			origin: OriginFor<T>,
			token: T::TokenId,
			attestor: Option<AccountIdLookupOf<T>>,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let attestor = attestor.map(T::Lookup::lookup).transpose()?;
			Self::do_set_reserve_attestor(token, attestor)
		}

		/// Posts the stablecoin's attested reserves. Reserves below the supply are recorded as a
		/// shortfall, which stops minting until a later attestation covers the supply.
		///
		/// - Origin: signed; the token's reserve attestor.
		/// - Event: [`Event::ReservesAttested`] (and [`Event::ReserveShortfall`]).
		/// - Weight: [`WeightInfo::attest_reserves`], constant.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::attest_reserves())]
		pub fn attest_reserves(
			origin: OriginFor<T>,
			token: T::TokenId,
			#[pallet::compact] amount: T::Balance,
			report_hash: DocumentHash,
		) -> DispatchResult {
			let attestor = ensure_signed(origin)?;
			Self::do_attest_reserves(attestor, token, amount, report_hash)
		}

		/// Redeems `amount` stablecoins: burns them and records a redemption the issuer pays out
		/// off chain.
		///
		/// - Origin: signed; the holder, who also holds the redemption's storage deposit (native,
		///   [`HoldReason::StorageDeposit`]) until the issuer confirms the payout.
		/// - Event: [`Event::RedemptionRequested`].
		/// - Weight: [`WeightInfo::redeem`].
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::redeem().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn redeem(
			origin: OriginFor<T>,
			token: T::TokenId,
			#[pallet::compact] amount: T::Balance,
		) -> DispatchResult {
			let holder = ensure_signed(origin)?;
			Self::do_redeem(holder, token, amount)
		}

		/// Confirms that redemption `redemption` was paid off chain, with a payment reference.
		///
		/// - Origin: signed; an admin of the stablecoin.
		/// - Effect: the redemption is removed and its storage deposit returns to the holder.
		/// - Event: [`Event::RedemptionPaid`].
		/// - Weight: [`WeightInfo::confirm_redemption`], constant.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::confirm_redemption())]
		pub fn confirm_redemption(
			origin: OriginFor<T>,
			redemption: RedemptionId,
			payment_reference: DocumentHash,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_confirm_redemption(admin, redemption, payment_reference)
		}

		/// Opens a distribution of `amount` of `payout_asset` to the token's holders, pro rata to
		/// their balances now (the record point), claimable for `duration` blocks.
		///
		/// - Origin: signed; an admin of the token, who pays (the payout is held on their
		///   account until claimed or the distribution closes).
		/// - Event: [`Event::DistributionCreated`].
		/// - Weight: [`WeightInfo::create_distribution`], constant.
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::create_distribution())]
		pub fn create_distribution(
			origin: OriginFor<T>,
			token: T::TokenId,
			payout_asset: T::FundsAssetId,
			#[pallet::compact] amount: T::Balance,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::do_create_distribution(payer, token, payout_asset, amount, duration).map(|_| ())
		}

		/// Pays the caller their share of distribution `distribution`: payout × balance at the
		/// record point ÷ supply at the record point, rounded down. Once per holder.
		///
		/// - Origin: signed; a holder at the record point.
		/// - Event: [`Event::DistributionClaimed`].
		/// - Weight: [`WeightInfo::claim_distribution`], constant.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::claim_distribution())]
		pub fn claim_distribution(
			origin: OriginFor<T>,
			distribution: DistributionId,
		) -> DispatchResult {
			let holder = ensure_signed(origin)?;
			Self::do_claim_distribution(holder, distribution)
		}

		/// Closes an expired distribution and releases the unclaimed rest to the payer.
		///
		/// - Origin: signed; anyone, from expiry on.
		/// - Event: [`Event::DistributionClosed`].
		/// - Weight: [`WeightInfo::close_distribution`], worst case with the most open
		///   distributions.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::close_distribution())]
		pub fn close_distribution(
			origin: OriginFor<T>,
			distribution: DistributionId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_close_distribution(distribution)
		}

		/// Deletes up to `limit` records (recorded balances, then claims) of closed distribution
		/// `distribution`, which nothing reads any more. Call again until `complete`.
		///
		/// - Origin: signed; anyone.
		/// - Limit: 1 to [`MAX_PURGE_PER_CALL`].
		/// - Event: [`Event::DistributionRecordsPurged`].
		/// - Weight: [`WeightInfo::purge_distribution_records`], linear in `limit`.
		#[pallet::call_index(34)]
		#[pallet::weight(T::WeightInfo::purge_distribution_records(*limit))]
		pub fn purge_distribution_records(
			origin: OriginFor<T>,
			distribution: DistributionId,
			limit: u32,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_purge_distribution_records(distribution, limit)
		}

		/// Opens a buyback of the token at `price` (payment units per whole token) with `budget`
		/// held on the caller's account.
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::BuybackOpened`].
		/// - Weight: [`WeightInfo::open_buyback`], constant.
		#[pallet::call_index(26)]
		#[pallet::weight(T::WeightInfo::open_buyback())]
		pub fn open_buyback(
			origin: OriginFor<T>,
			token: T::TokenId,
			payment_asset: T::FundsAssetId,
			#[pallet::compact] price: T::Balance,
			#[pallet::compact] budget: T::Balance,
		) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			Self::do_open_buyback(buyer, token, payment_asset, price, budget).map(|_| ())
		}

		/// Tenders `amount` of the caller's transferable units into buyback `buyback`: they are
		/// burned and the caller is paid `amount × price ÷ 10^decimals` (rounded down).
		///
		/// - Origin: signed; a holder.
		/// - Event: [`Event::Tendered`].
		/// - Weight: [`WeightInfo::tender`], worst case with open distributions.
		#[pallet::call_index(27)]
		#[pallet::weight(T::WeightInfo::tender().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn tender(
			origin: OriginFor<T>,
			buyback: BuybackId,
			#[pallet::compact] amount: T::Balance,
		) -> DispatchResult {
			let holder = ensure_signed(origin)?;
			Self::do_tender(holder, buyback, amount)
		}

		/// Closes a buyback and releases the unspent budget.
		///
		/// - Origin: signed; the buyer or an admin of the token.
		/// - Event: [`Event::BuybackClosed`].
		/// - Weight: [`WeightInfo::close_buyback`], constant.
		#[pallet::call_index(28)]
		#[pallet::weight(T::WeightInfo::close_buyback())]
		pub fn close_buyback(origin: OriginFor<T>, buyback: BuybackId) -> DispatchResult {
			let buyer = ensure_signed(origin)?;
			Self::do_close_buyback(buyer, buyback)
		}

		/// Mints NFT `item` of an NFT collection token to `owner`, with `metadata`.
		///
		/// - Origin: signed; a minter of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Mint`] is
		///   renounced.
		/// - Event: [`Event::NftMinted`].
		/// - Weight: [`WeightInfo::mint_nft`], linear in the metadata length bound.
		#[pallet::call_index(29)]
		#[pallet::weight(T::WeightInfo::mint_nft().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn mint_nft(
			origin: OriginFor<T>,
			token: T::TokenId,
			item: T::ItemId,
			owner: AccountIdLookupOf<T>,
			metadata: ItemMetadataOf<T>,
		) -> DispatchResult {
			let minter = ensure_signed(origin)?;
			let owner = T::Lookup::lookup(owner)?;
			Self::do_mint_nft(minter, token, item, owner, metadata)
		}

		/// Sends the caller's NFT `item` to `dest`, through the token's transfer rules.
		///
		/// - Origin: signed; the item's owner.
		/// - Event: [`Event::NftTransferred`].
		/// - Weight: [`WeightInfo::transfer_nft`], constant.
		#[pallet::call_index(30)]
		#[pallet::weight(T::WeightInfo::transfer_nft().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn transfer_nft(
			origin: OriginFor<T>,
			token: T::TokenId,
			item: T::ItemId,
			dest: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let dest = T::Lookup::lookup(dest)?;
			Self::do_transfer_nft(owner, token, item, dest)
		}

		/// Burns the caller's NFT `item`.
		///
		/// - Origin: signed; the item's owner (not frozen, token not paused).
		/// - Event: [`Event::NftBurned`].
		/// - Weight: [`WeightInfo::burn_nft`], constant.
		#[pallet::call_index(31)]
		#[pallet::weight(T::WeightInfo::burn_nft().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn burn_nft(
			origin: OriginFor<T>,
			token: T::TokenId,
			item: T::ItemId,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_burn_nft(owner, token, item)
		}

		/// Moves NFT `item` to `dest` regardless of its owner's freeze or the pause.
		///
		/// - Origin: signed; a controller of the token.
		/// - Effect: refused ([`Error::PowerRenounced`]) once [`TokenPower::Clawback`] is
		///   renounced.
		/// - Event: [`Event::NftForcedTransfer`] with `reason`.
		/// - Weight: [`WeightInfo::force_transfer_nft`], constant.
		#[pallet::call_index(32)]
		#[pallet::weight(T::WeightInfo::force_transfer_nft())]
		pub fn force_transfer_nft(
			origin: OriginFor<T>,
			token: T::TokenId,
			item: T::ItemId,
			dest: AccountIdLookupOf<T>,
			reason: ReasonCode,
		) -> DispatchResult {
			let controller = ensure_signed(origin)?;
			let dest = T::Lookup::lookup(dest)?;
			Self::do_force_transfer_nft(controller, token, item, dest, reason)
		}

		/// Starts destroying `token`, as `pallet-assets`' `start_destroy`: from now on nothing
		/// about it moves or changes. Needs no unit or item left, no redemption awaiting payout,
		/// no open buyback or distribution. Then [`Pallet::destroy_accounts`] until complete, then
		/// [`Pallet::finish_destroy`].
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::DestructionStarted`].
		/// - Weight: [`WeightInfo::start_destroy`], constant.
		#[pallet::call_index(35)]
		#[pallet::weight(T::WeightInfo::start_destroy())]
		pub fn start_destroy(origin: OriginFor<T>, token: T::TokenId) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_start_destroy(admin, token)
		}

		/// Deletes up to `limit` per-account records of a token being destroyed: roles, allowlist
		/// and freeze states, lock-ups, then the compliance pallet's velocity entries (returning
		/// their deposits). Call again until `complete`.
		///
		/// - Origin: signed; anyone.
		/// - Limit: 1 to [`MAX_PURGE_PER_CALL`].
		/// - Event: [`Event::AccountsDestroyed`].
		/// - Weight: [`WeightInfo::destroy_accounts`] plus the compliance records, linear in
		///   `limit`; refunded to what was removed.
		#[pallet::call_index(36)]
		#[pallet::weight(Pallet::<T>::destroy_accounts_weight(*limit, *limit))]
		pub fn destroy_accounts(
			origin: OriginFor<T>,
			token: T::TokenId,
			limit: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_destroy_accounts(token, limit)
		}

		/// Removes a token being destroyed whose per-account records are all gone: its ledger
		/// entry (the `pallet-assets` asset or the `pallet-nfts` collection), its reserves, its
		/// compliance rules, its renounced powers and the token; returns the issuer's deposit and
		/// the renounced powers' deposit, and frees the id and the template.
		///
		/// - Origin: signed; anyone.
		/// - Event: [`Event::TokenDestroyed`].
		/// - Weight: the larger of [`WeightInfo::finish_destroy`] and
		///   [`WeightInfo::finish_destroy_collection`], plus the compliance rules.
		#[pallet::call_index(37)]
		#[pallet::weight(T::WeightInfo::finish_destroy()
			.max(T::WeightInfo::finish_destroy_collection())
			.saturating_add(T::TokenRecords::forget_weight()))]
		pub fn finish_destroy(origin: OriginFor<T>, token: T::TokenId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_finish_destroy(token)
		}

		/// Gives up `power` on `token` for good: from now on every call that uses it fails with
		/// [`Error::PowerRenounced`], whoever signs it (admins included), and nothing can give it
		/// back.
		/// - [`TokenPower::Freeze`]: [`Pallet::freeze_account`], [`Pallet::pause`] and
		///   [`Pallet::add_lockup`] (locking units a holder already has is a freeze of them).
		///   [`Pallet::thaw_account`] and [`Pallet::unpause`] stay allowed, so an account frozen
		///   or a token paused before can still be released; the template's default lock-up of
		///   newly minted units still applies.
		/// - [`TokenPower::Clawback`]: [`Pallet::force_transfer`] and
		///   [`Pallet::force_transfer_nft`] (every other way units leave an account, burns
		///   included, is the holder's own call).
		/// - [`TokenPower::Mint`]: [`Pallet::mint`] and [`Pallet::mint_nft`].
		///
		/// - Origin: signed; an admin of the token. The first renunciation on a token holds the
		///   record's storage deposit (native, [`HoldReason::StorageDeposit`]) from the caller
		///   until the token is destroyed; later ones add nothing.
		/// - Event: [`Event::PowerRenounced`].
		/// - Weight: [`WeightInfo::renounce_power`], worst case the first renunciation.
		#[pallet::call_index(38)]
		#[pallet::weight(T::WeightInfo::renounce_power())]
		pub fn renounce_power(
			origin: OriginFor<T>,
			token: T::TokenId,
			power: TokenPower,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_renounce_power(admin, token, power)
		}

		/// [`Pallet::transfer`] carrying `travel_rule`, the digest of the originator and
		/// beneficiary data the travel rule requires above a token's threshold (the data itself
		/// travels off chain between the two institutions).
		///
		/// - Origin: signed; the holder.
		/// - Event: [`Event::Transferred`] (or the compliance pallet's hold event).
		/// - Weight: [`WeightInfo::transfer`] plus the compliance check.
		#[pallet::call_index(33)]
		#[pallet::weight(T::WeightInfo::transfer().saturating_add(T::Compliance::transfer_check_weight()))]
		pub fn transfer_with_travel_rule(
			origin: OriginFor<T>,
			token: T::TokenId,
			dest: AccountIdLookupOf<T>,
			#[pallet::compact] amount: T::Balance,
			travel_rule: DocumentHash,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let dest = T::Lookup::lookup(dest)?;
			Self::do_transfer_with_refund(token, from, dest, amount, Some(travel_rule))
		}
	}
}
