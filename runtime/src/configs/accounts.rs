//! Account helpers: batching (utility), multisig, proxies, and the development-only sudo key.

use super::call_kinds::{call_kind, CallKind};
use crate::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	parameter_types,
	traits::{ConstU32, InstanceFilter},
};
use scale_info::TypeInfo;
use sp_runtime::traits::BlakeTwo256;

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = weights::pallet_utility::WeightInfo<Runtime>;
}

parameter_types! {
	// One storage item; key size 32 + value size 8 + 32 + 32 * MaxSignatories.
	pub const MultisigDepositBase: Balance = deposit(1, 88);
	pub const MultisigDepositFactor: Balance = deposit(0, 32);
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = MultisigDepositBase;
	type DepositFactor = MultisigDepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = System;
}

/// What a proxy account may do on behalf of its delegator. Each type is an allowlist of call
/// kinds ([`CallKind`]); every call of the runtime has a kind, decided in `call_kinds.rs`.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum ProxyType {
	/// Everything.
	Any,
	/// Nothing that moves the delegator's value or grants a right to move it, and no token
	/// administration: remarks, attestations, relaying, permissionless payouts, its own proxies.
	NonTransfer,
	/// Only rejecting announced proxy calls (and batches of those).
	CancelProxy,
	/// An issuer's operations desk: administering tokens and collections (mint, burn, freeze,
	/// pause, lock-ups, metadata, allowlists, rules, review decisions), never transfers,
	/// approvals, forced transfers or role grants.
	AssetManager,
	/// A payment institution paying out of the delegator's token holdings on the delegator's
	/// instructions (the ISO 20022 gateway, the open-banking API): compliance-checked token
	/// transfers (and batches of those), nothing else. No native transfers, approvals, forced
	/// transfers, proxies or administration.
	TokenPayments,
}

impl Default for ProxyType {
	fn default() -> Self {
		Self::Any
	}
}

impl ProxyType {
	/// Whether this proxy type may make calls of `kind`.
	pub fn allows(&self, kind: CallKind) -> bool {
		use CallKind::*;
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => {
				matches!(kind, Neutral | Wrapper | ProxyManagement | RejectsAnnouncement)
			}
			ProxyType::CancelProxy => matches!(kind, RejectsAnnouncement | Wrapper),
			ProxyType::AssetManager => matches!(kind, AssetAdministration | Wrapper),
			ProxyType::TokenPayments => matches!(kind, PaysToken | Wrapper),
		}
	}
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		self.allows(call_kind(call))
	}

	fn is_superset(&self, o: &Self) -> bool {
		match (self, o) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, ProxyType::CancelProxy) => true,
			_ => false,
		}
	}
}

parameter_types! {
	// One storage item: 32-byte key, 8-byte value.
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	// Each proxy adds 33 bytes (account + proxy type).
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

/// DEV-ONLY governance: a single sudo key, set in the genesis presets to Alice.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
