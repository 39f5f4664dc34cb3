//! Every proxy type against every call that moves value or grants a right to move it, and a
//! sample of the calls each type exists for, through each way a proxy call can arrive:
//! `proxy.proxy` directly, a `utility.batch`, `batch_all` or `force_batch` inside it, and a 2-of-2
//! multisig that is itself the proxy.
//!
//! Audit finding: `NonTransfer` was a denylist that let a proxy call `bridge.transfer`,
//! `assets.approveTransfer`, `nfts.approveTransfer` and `nfts.setPrice`, among others. Every
//! proxy type is now an allowlist of call kinds, and this table shows each refusal.

mod common;

use codec::Encode;
use frame_support::{
	dispatch::GetDispatchInfo,
	storage::{with_transaction, TransactionOutcome},
	traits::fungible::NativeOrWithId,
};
use pallet_nfts::{CollectionConfig, CollectionSettings, ItemTip, MintSettings};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::Dispatchable, DispatchError, MultiAddress};
use tpwallet_runtime::{
	configs::ProxyType, AccountId, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System, UNIT,
};

/// An unmanaged `pallet-assets` asset Alice administers.
const ASSET: u32 = 7;
/// A managed security token Alice issued (every role).
const TOKEN: u32 = 77;
/// Alice's NFT collection (the first one created).
const COLLECTION: u32 = 0;
/// Ferdie's NFT in Alice's collection, for sale at [`PRICE`].
const FOR_SALE: u32 = 5;
const PRICE: u128 = 10 * UNIT;

const ALL: [ProxyType; 5] = [
	ProxyType::Any,
	ProxyType::NonTransfer,
	ProxyType::CancelProxy,
	ProxyType::AssetManager,
	ProxyType::TokenPayments,
];
const ANY: &[ProxyType] = &[ProxyType::Any];
/// A payment institution's proxy: compliance-checked token transfers and nothing else.
const PAYMENTS: &[ProxyType] = &[ProxyType::Any, ProxyType::TokenPayments];

fn id(who: Sr25519Keyring) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(who.to_account_id())
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// The multisig account of `a` and `b` (signatories sorted, as `pallet-multisig` does).
fn multisig_account(a: Sr25519Keyring, b: Sr25519Keyring, threshold: u16) -> AccountId {
	let mut signatories = [a.to_account_id(), b.to_account_id()];
	signatories.sort();
	pallet_multisig::Pallet::<Runtime>::multi_account_id(&signatories, threshold)
}

/// Alice's 2-of-2 council of Dave and Eve, one of her proxies.
fn council() -> AccountId {
	multisig_account(Dave, Eve, 2)
}

/// A 1-of-2 joint account of Alice and Bob, with funds of its own.
fn joint() -> AccountId {
	multisig_account(Alice, Bob, 1)
}

fn native_transfer(to: Sr25519Keyring, value: u128) -> RuntimeCall {
	pallet_balances::Call::<Runtime>::transfer_keep_alive { dest: id(to), value }.into()
}

fn ok(call: RuntimeCall, who: Sr25519Keyring) {
	let result = call.clone().dispatch(signed(&who.to_account_id()));
	assert!(result.is_ok(), "set-up call {call:?} failed: {result:?}");
}

fn root(call: RuntimeCall) {
	let result = call.clone().dispatch(RuntimeOrigin::root());
	assert!(result.is_ok(), "set-up call {call:?} failed: {result:?}");
}

