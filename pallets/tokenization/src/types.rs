//! Types of the tokenization pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::BoundedVec,
	sp_runtime::traits::{AtLeast32BitUnsigned, SaturatedConversion, Zero},
};
use scale_info::TypeInfo;
pub use tpwallet_storage_deposit::Deposit;

/// Identifier of an issuance template, assigned in order of registration.
pub type TemplateId = u32;
/// Identifier of a dividend or other pro-rata distribution.
pub type DistributionId = u64;
/// Identifier of a buyback offer.
pub type BuybackId = u64;
/// Identifier of a stablecoin redemption request.
pub type RedemptionId = u64;
/// Why a controller or freezer acted (a regulator's order, a court order, a lost key, ...), as a
/// code the issuer's rulebook defines. Recorded in every freeze, pause and forced-transfer event.
pub type ReasonCode = u16;
/// A 32-byte document digest: a prospectus, an ISIN record or a reserve report.
pub type DocumentHash = [u8; 32];

/// What a token is; fixes which rules apply to it.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TokenClass {
	/// A fiat-backed stablecoin: supply may never exceed the attested reserves.
	Stablecoin,
	/// An asset-backed security token (equity, debt, fund units).
	SecurityToken,
	/// A utility token.
	UtilityToken,
	/// A collection of non-fungible items (in `pallet-nfts`).
	NftCollection,
}

/// Who a token may move between.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TransferPolicy {
	/// Any account may hold and receive the token.
	Open,
	/// Only accounts on the token's allowlist may send, receive or hold it.
	Allowlisted,
}

/// A role on one token.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Role {
	/// Manages roles, the allowlist, lock-ups, distributions, buybacks and redemptions.
	Admin,
	/// Mints and burns.
	Minter,
	/// Freezes and thaws accounts, pauses and unpauses the token.
	Freezer,
	/// The compliance officer: forced transfers (clawback), releasing lock-ups.
	Controller,
}

impl Role {
	const fn bit(self) -> u8 {
		match self {
			Role::Admin => 1,
			Role::Minter => 2,
			Role::Freezer => 4,
			Role::Controller => 8,
		}
	}
}

/// A set of [`Role`]s.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct RoleSet(pub u8);

impl RoleSet {
	/// No role.
	pub const fn empty() -> Self {
		RoleSet(0)
	}
	/// Every role.
	pub const fn all() -> Self {
		RoleSet(1 | 2 | 4 | 8)
	}
	/// The set with exactly these roles.
	pub fn of(roles: &[Role]) -> Self {
		roles.iter().fold(Self::empty(), |set, role| set.with(*role))
	}
	/// Whether `role` is in the set.
	pub fn contains(&self, role: Role) -> bool {
		self.0 & role.bit() != 0
	}
	/// The set plus `role`.
	pub fn with(self, role: Role) -> Self {
		RoleSet(self.0 | role.bit())
	}
	/// The set without `role`.
	pub fn without(self, role: Role) -> Self {
		RoleSet(self.0 & !role.bit())
	}
	/// Whether the set is empty.
	pub fn is_empty(&self) -> bool {
		self.0 == 0
	}
	/// Whether every bit is a known role.
	pub fn is_valid(&self) -> bool {
		self.0 & !Self::all().0 == 0
	}
}

/// A power a token's admin can give up for good
/// ([`Pallet::renounce_power`](crate::Pallet::renounce_power)), as XRPL's `NoFreeze`: once
/// renounced, no role (admins included) can use it on that token again.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TokenPower {
	/// Stopping holders' units: freezing an account, pausing the token, locking up units a holder
	/// already has. Thawing and unpausing stay allowed, so nobody is left stuck.
	Freeze,
	/// Taking units or items from a holder without their consent: forced transfers.
	Clawback,
	/// Increasing the supply: minting units or NFT items.
	Mint,
}

