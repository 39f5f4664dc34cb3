//! A fuzz input: blocks of transactions, decoded from raw bytes with `arbitrary` (so every input
//! is a replayable file, and a coverage-guided engine can drive the same harness). Actions are
//! mostly structured (the chain's payment, token, channel, swap, compliance, settlement,
//! clearing, multisig, proxy and batch paths, between the actors of [`crate::actors`]) and partly raw: any `RuntimeCall`
//! decoded from the input's bytes, signed, or dispatched through sudo.

use crate::actors::{self, ASSET, MULTISIG_THRESHOLD, SIGNERS, TOKEN};
use arbitrary::{Arbitrary, Unstructured};
use codec::{DecodeLimit, Encode};
use frame_support::{dispatch::GetDispatchInfo, traits::fungible::NativeOrWithId};
use polkadot_sdk::*;
use sp_runtime::MultiAddress;
use tpwallet_runtime::{AccountId, Runtime, RuntimeCall};

/// Most blocks, and transactions per block, one input runs.
pub const MAX_BLOCKS: usize = 8;
pub const MAX_TXS: usize = 24;
/// Nesting depth of structured actions (multisig, proxy, batch) and of decoded calls.
const MAX_NESTING: u32 = 3;
const MAX_DECODE_DEPTH: u32 = 32;
const ED: u128 = 1_000_000_000;

/// One input: up to [`MAX_BLOCKS`] blocks.
#[derive(Debug)]
pub struct Input {
	pub blocks: Vec<Vec<Tx>>,
}

impl Input {
	pub fn decode(data: &[u8]) -> Self {
		let mut u = Unstructured::new(data);
		let mut blocks = Vec::new();
		while !u.is_empty() && blocks.len() < MAX_BLOCKS {
			let count = u.int_in_range(0..=MAX_TXS).unwrap_or(0);
			let mut txs = Vec::with_capacity(count);
			for _ in 0..count {
				match Tx::arbitrary(&mut u) {
					Ok(tx) => txs.push(tx),
					Err(_) => break,
				}
			}
			blocks.push(txs);
		}
		Self { blocks }
	}
}

/// A transaction: who signs it and what it does.
#[derive(Arbitrary, Debug)]
pub struct Tx {
	pub signer: u8,
	pub action: Action,
}

/// An amount, from the edges that matter.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Amount {
	Zero,
	One,
	BelowExistentialDeposit,
	ExistentialDeposit,
	Small(u16),
	Units(u32),
	Large(u64),
	Max,
}

impl Amount {
	fn value(self) -> u128 {
		match self {
			Amount::Zero => 0,
			Amount::One => 1,
			Amount::BelowExistentialDeposit => ED - 1,
			Amount::ExistentialDeposit => ED,
			Amount::Small(v) => v.into(),
			Amount::Units(v) => u128::from(v) * ED,
			Amount::Large(v) => v.into(),
			Amount::Max => u128::MAX,
		}
	}
}