/// The development chain with everything the table's calls act on.
fn set_up() -> sp_io::TestExternalities {
	let mut ext = sp_io::TestExternalities::new(common::development_storage());
	ext.execute_with(|| {
		System::set_block_number(1);
		let alice = Alice.to_account_id();
		// Charlie and the council are Alice's proxies of every type; Alice is Ferdie's.
		let add_proxy = |delegate: AccountId, proxy_type| -> RuntimeCall {
			pallet_proxy::Call::<Runtime>::add_proxy {
				delegate: MultiAddress::Id(delegate),
				proxy_type,
				delay: 0,
			}
			.into()
		};
		for proxy_type in ALL {
			ok(add_proxy(Charlie.to_account_id(), proxy_type), Alice);
			ok(add_proxy(council(), proxy_type), Alice);
		}
		ok(add_proxy(alice.clone(), ProxyType::Any), Ferdie);
		// Alice announced a call she may make as Ferdie's proxy.
		ok(
			pallet_proxy::Call::<Runtime>::announce {
				real: id(Ferdie),
				call_hash: sp_io::hashing::blake2_256(&native_transfer(Bob, UNIT).encode()).into(),
			}
			.into(),
			Alice,
		);
		ok(
			pallet_balances::Call::<Runtime>::transfer_keep_alive {
				dest: MultiAddress::Id(joint()),
				value: 100 * UNIT,
			}
			.into(),
			Alice,
		);

		// An unmanaged asset: Alice admin, holders Alice, Bob and Ferdie; Ferdie approved Alice.
		ok(common::create_asset(ASSET, &alice), Alice);
		for (who, amount) in [(Alice, 1_000), (Bob, 10), (Ferdie, 100)] {
			ok(common::mint_asset(ASSET, &who.to_account_id(), amount), Alice);
		}
		ok(
			pallet_assets::Call::<Runtime>::approve_transfer {
				id: ASSET.into(),
				delegate: id(Alice),
				amount: 50,
			}
			.into(),
			Ferdie,
		);

		// Alice's NFT collection: items 0..3 hers, item 5 Ferdie's and for sale; Bob accepts
		// the collection's ownership.
		ok(
			pallet_nfts::Call::<Runtime>::create {
				admin: id(Alice),
				config: CollectionConfig {
					settings: CollectionSettings::all_enabled(),
					max_supply: None,
					mint_settings: MintSettings::default(),
				},
			}
			.into(),
			Alice,
		);
		for (item, owner) in [(0, Alice), (1, Alice), (2, Alice), (FOR_SALE, Ferdie)] {
			ok(
				pallet_nfts::Call::<Runtime>::mint {
					collection: COLLECTION,
					item,
					mint_to: id(owner),
					witness_data: None,
				}
				.into(),
				Alice,
			);
		}
		ok(
			pallet_nfts::Call::<Runtime>::set_price {
				collection: COLLECTION,
				item: FOR_SALE,
				price: Some(PRICE),
				whitelisted_buyer: None,
			}
			.into(),
			Ferdie,
		);
		ok(
			pallet_nfts::Call::<Runtime>::set_accept_ownership {
				maybe_collection: Some(COLLECTION),
			}
			.into(),
			Bob,
		);

		// A managed security token: Alice issued it with every role; Alice and Bob hold it.
		root(
			pallet_tokenization::Call::<Runtime>::register_template {
				spec: common::open_security_template(),
			}
			.into(),
		);
		ok(
			pallet_tokenization::Call::<Runtime>::create_token {
				token: TOKEN,
				template: 0,
				name: b"Acme Shares".to_vec().try_into().expect("short"),
				symbol: b"ACME".to_vec().try_into().expect("short"),
				cap: None,
				document_hash: [1; 32],
			}
			.into(),
			Alice,
		);
		for (who, amount) in [(Alice, 1_000), (Bob, 100)] {
			ok(
				pallet_tokenization::Call::<Runtime>::mint {
					token: TOKEN,
					beneficiary: id(who),
					amount,
				}
				.into(),
				Alice,
			);
		}

		// A payment channel between Alice and Bob (channel 0).
		ok(
			pallet_payment_channels::Call::<Runtime>::open {
				counterparty: id(Bob),
				asset: NativeOrWithId::Native,
				deposit: 100 * UNIT,
			}
			.into(),
			Alice,
		);
		System::reset_events();
	});
	ext
}

/// One row of the table: a call Alice's proxy makes for her.
struct Case {
	name: &'static str,
	call: RuntimeCall,
	/// The proxy types that may make it.
	allowed: &'static [ProxyType],
	/// Whether it succeeds for an `Any` proxy in the set-up above (so that the refusal of the
	/// other types is the filter's doing, not a failing call).
	succeeds: bool,
}

fn case(name: &'static str, call: impl Into<RuntimeCall>, succeeds: bool) -> Case {
	Case { name, call: call.into(), allowed: ANY, succeeds }
}