/// The powers renounced on a token.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PowerSet {
	/// [`TokenPower::Freeze`] is renounced.
	pub freeze: bool,
	/// [`TokenPower::Clawback`] is renounced.
	pub clawback: bool,
	/// [`TokenPower::Mint`] is renounced.
	pub mint: bool,
}

impl PowerSet {
	fn flag(&mut self, power: TokenPower) -> &mut bool {
		match power {
			TokenPower::Freeze => &mut self.freeze,
			TokenPower::Clawback => &mut self.clawback,
			TokenPower::Mint => &mut self.mint,
		}
	}
	/// Whether `power` is in the set.
	pub fn contains(&self, power: TokenPower) -> bool {
		let mut set = *self;
		*set.flag(power)
	}
	/// The set plus `power`.
	pub fn with(mut self, power: TokenPower) -> Self {
		*self.flag(power) = true;
		self
	}
	/// Whether the set is empty.
	pub fn is_empty(&self) -> bool {
		*self == Self::default()
	}
}

/// The powers renounced on a token, and the storage deposit of this record, held from the admin
/// who first renounced one.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Renunciation<AccountId, Balance> {
	/// What is renounced (never empty: the record exists from the first renunciation).
	pub powers: PowerSet,
	/// The storage deposit, native; returned when the token is destroyed.
	pub deposit: Deposit<AccountId, Balance>,
}

/// Lock-up terms: nothing unlocks before `cliff` blocks have passed since the start; from then the
/// amount unlocks linearly, fully at `duration` blocks after the start.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct LockupTerms<BlockNumber> {
	/// Blocks from the start before anything unlocks.
	pub cliff: BlockNumber,
	/// Blocks from the start until everything is unlocked; at least `cliff`, more than zero.
	pub duration: BlockNumber,
}

/// One holder's lock-up of `total` units from block `start`, under `terms`.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct LockupSchedule<Balance, BlockNumber> {
	/// Units locked at the start.
	pub total: Balance,
	/// Block the schedule starts.
	pub start: BlockNumber,
	/// Cliff and duration.
	pub terms: LockupTerms<BlockNumber>,
}

impl<Balance, BlockNumber> LockupSchedule<Balance, BlockNumber>
where
	Balance: AtLeast32BitUnsigned + Copy + Into<u128> + TryFrom<u128>,
	BlockNumber: AtLeast32BitUnsigned + Copy,
{
	/// Units still locked at block `now`: all before the cliff, none from `start + duration`,
	/// linear in between (rounded up, so a holder never gets a unit early).
	pub fn locked_at(&self, now: BlockNumber) -> Balance {
		let elapsed = now.saturating_sub(self.start);
		if elapsed < self.terms.cliff {
			return self.total;
		}
		if elapsed >= self.terms.duration {
			return Zero::zero();
		}
		let remaining: u128 = self.terms.duration.saturating_sub(elapsed).saturated_into();
		let duration: u128 = self.terms.duration.saturated_into();
		polkadot_sdk::sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			self.total.into(),
			remaining,
			duration,
			polkadot_sdk::sp_runtime::Rounding::Up,
		)
		.and_then(|locked| Balance::try_from(locked).ok())
		.map(|locked| locked.min(self.total))
		.unwrap_or(self.total)
	}

	/// Lowers the units locked at block `now` by `cut` (at most what is locked then) and returns
	/// by how much. Before the cliff the total drops by as much; once unlocking has begun, the
	/// total is scaled down so that exactly `locked_at(now) - cut` stays locked and the rest
	/// unlocks on the same dates (cutting the total by `cut` there would unlock less than `cut`,
	/// leaving more units locked than the holder has left).
	pub fn reduce_locked_at(&mut self, now: BlockNumber, cut: Balance) -> Balance {
		let locked = self.locked_at(now);
		let cut = cut.min(locked);
		if cut.is_zero() {
			return cut;
		}
		let target = locked.saturating_sub(cut);
		let elapsed = now.saturating_sub(self.start);
		if elapsed < self.terms.cliff {
			// Everything is locked: `locked == total`.
			self.total = target;
			return cut;
		}
		// Not fully unlocked (something is locked), so `remaining > 0`. The largest total whose
		// `locked_at(now)`, rounded up, is `target`: ⌊target × duration ÷ remaining⌋.
		let remaining: u128 = self.terms.duration.saturating_sub(elapsed).saturated_into();
		let duration: u128 = self.terms.duration.saturated_into();
		self.total = polkadot_sdk::sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			target.into(),
			duration,
			remaining,
			polkadot_sdk::sp_runtime::Rounding::Down,
		)
		.and_then(|total| Balance::try_from(total).ok())
		.map(|total| total.min(self.total))
		.unwrap_or(target);
		cut
	}

	/// Whether everything has unlocked by block `now`.
	pub fn is_expired_at(&self, now: BlockNumber) -> bool {
		now.saturating_sub(self.start) >= self.terms.duration
	}
}