/// What a transaction does. `back` picks one of the last few ids created (channels, swaps,
/// review cases), so actions meet the objects earlier ones made.
#[derive(Arbitrary, Debug)]
pub enum Action {
	Transfer { to: u8, amount: Amount, keep_alive: bool },
	TransferAll { to: u8, keep_alive: bool },
	AssetTransfer { to: u8, amount: Amount },
	TokenTransfer { to: u8, amount: Amount },
	TokenMint { to: u8, amount: Amount },
	TokenFreeze { who: u8, freeze: bool },
	HtlcLock { to: u8, amount: Amount, secret: u8, duration: u16, in_asset: bool },
	HtlcClaim { back: u8, secret: u8 },
	HtlcRefund { back: u8 },
	ChannelOpen { to: u8, deposit: Amount, in_token: bool },
	ChannelTopUp { back: u8, amount: Amount },
	ChannelClose { back: u8 },
	ChannelSettle { back: u8 },
	Attest { who: u8, tier: u8, expires_in: u16 },
	Revoke { who: u8 },
	ApproveCase { back: u8 },
	RejectCase { back: u8, reason: u8 },
	Multisig { inner: Box<Action> },
	ViaProxy { inner: Box<Action> },
	Batch { kind: u8, inner: Vec<Action> },
	/// A two-leg DvP: the signer delivers the token (or the asset) to `to` against native.
	Instruct { to: u8, give: Amount, take: Amount, in_token: bool, secret: Option<u8>, terms: u8 },
	Affirm { back: u8 },
	WithdrawAffirmation { back: u8 },
	RejectInstruction { back: u8 },
	Reveal { back: u8, secret: u8 },
	Execute { back: u8 },
	ReleaseExpired { back: u8 },
	/// A payment through the clearing scheme of [`actors::SCHEME`].
	SchemePay { to: u8, amount: Amount },
	SchemeClose,
	Collateral { amount: Amount, post: bool },
	Raw(Vec<u8>),
	SudoRaw(Vec<u8>),
	/// A DvP of one deed of [`actors::DEEDS`] (item `item % 8 + 1`) from the signer against
	/// native, in venue 0 if `terms & 16`.
	InstructNft { to: u8, item: u8, take: Amount, terms: u8 },
	/// The signer sets (or removes) the credit limit it grants `debtor` in the scheme.
	CreditLimit { debtor: u8, limit: Option<Amount> },
	/// Venue 0: pre-approve it, withdraw the pre-approval, or (its owner) set its policy.
	VenueOp { op: u8 },
}

/// What a transaction becomes: the account that signs it and the call.
pub struct Built {
	pub signer: usize,
	pub call: RuntimeCall,
}

/// What the builder may read from the chain (the ids most recently created).
pub struct Ids {
	pub next_channel: u64,
	pub next_swap: u64,
	pub next_case: u64,
	pub next_instruction: u64,
	/// The block the transactions go into is the next one.
	pub now: u32,
}

fn pick_back(next: u64, back: u8) -> u64 {
	next.saturating_sub(1 + u64::from(back % 4))
}

fn account(index: u8) -> AccountId {
	let all = actors::all_accounts();
	all[usize::from(index) % all.len()].clone()
}

fn addr(who: AccountId) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(who)
}

fn secret(n: u8) -> Vec<u8> {
	vec![n; 32]
}

/// Turns `tx` into a signed call, `None` for a raw call that does not decode or that sudo must
/// not dispatch here.
pub fn build(tx: &Tx, ids: &Ids) -> Option<Built> {
	let signer = usize::from(tx.signer) % SIGNERS.len();
	match &tx.action {
		Action::SudoRaw(bytes) => {
			let call = decode_call(bytes)?;
			allowed_as_root(&call).then(|| Built {
				signer: 0,
				call: pallet_sudo::Call::<Runtime>::sudo { call: Box::new(call) }.into(),
			})
		}
		Action::Multisig { inner } => {
			let member = SIGNERS
				.iter()
				.position(|k| {
					*k == actors::MULTISIG_MEMBERS[signer % actors::MULTISIG_MEMBERS.len()]
				})
				.unwrap_or(0);
			let call = call_for(inner, &actors::multisig_account(), ids, 1)?;
			let me = SIGNERS[member].to_account_id();
			let others: Vec<AccountId> =
				actors::sorted_members().into_iter().filter(|m| *m != me).collect();
			let call_hash = sp_io::hashing::blake2_256(&call.encode());
			let timepoint =
				pallet_multisig::Multisigs::<Runtime>::get(actors::multisig_account(), call_hash)
					.map(|m| m.when);
			let max_weight = call.get_dispatch_info().call_weight;
			Some(Built {
				signer: member,
				call: pallet_multisig::Call::<Runtime>::as_multi {
					threshold: MULTISIG_THRESHOLD,
					other_signatories: others,
					maybe_timepoint: timepoint,
					call: Box::new(call),
					max_weight,
				}
				.into(),
			})
		}
		Action::ViaProxy { inner } => {
			let real = sp_keyring::Sr25519Keyring::Ferdie.to_account_id();
			let call = call_for(inner, &real, ids, 1)?;
			let eve = SIGNERS.iter().position(|k| *k == sp_keyring::Sr25519Keyring::Eve)?;
			Some(Built {
				signer: eve,
				call: pallet_proxy::Call::<Runtime>::proxy {
					real: addr(real),
					force_proxy_type: None,
					call: Box::new(call),
				}
				.into(),
			})
		}
		action => {
			let who = SIGNERS[signer].to_account_id();
			Some(Built { signer, call: call_for(action, &who, ids, 0)? })
		}
	}
}