fn allowed_case(
	name: &'static str,
	call: impl Into<RuntimeCall>,
	allowed: &'static [ProxyType],
	succeeds: bool,
) -> Case {
	Case { name, call: call.into(), allowed, succeeds }
}

/// Every call that moves value or grants a right to move it: only `Any` may make them, and a
/// `TokenPayments` proxy the compliance-checked token transfers.
fn value_moving_calls() -> Vec<Case> {
	use pallet_assets::Call as Assets;
	use pallet_balances::Call as Balances;
	use pallet_nfts::Call as Nfts;
	use pallet_tokenization::Call as Tokenization;
	let max_weight = native_transfer(Bob, UNIT).get_dispatch_info().call_weight;
	vec![
		case(
			"balances.transfer_allow_death",
			Balances::<Runtime>::transfer_allow_death { dest: id(Bob), value: UNIT },
			true,
		),
		case("balances.transfer_keep_alive", native_transfer(Bob, UNIT), true),
		case(
			"balances.transfer_all",
			Balances::<Runtime>::transfer_all { dest: id(Bob), keep_alive: true },
			true,
		),
		case("balances.burn", Balances::<Runtime>::burn { value: UNIT, keep_alive: true }, true),
		case(
			"multisig.as_multi_threshold_1",
			pallet_multisig::Call::<Runtime>::as_multi_threshold_1 {
				other_signatories: vec![Bob.to_account_id()],
				call: Box::new(native_transfer(Dave, UNIT)),
			},
			true,
		),
		case(
			"multisig.as_multi",
			pallet_multisig::Call::<Runtime>::as_multi {
				threshold: 2,
				other_signatories: vec![Bob.to_account_id()],
				maybe_timepoint: None,
				call: Box::new(native_transfer(Dave, UNIT)),
				max_weight,
			},
			true,
		),
		case(
			"multisig.approve_as_multi",
			pallet_multisig::Call::<Runtime>::approve_as_multi {
				threshold: 2,
				other_signatories: vec![Bob.to_account_id()],
				maybe_timepoint: None,
				call_hash: [9; 32],
				max_weight,
			},
			true,
		),
		case(
			"proxy.proxy",
			pallet_proxy::Call::<Runtime>::proxy {
				real: id(Ferdie),
				force_proxy_type: None,
				call: Box::new(native_transfer(Bob, UNIT)),
			},
			true,
		),
		case(
			"proxy.proxy_announced",
			pallet_proxy::Call::<Runtime>::proxy_announced {
				delegate: id(Alice),
				real: id(Ferdie),
				force_proxy_type: None,
				call: Box::new(native_transfer(Bob, UNIT)),
			},
			true,
		),
		case("assets.transfer", common::transfer_asset(ASSET, &Bob.to_account_id(), 10), true),
		case(
			"assets.transfer_keep_alive",
			Assets::<Runtime>::transfer_keep_alive {
				id: ASSET.into(),
				target: id(Bob),
				amount: 10,
			},
			true,
		),
		case(
			"assets.transfer_all",
			Assets::<Runtime>::transfer_all { id: ASSET.into(), dest: id(Bob), keep_alive: false },
			true,
		),
		case(
			"assets.transfer_approved",
			Assets::<Runtime>::transfer_approved {
				id: ASSET.into(),
				owner: id(Ferdie),
				destination: id(Charlie),
				amount: 10,
			},
			true,
		),
		case(
			"assets.approve_transfer",
			Assets::<Runtime>::approve_transfer {
				id: ASSET.into(),
				delegate: id(Charlie),
				amount: 10,
			},
			true,
		),
		case(
			"assets.force_transfer",
			Assets::<Runtime>::force_transfer {
				id: ASSET.into(),
				source: id(Ferdie),
				dest: id(Charlie),
				amount: 10,
			},
			true,
		),
		case(
			"assets.transfer_ownership",
			Assets::<Runtime>::transfer_ownership { id: ASSET.into(), owner: id(Charlie) },
			true,
		),
		case(
			"assets.set_team",
			Assets::<Runtime>::set_team {
				id: ASSET.into(),
				issuer: id(Charlie),
				admin: id(Charlie),
				freezer: id(Charlie),
			},
			true,
		),
		case(
			"assets.refund",
			Assets::<Runtime>::refund { id: ASSET.into(), allow_burn: true },
			false,
		),
		case(
			"nfts.transfer",
			Nfts::<Runtime>::transfer { collection: COLLECTION, item: 0, dest: id(Bob) },
			true,
		),
		case(
			"nfts.approve_transfer",
			Nfts::<Runtime>::approve_transfer {
				collection: COLLECTION,
				item: 0,
				delegate: id(Charlie),
				maybe_deadline: None,
			},
			true,
		),
		case(
			"nfts.set_price",
			Nfts::<Runtime>::set_price {
				collection: COLLECTION,
				item: 0,
				price: Some(1),
				whitelisted_buyer: Some(id(Charlie)),
			},
			true,
		),
		case(
			"nfts.buy_item",
			Nfts::<Runtime>::buy_item { collection: COLLECTION, item: FOR_SALE, bid_price: PRICE },
			true,
		),
		case(
			"nfts.pay_tips",
			Nfts::<Runtime>::pay_tips {
				tips: vec![ItemTip {
					collection: COLLECTION,
					item: 0,
					receiver: Charlie.to_account_id(),
					amount: UNIT,
				}]
				.try_into()
				.expect("one tip"),
			},
			true,
		),
		case(
			"nfts.create_swap",
			Nfts::<Runtime>::create_swap {
				offered_collection: COLLECTION,
				offered_item: 1,
				desired_collection: COLLECTION,
				maybe_desired_item: Some(FOR_SALE),
				maybe_price: None,
				duration: 100,
			},
			true,
		),
		case(
			"nfts.claim_swap",
			Nfts::<Runtime>::claim_swap {
				send_collection: COLLECTION,
				send_item: 2,
				receive_collection: COLLECTION,
				receive_item: FOR_SALE,
				witness_price: None,
			},
			false,
		),
		case(
			"nfts.mint_pre_signed",
			Nfts::<Runtime>::mint_pre_signed {
				mint_data: Box::new(pallet_nfts::PreSignedMint {
					collection: COLLECTION,
					item: 9,
					attributes: vec![],
					metadata: vec![],
					only_account: None,
					deadline: 100,
					mint_price: Some(UNIT),
				}),
				signature: sp_runtime::MultiSignature::Sr25519(
					sp_core::sr25519::Signature::from_raw([0; 64]),
				),
				signer: Bob.to_account_id(),
			},
			false,
		),
		case(
			"nfts.transfer_ownership",
			Nfts::<Runtime>::transfer_ownership { collection: COLLECTION, new_owner: id(Bob) },
			true,
		),
		case(
			"nfts.set_accept_ownership",
			Nfts::<Runtime>::set_accept_ownership { maybe_collection: Some(COLLECTION) },
			true,
		),
		case(
			"nfts.set_team",
			Nfts::<Runtime>::set_team {
				collection: COLLECTION,
				issuer: Some(id(Charlie)),
				admin: Some(id(Charlie)),
				freezer: Some(id(Charlie)),
			},
			true,
		),
		allowed_case(
			"tokenization.transfer",
			Tokenization::<Runtime>::transfer { token: TOKEN, dest: id(Bob), amount: 10 },
			PAYMENTS,
			true,
		),
		allowed_case(
			"tokenization.transfer_with_travel_rule",
			Tokenization::<Runtime>::transfer_with_travel_rule {
				token: TOKEN,
				dest: id(Bob),
				amount: 10,
				travel_rule: [3; 32],
			},
			PAYMENTS,
			true,
		),
		case(
			"tokenization.transfer_nft",
			Tokenization::<Runtime>::transfer_nft { token: TOKEN, item: 0, dest: id(Bob) },
			false,
		),
		case(
			"tokenization.force_transfer",
			Tokenization::<Runtime>::force_transfer {
				token: TOKEN,
				from: id(Bob),
				to: id(Charlie),
				amount: 10,
				reason: 1,
			},
			true,
		),
		case(
			"tokenization.force_transfer_nft",
			Tokenization::<Runtime>::force_transfer_nft {
				token: TOKEN,
				item: 0,
				dest: id(Charlie),
				reason: 1,
			},
			false,
		),
		case(
			"tokenization.redeem",
			Tokenization::<Runtime>::redeem { token: TOKEN, amount: 10 },
			false,
		),
		case(
			"tokenization.tender",
			Tokenization::<Runtime>::tender { buyback: 0, amount: 10 },
			false,
		),
		case(
			"tokenization.create_distribution",
			Tokenization::<Runtime>::create_distribution {
				token: TOKEN,
				payout_asset: NativeOrWithId::Native,
				amount: 1_000 * UNIT,
				duration: 100,
			},
			true,
		),
		case(
			"tokenization.open_buyback",
			Tokenization::<Runtime>::open_buyback {
				token: TOKEN,
				payment_asset: NativeOrWithId::Native,
				price: UNIT,
				budget: 100 * UNIT,
			},
			true,
		),
		case(
			"tokenization.grant_role",
			Tokenization::<Runtime>::grant_role {
				token: TOKEN,
				who: id(Charlie),
				role: pallet_tokenization::Role::Controller,
			},
			true,
		),
		case(
			"htlc.lock",
			pallet_htlc::Call::<Runtime>::lock {
				recipient: id(Charlie),
				asset: NativeOrWithId::Native,
				amount: UNIT,
				hash_lock: [0; 32],
				hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
				duration: 20 * tpwallet_runtime::MINUTES,
			},
			true,
		),
		case(
			"bridge.transfer",
			pallet_bridge::Call::<Runtime>::transfer {
				asset: NativeOrWithId::Native,
				amount: UNIT,
				beneficiary: Charlie.to_account_id(),
			},
			false,
		),
		case(
			"bridge.send_message",
			pallet_bridge::Call::<Runtime>::send_message {
				destination: [4; 32].into(),
				remark: b"hello".to_vec().try_into().expect("short"),
			},
			false,
		),
		case(
			"payment_channels.open",
			pallet_payment_channels::Call::<Runtime>::open {
				counterparty: id(Charlie),
				asset: NativeOrWithId::Native,
				deposit: 10 * UNIT,
			},
			true,
		),
		case(
			"payment_channels.top_up",
			pallet_payment_channels::Call::<Runtime>::top_up { channel: 0, amount: UNIT },
			true,
		),
		case(
			"payment_channels.close",
			pallet_payment_channels::Call::<Runtime>::close { channel: 0, state: None },
			true,
		),
	]
}