/// An issuance template, registered by governance; tokens are created from it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct TemplateSpec<Balance, BlockNumber> {
	/// Class of every token made from the template.
	pub class: TokenClass,
	/// Decimals of every token made from the template (0 for NFT collections).
	pub decimals: u8,
	/// Highest supply cap a token may choose (item count for NFT collections); `None`: no limit.
	pub max_cap: Option<Balance>,
	/// Who the tokens may move between.
	pub policy: TransferPolicy,
	/// Lock-up applied to every mint, if any.
	pub default_lockup: Option<LockupTerms<BlockNumber>>,
	/// Roles the issuer gets on each new token (always including `Admin`).
	pub issuer_roles: RoleSet,
}

/// A registered template and how many tokens were made from it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Template<Balance, BlockNumber> {
	/// The terms.
	pub spec: TemplateSpec<Balance, BlockNumber>,
	/// Tokens created from it; while non-zero the template cannot change.
	pub live_tokens: u32,
}

/// Where a token is in its life.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum TokenStatus {
	/// In use: it moves, mints and burns under its rules.
	Live,
	/// Being destroyed ([`Pallet::start_destroy`](crate::Pallet::start_destroy)): nothing moves
	/// or changes; its records are being removed, then the token itself.
	Destroying,
}

/// A token managed by this pallet.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(StringLimit))]
pub struct TokenDetails<AccountId, Balance, BlockNumber, CollectionId, StringLimit>
where
	StringLimit: polkadot_sdk::frame_support::traits::Get<u32>,
{
	/// Class of the token.
	pub class: TokenClass,
	/// Who issued it.
	pub issuer: AccountId,
	/// The template it was made from.
	pub template: TemplateId,
	/// Name.
	pub name: BoundedVec<u8, StringLimit>,
	/// Ticker symbol.
	pub symbol: BoundedVec<u8, StringLimit>,
	/// Decimals.
	pub decimals: u8,
	/// Supply cap (item count for NFT collections); `None`: no cap.
	pub cap: Option<Balance>,
	/// Digest of the governing document (prospectus, ISIN record, reserve report).
	pub document_hash: DocumentHash,
	/// Who the token may move between.
	pub policy: TransferPolicy,
	/// Lock-up applied to every mint, if any.
	pub default_lockup: Option<LockupTerms<BlockNumber>>,
	/// Whether every movement of the token is stopped.
	pub paused: bool,
	/// The `pallet-nfts` collection of an NFT collection token.
	pub collection: Option<CollectionId>,
	/// Items in existence (NFT collections only).
	pub items: u32,
	/// Deposit held from the issuer for the token's storage.
	pub deposit: Balance,
	/// Live, or being destroyed.
	pub status: TokenStatus,
	/// Redemptions awaiting the issuer's payout: the token cannot be destroyed before they are
	/// paid.
	pub pending_redemptions: u32,
	/// Open buybacks: the token cannot be destroyed before they are closed.
	pub open_buybacks: u32,
}