/// The call `action` makes for `who` (the signer, the multisig or the proxied account).
fn call_for(action: &Action, who: &AccountId, ids: &Ids, depth: u32) -> Option<RuntimeCall> {
	if depth > MAX_NESTING {
		return None;
	}
	type Balances = pallet_balances::Call<Runtime>;
	type Tokens = pallet_tokenization::Call<Runtime>;
	type Htlc = pallet_htlc::Call<Runtime>;
	type Channels = pallet_payment_channels::Call<Runtime>;
	type Compliance = pallet_compliance::Call<Runtime>;
	type Settlement = pallet_settlement::Call<Runtime>;
	let instruction = |back: &u8| pick_back(ids.next_instruction, *back);
	let call: RuntimeCall = match action {
		Action::Transfer { to, amount, keep_alive: true } => {
			Balances::transfer_keep_alive { dest: addr(account(*to)), value: amount.value() }.into()
		}
		Action::Transfer { to, amount, keep_alive: false } => {
			Balances::transfer_allow_death { dest: addr(account(*to)), value: amount.value() }
				.into()
		}
		Action::TransferAll { to, keep_alive } => {
			Balances::transfer_all { dest: addr(account(*to)), keep_alive: *keep_alive }.into()
		}
		Action::AssetTransfer { to, amount } => pallet_assets::Call::<Runtime>::transfer {
			id: ASSET.into(),
			target: addr(account(*to)),
			amount: amount.value(),
		}
		.into(),
		Action::TokenTransfer { to, amount } => {
			Tokens::transfer { token: TOKEN, dest: addr(account(*to)), amount: amount.value() }
				.into()
		}
		Action::TokenMint { to, amount } => {
			Tokens::mint { token: TOKEN, beneficiary: addr(account(*to)), amount: amount.value() }
				.into()
		}
		Action::TokenFreeze { who: target, freeze: true } => {
			Tokens::freeze_account { token: TOKEN, who: addr(account(*target)), reason: 1 }.into()
		}
		Action::TokenFreeze { who: target, freeze: false } => {
			Tokens::thaw_account { token: TOKEN, who: addr(account(*target)), reason: 1 }.into()
		}
		Action::HtlcLock { to, amount, secret: s, duration, in_asset } => Htlc::lock {
			recipient: addr(account(*to)),
			asset: if *in_asset { NativeOrWithId::WithId(ASSET) } else { NativeOrWithId::Native },
			amount: amount.value(),
			hash_lock: sp_io::hashing::sha2_256(&secret(*s)),
			hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
			duration: u32::from(*duration),
		}
		.into(),
		Action::HtlcClaim { back, secret: s } => Htlc::claim {
			swap_id: pick_back(ids.next_swap, *back),
			preimage: secret(*s).try_into().ok()?,
		}
		.into(),
		Action::HtlcRefund { back } => {
			Htlc::refund { swap_id: pick_back(ids.next_swap, *back) }.into()
		}
		Action::ChannelOpen { to, deposit, in_token } => Channels::open {
			counterparty: addr(account(*to)),
			asset: if *in_token { NativeOrWithId::WithId(TOKEN) } else { NativeOrWithId::Native },
			deposit: deposit.value(),
		}
		.into(),
		Action::ChannelTopUp { back, amount } => {
			Channels::top_up { channel: pick_back(ids.next_channel, *back), amount: amount.value() }
				.into()
		}
		Action::ChannelClose { back } => {
			Channels::close { channel: pick_back(ids.next_channel, *back), state: None }.into()
		}
		Action::ChannelSettle { back } => {
			Channels::settle { channel: pick_back(ids.next_channel, *back) }.into()
		}
		Action::Attest { who: target, tier, expires_in } => Compliance::attest_claim {
			who: addr(account(*target)),
			claim: pallet_compliance::ClaimInput {
				tier: *tier % 4,
				jurisdiction: *b"DE",
				accredited: tier % 2 == 0,
				sanctions_screened: true,
				expires_at: u32::from(*expires_in),
				commitment: [*tier; 32],
			},
		}
		.into(),
		Action::Revoke { who: target } => {
			Compliance::revoke_claim { who: addr(account(*target)) }.into()
		}
		Action::ApproveCase { back } => {
			Compliance::approve_case { case: pick_back(ids.next_case, *back) }.into()
		}
		Action::RejectCase { back, reason } => Compliance::reject_case {
			case: pick_back(ids.next_case, *back),
			reason: (*reason).into(),
		}
		.into(),
		Action::Batch { kind, inner } => {
			let calls: Vec<RuntimeCall> =
				inner.iter().take(8).filter_map(|a| call_for(a, who, ids, depth + 1)).collect();
			match kind % 3 {
				0 => pallet_utility::Call::<Runtime>::batch { calls }.into(),
				1 => pallet_utility::Call::<Runtime>::batch_all { calls }.into(),
				_ => pallet_utility::Call::<Runtime>::force_batch { calls }.into(),
			}
		}
		Action::Instruct { to, give, take, in_token, secret: s, terms } => {
			let to = account(*to);
			let delivered = if *in_token { TOKEN } else { ASSET };
			let hash_lock = s.map(|s| sp_io::hashing::sha2_256(&secret(s)));
			let legs = vec![
				pallet_settlement::Leg {
					from: who.clone(),
					to: to.clone(),
					asset: pallet_settlement::LegAsset::Fungible {
						asset: NativeOrWithId::WithId(delivered),
						amount: give.value(),
					},
					hash_lock,
				},
				payment_leg(to, who.clone(), take.value()),
			];
			instruct(legs, *terms, ids)?
		}
		Action::InstructNft { to, item, take, terms } => {
			let to = account(*to);
			let legs = vec![
				pallet_settlement::Leg {
					from: who.clone(),
					to: to.clone(),
					asset: pallet_settlement::LegAsset::Nft {
						collection: actors::DEEDS,
						item: u32::from(item % 8) + 1,
					},
					hash_lock: None,
				},
				payment_leg(to, who.clone(), take.value()),
			];
			instruct(legs, *terms, ids)?
		}
		Action::CreditLimit { debtor, limit } => Settlement::set_credit_limit {
			scheme: actors::SCHEME,
			debtor: addr(account(*debtor)),
			limit: limit.map(|amount| amount.value()),
		}
		.into(),
		Action::VenueOp { op } => match op % 3 {
			0 => Settlement::preapprove_venue { venue: actors::VENUE }.into(),
			1 => Settlement::withdraw_venue_preapproval { venue: actors::VENUE }.into(),
			_ => Settlement::set_venue_policy { venue: actors::VENUE, receivers_affirm: op & 4 != 0 }
				.into(),
		},
		Action::Affirm { back } => Settlement::affirm { id: instruction(back) }.into(),
		Action::WithdrawAffirmation { back } => {
			Settlement::withdraw_affirmation { id: instruction(back) }.into()
		}
		Action::RejectInstruction { back } => Settlement::reject { id: instruction(back) }.into(),
		Action::Reveal { back, secret: s } => Settlement::reveal_preimage {
			id: instruction(back),
			preimage: secret(*s).try_into().ok()?,
		}
		.into(),
		Action::Execute { back } => Settlement::execute { id: instruction(back) }.into(),
		Action::ReleaseExpired { back } => {
			Settlement::release_expired { id: instruction(back) }.into()
		}
		Action::SchemePay { to, amount } => Settlement::pay {
			scheme: actors::SCHEME,
			to: addr(account(*to)),
			amount: amount.value(),
		}
		.into(),
		Action::SchemeClose => Settlement::close_cycle { scheme: actors::SCHEME }.into(),
		Action::Collateral { amount, post: true } => {
			Settlement::post_collateral { scheme: actors::SCHEME, amount: amount.value() }.into()
		}
		Action::Collateral { amount, post: false } => {
			Settlement::withdraw_collateral { scheme: actors::SCHEME, amount: amount.value() }
				.into()
		}
		Action::Raw(bytes) => decode_call(bytes)?,
		// Multisig, proxy and sudo wrap only at the top.
		Action::Multisig { .. } | Action::ViaProxy { .. } | Action::SudoRaw(_) => return None,
	};
	Some(call)
}