/// What each restricted type is for: calls it may make, and calls beside it that it may not.
fn other_calls() -> Vec<Case> {
	use ProxyType::*;
	const NON_TRANSFER: &[ProxyType] = &[Any, NonTransfer];
	const CANCEL: &[ProxyType] = &[Any, NonTransfer, CancelProxy];
	const ASSET_MANAGER: &[ProxyType] = &[Any, AssetManager];
	vec![
		allowed_case(
			"system.remark",
			frame_system::Call::<Runtime>::remark { remark: b"hi".to_vec() },
			NON_TRANSFER,
			true,
		),
		allowed_case(
			"proxy.add_proxy",
			pallet_proxy::Call::<Runtime>::add_proxy {
				delegate: id(Bob),
				proxy_type: NonTransfer,
				delay: 0,
			},
			NON_TRANSFER,
			true,
		),
		allowed_case(
			"proxy.reject_announcement",
			pallet_proxy::Call::<Runtime>::reject_announcement {
				delegate: id(Bob),
				call_hash: [0; 32].into(),
			},
			CANCEL,
			false,
		),
		allowed_case(
			"multisig.cancel_as_multi",
			pallet_multisig::Call::<Runtime>::cancel_as_multi {
				threshold: 2,
				other_signatories: vec![Bob.to_account_id()],
				timepoint: Default::default(),
				call_hash: [9; 32],
			},
			NON_TRANSFER,
			false,
		),
		allowed_case(
			"htlc.refund",
			pallet_htlc::Call::<Runtime>::refund { swap_id: 99 },
			NON_TRANSFER,
			false,
		),
		allowed_case(
			"tokenization.claim_distribution",
			pallet_tokenization::Call::<Runtime>::claim_distribution { distribution: 99 },
			NON_TRANSFER,
			false,
		),
		allowed_case(
			"compliance.attest_claim",
			pallet_compliance::Call::<Runtime>::attest_claim {
				who: id(Bob),
				claim: pallet_compliance::ClaimInput {
					tier: 1,
					jurisdiction: *b"DE",
					accredited: false,
					sanctions_screened: true,
					expires_at: 1_000,
					commitment: [0; 32],
				},
			},
			NON_TRANSFER,
			false,
		),
		allowed_case(
			"assets.mint",
			common::mint_asset(ASSET, &Alice.to_account_id(), 5),
			ASSET_MANAGER,
			true,
		),
		allowed_case(
			"assets.freeze",
			pallet_assets::Call::<Runtime>::freeze { id: ASSET.into(), who: id(Bob) },
			ASSET_MANAGER,
			true,
		),
		allowed_case(
			"nfts.lock_item_transfer",
			pallet_nfts::Call::<Runtime>::lock_item_transfer { collection: COLLECTION, item: 0 },
			ASSET_MANAGER,
			true,
		),
		allowed_case(
			"tokenization.mint",
			pallet_tokenization::Call::<Runtime>::mint {
				token: TOKEN,
				beneficiary: id(Alice),
				amount: 5,
			},
			ASSET_MANAGER,
			true,
		),
		allowed_case(
			"tokenization.freeze_account",
			pallet_tokenization::Call::<Runtime>::freeze_account {
				token: TOKEN,
				who: id(Bob),
				reason: 1,
			},
			ASSET_MANAGER,
			true,
		),
		allowed_case(
			"system.set_code",
			frame_system::Call::<Runtime>::set_code { code: vec![] },
			ANY,
			false,
		),
		allowed_case(
			"sudo.sudo",
			pallet_sudo::Call::<Runtime>::sudo { call: Box::new(native_transfer(Bob, UNIT)) },
			ANY,
			true,
		),
	]
}