/// The latest reserve attestation of a stablecoin.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ReserveAttestation<Balance, BlockNumber> {
	/// Attested reserves, in the stablecoin's units.
	pub amount: Balance,
	/// Digest of the attestor's report.
	pub report_hash: DocumentHash,
	/// Block of the attestation.
	pub attested_at: BlockNumber,
	/// The reserves were below the supply when attested: minting is stopped until an attestation
	/// covers the supply again.
	pub shortfall: bool,
}

/// A holder's redemption of stablecoins, burned on chain, awaiting the issuer's off-chain payout.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Redemption<TokenId, AccountId, Balance, BlockNumber> {
	/// The stablecoin.
	pub token: TokenId,
	/// Who redeemed, and is owed the payout.
	pub holder: AccountId,
	/// Units burned.
	pub amount: Balance,
	/// Block of the request.
	pub requested_at: BlockNumber,
	/// The storage deposit held from the holder, native.
	pub deposit: Deposit<AccountId, Balance>,
}

/// A pro-rata distribution (dividend, coupon) of a payout asset to a token's holders.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Distribution<TokenId, FundsAssetId, AccountId, Balance, BlockNumber> {
	/// The token whose holders are paid.
	pub token: TokenId,
	/// What they are paid in.
	pub payout_asset: FundsAssetId,
	/// Who deposited the payout (held on their account) and gets the unclaimed rest back.
	pub payer: AccountId,
	/// Total deposited.
	pub amount: Balance,
	/// Total paid out so far; never more than `amount`.
	pub paid: Balance,
	/// The token's supply at the record point (the block of creation).
	pub record_supply: Balance,
	/// The record point.
	pub record_block: BlockNumber,
	/// From this block on, nothing more can be claimed and the rest can be returned.
	pub expires_at: BlockNumber,
}

/// A buyback: the issuer buys tokens back at a fixed price from a held budget; tendered tokens
/// are burned.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Buyback<TokenId, FundsAssetId, AccountId, Balance> {
	/// The token bought back.
	pub token: TokenId,
	/// Who buys (the budget is held on their account).
	pub buyer: AccountId,
	/// What the buyer pays in.
	pub payment_asset: FundsAssetId,
	/// Payment units per whole token (10^decimals units).
	pub price: Balance,
	/// Budget not yet paid out.
	pub remaining_budget: Balance,
	/// Tokens bought and burned so far.
	pub bought: Balance,
}

/// A holder's balance of one token, as a wallet shows it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct HolderBalance<Balance> {
	/// Everything the holder has.
	pub total: Balance,
	/// Locked by lock-up schedules at the current block.
	pub locked: Balance,
	/// What the holder can send now (zero when frozen or paused).
	pub transferable: Balance,
	/// Whether the account is frozen for this token.
	pub frozen: bool,
}

/// A token's facts, as a wallet or an issuer dashboard shows them.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct TokenInfo<AccountId, Balance> {
	/// Class.
	pub class: TokenClass,
	/// Issuer.
	pub issuer: AccountId,
	/// Template it was made from.
	pub template: TemplateId,
	/// Name.
	pub name: alloc::vec::Vec<u8>,
	/// Symbol.
	pub symbol: alloc::vec::Vec<u8>,
	/// Decimals.
	pub decimals: u8,
	/// Cap; `None`: no cap.
	pub cap: Option<Balance>,
	/// Supply now (item count for NFT collections).
	pub supply: Balance,
	/// Transfer policy.
	pub policy: TransferPolicy,
	/// Whether paused.
	pub paused: bool,
	/// Document digest.
	pub document_hash: DocumentHash,
	/// Attested reserves of a stablecoin.
	pub reserves: Option<Balance>,
}

/// What a transfer would meet now, as a wallet shows it before the user signs.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum TransferCheck {
	/// It would go through.
	Allowed,
	/// It would be held for a compliance officer's review, by this rule.
	Held { rule: alloc::vec::Vec<u8> },
	/// It would be refused, with this error (the rule that fires, e.g. `JurisdictionBlocked`).
	Rejected { rule: alloc::vec::Vec<u8> },
}