/// `create_instruction` of `legs`: when it settles, whether receivers affirm, when it expires
/// and whether it is created in venue 0, all from `terms`.
/// A leg paying `amount` of the native token from `from` to `to`.
fn payment_leg(from: AccountId, to: AccountId, amount: u128) -> pallet_settlement::LegOf<Runtime> {
	pallet_settlement::Leg {
		from,
		to,
		asset: pallet_settlement::LegAsset::Fungible { asset: NativeOrWithId::Native, amount },
		hash_lock: None,
	}
}

fn instruct(
	legs: Vec<pallet_settlement::LegOf<Runtime>>,
	terms: u8,
	ids: &Ids,
) -> Option<RuntimeCall> {
	let settlement = match terms % 3 {
		0 => pallet_settlement::SettlementType::OnAffirmation,
		1 => pallet_settlement::SettlementType::AtBlock(ids.now + 2 + u32::from(terms % 4)),
		_ => pallet_settlement::SettlementType::Manual,
	};
	Some(
		pallet_settlement::Call::<Runtime>::create_instruction {
			venue: (terms & 16 != 0).then_some(actors::VENUE),
			legs: legs.try_into().ok()?,
			settlement,
			receivers_affirm: terms & 8 != 0,
			expires_at: ids.now + 1 + u32::from(terms % 7),
		}
		.into(),
	)
}