/// How the proxy call arrives.
#[derive(Clone, Copy, Debug)]
enum Via {
	Proxy,
	Batch,
	BatchAll,
	ForceBatch,
	Multisig,
}

const VIAS: [Via; 5] = [Via::Proxy, Via::Batch, Via::BatchAll, Via::ForceBatch, Via::Multisig];

/// What became of the call: refused by a filter, failed for another reason, or done.
#[derive(Debug, PartialEq)]
enum Outcome {
	Filtered,
	Failed(DispatchError),
	Done,
}

fn proxied(proxy_type: ProxyType, call: RuntimeCall) -> RuntimeCall {
	pallet_proxy::Call::<Runtime>::proxy {
		real: id(Alice),
		force_proxy_type: Some(proxy_type),
		call: Box::new(call),
	}
	.into()
}

/// Dispatches `call` as Alice's `proxy_type` proxy, the way `via` says.
fn attempt(proxy_type: ProxyType, via: Via, call: RuntimeCall) -> Outcome {
	let wrapped = |calls: Vec<RuntimeCall>| -> RuntimeCall {
		match via {
			Via::Batch => pallet_utility::Call::<Runtime>::batch { calls }.into(),
			Via::BatchAll => pallet_utility::Call::<Runtime>::batch_all { calls }.into(),
			_ => pallet_utility::Call::<Runtime>::force_batch { calls }.into(),
		}
	};
	let charlie = Charlie.to_account_id();
	let result = match via {
		Via::Proxy => proxied(proxy_type, call).dispatch(signed(&charlie)),
		Via::Batch | Via::BatchAll | Via::ForceBatch => {
			proxied(proxy_type, wrapped(vec![call])).dispatch(signed(&charlie))
		}
		Via::Multisig => {
			// Dave approves, Eve's approval executes the council's proxy call.
			let inner = proxied(proxy_type, call);
			let max_weight = inner.get_dispatch_info().call_weight;
			let approve = |signer: Sr25519Keyring, other: Sr25519Keyring, timepoint| {
				RuntimeCall::from(pallet_multisig::Call::<Runtime>::as_multi {
					threshold: 2,
					other_signatories: vec![other.to_account_id()],
					maybe_timepoint: timepoint,
					call: Box::new(inner.clone()),
					max_weight,
				})
				.dispatch(signed(&signer.to_account_id()))
			};
			approve(Dave, Eve, None).expect("the first approval is recorded");
			let hash = sp_io::hashing::blake2_256(&inner.encode());
			let when = pallet_multisig::Multisigs::<Runtime>::get(council(), hash)
				.expect("pending multisig")
				.when;
			approve(Eve, Dave, Some(when))
		}
	};
	if let Err(error) = result {
		return outcome_of(error.error);
	}
	// The call's own result is in the events of the layers around it.
	let mut outcome = Outcome::Done;
	for record in System::events() {
		let error = match record.event {
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(e) }) => e,
			RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { error, .. }) => error,
			RuntimeEvent::Utility(pallet_utility::Event::ItemFailed { error }) => error,
			RuntimeEvent::Multisig(pallet_multisig::Event::MultisigExecuted {
				result: Err(e),
				..
			}) => e,
			_ => continue,
		};
		if outcome_of(error) == Outcome::Filtered {
			return Outcome::Filtered;
		}
		outcome = outcome_of(error);
	}
	outcome
}