/// What a holder can claim from one open distribution.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Claimable<FundsAssetId, Balance> {
	/// The distribution.
	pub distribution: DistributionId,
	/// Its payout asset.
	pub payout_asset: FundsAssetId,
	/// The holder's share, not yet claimed.
	pub amount: Balance,
}

/// Creates the runtime's `pallet-nfts` collection for an NFT collection token, and sets
/// `pallet-assets` metadata for a fungible one, without deposits (the pallet takes its own
/// deposit from the issuer). Implemented by the runtime with the stock pallets' force calls.
pub trait UnderlyingRegistry<TokenId, CollectionId, AccountId> {
	/// Creates a collection owned and administered by `owner` (this pallet's account), with no
	/// deposits; returns its id.
	fn create_collection(
		owner: &AccountId,
	) -> Result<CollectionId, polkadot_sdk::sp_runtime::DispatchError>;
	/// Sets the name, symbol and decimals wallets read from the fungible asset's metadata.
	fn set_metadata(
		token: TokenId,
		name: alloc::vec::Vec<u8>,
		symbol: alloc::vec::Vec<u8>,
		decimals: u8,
	) -> polkadot_sdk::sp_runtime::DispatchResult;
}

/// What a movement of a managed token is, for the compliance checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum MoveKind {
	/// A holder-to-holder transfer of a fungible token: the only kind that may be held for review.
	Transfer,
	/// New units to a holder.
	Mint,
	/// Units leaving circulation (burn, redemption, buyback tender).
	Burn,
	/// An NFT changing hands.
	NftTransfer,
}

/// What the compliance checks decided about a movement they did not reject (a rejection is an
/// error naming the rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum ComplianceVerdict {
	/// The movement goes ahead.
	Allow,
	/// A transfer is held for a compliance officer's review; the rule that fired is a code of
	/// the compliance pallet.
	Hold { rule: u8 },
}

/// An account's standing with one token.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct AccountState {
	/// On the token's allowlist (matters for allowlisted tokens only).
	pub allowlisted: bool,
	/// Frozen by a freezer, with the reason code.
	pub frozen: Option<ReasonCode>,
}