fn decode_call(bytes: &[u8]) -> Option<RuntimeCall> {
	RuntimeCall::decode_with_depth_limit(MAX_DECODE_DEPTH, &mut &bytes[..]).ok()
}

/// Root calls that rewrite the chain outside its rules (raw storage, code, unchecked weight,
/// nested dispatch with another origin) would break the invariants by design, not by a bug.
fn allowed_as_root(call: &RuntimeCall) -> bool {
	!matches!(
		call,
		RuntimeCall::System(_)
			| RuntimeCall::Sudo(_)
			| RuntimeCall::Utility(_)
			| RuntimeCall::Whitelist(_)
			| RuntimeCall::Scheduler(_)
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decoding_is_total_and_bounded() {
		for data in [&[][..], &[0xff; 7], &[3; 4096]] {
			let input = Input::decode(data);
			assert!(input.blocks.len() <= MAX_BLOCKS);
			assert!(input.blocks.iter().all(|b| b.len() <= MAX_TXS));
		}
	}

	#[test]
	fn sudo_refuses_calls_that_bypass_the_rules() {
		let set_code: RuntimeCall = frame_system::Call::<Runtime>::set_code { code: vec![] }.into();
		assert!(!allowed_as_root(&set_code));
		let transfer: RuntimeCall = pallet_balances::Call::<Runtime>::force_set_balance {
			who: addr(account(1)),
			new_free: 1,
		}
		.into();
		assert!(allowed_as_root(&transfer));
		assert_eq!(decode_call(&transfer.encode()), Some(transfer));
	}
}