fn outcome_of(error: DispatchError) -> Outcome {
	if error == frame_system::Error::<Runtime>::CallFiltered.into() {
		Outcome::Filtered
	} else {
		Outcome::Failed(error)
	}
}

/// Runs every case for every proxy type and way; returns the mismatches.
fn run_table(cases: Vec<Case>) -> Vec<String> {
	let mut ext = set_up();
	let mut mismatches = Vec::new();
	ext.execute_with(|| {
		for case in &cases {
			for proxy_type in ALL {
				for via in VIAS {
					let outcome = with_transaction(|| {
						System::reset_events();
						let outcome = attempt(proxy_type, via, case.call.clone());
						TransactionOutcome::Rollback(Ok::<_, DispatchError>(outcome))
					})
					.expect("rolled back");
					let allowed = case.allowed.contains(&proxy_type);
					let as_expected = match (&outcome, allowed) {
						(Outcome::Filtered, false) => true,
						(Outcome::Filtered, true) => false,
						(_, false) => false,
						(Outcome::Done, true) => true,
						// Only `Any` is held to succeeding: that proves the set-up lets the
						// call through, so another type's refusal is the filter's.
						(Outcome::Failed(_), true) => {
							!(case.succeeds && proxy_type == ProxyType::Any)
						}
					};
					if !as_expected {
						mismatches.push(format!(
							"{} as {proxy_type:?} via {via:?}: {outcome:?} (allowed: {allowed})",
							case.name
						));
					}
				}
			}
		}
	});
	mismatches
}