/// The compliance checks every movement of a managed token passes (the tokenization pallet calls
/// it from its one gate). `()` allows everything.
pub trait TransferCompliance<TokenId, AccountId, Balance> {
	/// Checks a movement of `amount` from `from` (`None`: mint) to `to` (`None`: burn).
	/// `travel_rule` is the digest of the originator/beneficiary data, when given. Changes
	/// nothing; `Err` names the rule that rejects it.
	fn check(
		token: &TokenId,
		kind: MoveKind,
		from: Option<&AccountId>,
		to: Option<&AccountId>,
		amount: Balance,
		travel_rule: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, polkadot_sdk::sp_runtime::DispatchError>;

	/// Records an allowed transfer (velocity windows). Called just before the transfer; fails
	/// (and with it the transfer) when the record cannot be paid for.
	fn record_transfer(
		token: &TokenId,
		from: &AccountId,
		amount: Balance,
	) -> polkadot_sdk::sp_runtime::DispatchResult;

	/// Puts a held transfer's funds on hold and opens its review case.
	fn open_review(
		token: &TokenId,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
		rule: u8,
	) -> polkadot_sdk::sp_runtime::DispatchResult;

	/// Worst-case weight of `check` plus `record_transfer` or `open_review`.
	fn transfer_check_weight() -> polkadot_sdk::frame_support::weights::Weight;

	/// For a regulated `token`: the weight of a whole allowed transfer of it that records
	/// nothing (no open distribution, no lock-up on the sender), benchmarked with the check
	/// inside, so that what the transfer and the check both read is counted once. `None` for a
	/// token without rules.
	fn checked_transfer_weight(
		token: &TokenId,
	) -> Option<polkadot_sdk::frame_support::weights::Weight>;
}

impl<TokenId, AccountId, Balance> TransferCompliance<TokenId, AccountId, Balance> for () {
	fn check(
		_: &TokenId,
		_: MoveKind,
		_: Option<&AccountId>,
		_: Option<&AccountId>,
		_: Balance,
		_: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, polkadot_sdk::sp_runtime::DispatchError> {
		Ok(ComplianceVerdict::Allow)
	}
	fn record_transfer(
		_: &TokenId,
		_: &AccountId,
		_: Balance,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		Ok(())
	}
	fn open_review(
		_: &TokenId,
		_: &AccountId,
		_: &AccountId,
		_: Balance,
		_: u8,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		Ok(())
	}
	fn transfer_check_weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
	fn checked_transfer_weight(
		_: &TokenId,
	) -> Option<polkadot_sdk::frame_support::weights::Weight> {
		None
	}
}

/// What another pallet keeps per token (the compliance pallet: the token's rules and its
/// senders' velocity entries), removed in bounded steps when the token is destroyed. `()` keeps
/// nothing.
pub trait TokenRecords<TokenId> {
	/// Removes up to `limit` of the per-account records kept for `token`, returning the deposits
	/// they hold; returns how many it removed.
	fn purge_accounts(token: &TokenId, limit: u32) -> u32;
	/// Whether a per-account record of `token` is left.
	fn has_accounts(token: &TokenId) -> bool;
	/// Removes what is kept for `token` itself (its rules), as the token is destroyed.
	fn forget(token: &TokenId);
	/// Weight of `purge_accounts` removing `n` records.
	fn purge_accounts_weight(n: u32) -> polkadot_sdk::frame_support::weights::Weight;
	/// Weight of `has_accounts` plus `forget`.
	fn forget_weight() -> polkadot_sdk::frame_support::weights::Weight;
}

impl<TokenId> TokenRecords<TokenId> for () {
	fn purge_accounts(_: &TokenId, _: u32) -> u32 {
		0
	}
	fn has_accounts(_: &TokenId) -> bool {
		false
	}
	fn forget(_: &TokenId) {}
	fn purge_accounts_weight(_: u32) -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
	fn forget_weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

/// What the tokenization pallet tells other pallets about the tokens it manages: the one answer
/// to "is this token managed?", its roles and its transfer gate. Other pallets (compliance)
/// depend on this trait, never on the pallet's storage.
pub trait ManagedTokens<TokenId, AccountId> {
	/// Whether `token` was issued through the tokenization pallet (and so follows its rules).
	fn is_managed(token: &TokenId) -> bool;
	/// Whether `who` holds `role` on `token`.
	fn has_role(token: &TokenId, who: &AccountId, role: Role) -> bool;
	/// Whether the token's own gate (pause, freezes, allowlist) lets units leave `from` and
	/// reach `to` now.
	fn ensure_can_move(
		token: &TokenId,
		from: Option<&AccountId>,
		to: Option<&AccountId>,
	) -> polkadot_sdk::sp_runtime::DispatchResult;
	/// Records the balances of `accounts` before they change (distribution record points).
	fn before_balances_change(token: &TokenId, accounts: &[&AccountId]);
}

/// How many accounts hold a fungible token (the ledger keeps the count).
pub trait HolderCount<TokenId> {
	/// Accounts holding `token`.
	fn holder_count(token: &TokenId) -> u32;
}

/// Every holder of a fungible token with their balance (the ledger's own view), for invariant
/// checks. Not for use in dispatchables: it iterates.
pub trait HolderLedger<TokenId, AccountId, Balance> {
	/// `(holder, balance)` for each account of `token`.
	fn holders(token: TokenId) -> alloc::vec::Vec<(AccountId, Balance)>;
}

/// Creates assets the benchmarks pay with.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<FundsAssetId, AccountId, Balance> {
	/// A funds asset (payout and payment), created if missing.
	fn funds_asset() -> FundsAssetId;
	/// Gives `who` `amount` of the funds asset and enough native balance for deposits.
	fn fund(asset: &FundsAssetId, who: &AccountId, amount: Balance);
}