#[test]
fn only_any_proxies_move_value_by_any_path() {
	let mismatches = run_table(value_moving_calls());
	assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn each_restricted_proxy_type_makes_the_calls_it_exists_for() {
	let mismatches = run_table(other_calls());
	assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn a_proxy_cannot_grant_more_than_it_has() {
	let mut ext = set_up();
	ext.execute_with(|| {
		use ProxyType::*;
		for (proxy_type, grants, allowed) in [
			(NonTransfer, Any, false),
			(NonTransfer, AssetManager, false),
			(NonTransfer, CancelProxy, true),
			(AssetManager, AssetManager, false),
			(CancelProxy, CancelProxy, false),
			(TokenPayments, TokenPayments, false),
			(TokenPayments, NonTransfer, false),
		] {
			let add: RuntimeCall = pallet_proxy::Call::<Runtime>::add_proxy {
				delegate: id(Bob),
				proxy_type: grants,
				delay: 0,
			}
			.into();
			let outcome = with_transaction(|| {
				System::reset_events();
				let outcome = attempt(proxy_type, Via::Proxy, add.clone());
				TransactionOutcome::Rollback(Ok::<_, DispatchError>(outcome))
			})
			.expect("rolled back");
			assert_eq!(
				outcome == Outcome::Done,
				allowed,
				"{proxy_type:?} adding {grants:?}: {outcome:?}"
			);
		}
	});
}
