//! Benchmarks of the bridge pallet (FRAME v2). Worst cases: transfers of a `pallet-assets` token;
//! deliveries of transfers that each create the beneficiary's account, proven in a state trie
//! with many other keys (a deep proof, as in a real chain's state); receipts that drop the most
//! messages a lane may hold.

use super::*;
use crate::Pallet as Bridge;
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect as _, Mutate as _},
	fungibles::Inspect,
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::traits::{Bounded, Hash as _, One, Saturating},
	sp_trie::{
		recorder_ext::RecorderExt, LayoutV1, MemoryDB, Recorder, Trie, TrieDBBuilder,
		TrieDBMutBuilder, TrieMut,
	},
};

/// The origin that sets the bridge up.
fn admin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// The origin that pauses the bridge.
fn halt<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::HaltOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

type Hasher<T> = <<T as Config>::BridgedChain as bp_runtime::Chain>::Hasher;

/// Keys of other state around the proven ones, so that their proof is as deep as in a chain
/// with a large state.
const OTHER_KEYS: u32 = 4_096;

/// A state trie holding `entries` and `OTHER_KEYS` unrelated keys; returns its root and a proof
/// of exactly `entries`' keys.
fn prove_entries<T: Config>(
	entries: &[(Vec<u8>, Vec<u8>)],
) -> (BridgedHeaderHashOf<T>, bp_runtime::RawStorageProof) {
	let mut db = MemoryDB::<Hasher<T>>::new(&[0u8][..]);
	let mut root = Default::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<Hasher<T>>>::new(&mut db, &mut root).build();
		for i in 0..OTHER_KEYS {
			let key = Hasher::<T>::hash(&i.encode());
			trie.insert(key.as_ref(), &[0u8; 64]).expect("benchmark trie accepts keys");
		}
		for (key, value) in entries {
			trie.insert(key, value).expect("benchmark trie accepts keys");
		}
	}
	let mut recorder = Recorder::<LayoutV1<Hasher<T>>>::new();
	{
		let trie = TrieDBBuilder::<LayoutV1<Hasher<T>>>::new(&db, &root)
			.with_recorder(&mut recorder)
			.build();
		for (key, _) in entries {
			trie.get(key).expect("benchmark trie is complete").expect("key was inserted");
		}
	}
	(root, recorder.into_raw_storage_proof())
}

/// Configures the bridge as the two ends of a bridge would be: this chain and the bridged one.
fn configure<T: Config>() -> (ChainIdOf<T>, ChainIdOf<T>) {
	let this: ChainIdOf<T> = T::Hashing::hash(b"this chain");
	let bridged: ChainIdOf<T> = T::Hashing::hash(b"bridged chain");
	ThisChain::<T>::put(this);
	Bridge::<T>::do_set_bridged_chain(bridged).expect("benchmark bridge is configured");
	(this, bridged)
}

fn wide_limit<T: Config>() -> RateLimitOf<T> {
	RateLimit { max_per_window: BalanceOf::<T>::max_value(), window: One::one() }
}

/// A listed local asset and a funded sender.
fn listed_asset<T: Config>() -> (AssetKindOf<T>, T::AccountId, BalanceOf<T>) {
	let asset = T::BenchmarkHelper::create_asset();
	Bridge::<T>::do_list_asset(asset.clone(), wide_limit::<T>()).expect("asset is listed");
	let sender: T::AccountId = whitelisted_caller();
	let amount = T::Assets::minimum_balance(asset.clone()).max(One::one());
	T::BenchmarkHelper::fund(&asset, &sender, amount.saturating_mul(1_000u32.into()));
	(asset, sender, amount)
}

/// The worst case of the inbound lane before a delivery: messages `1..=previous` delivered by
/// `MAX_UNREWARDED_RELAYERS - 1` different relayers, none confirmed (so none is forgotten, and the
/// delivery adds the last entry). Returns the first nonce to deliver and the source lane entry
/// (key, value) its proof must hold.
fn unrewarded_deliveries<T: Config>(
	this: ChainIdOf<T>,
	bridged: ChainIdOf<T>,
	messages: u64,
) -> (MessageNonce, (Vec<u8>, Vec<u8>)) {
	let previous = u64::from(MAX_UNREWARDED_RELAYERS - 1);
	let mut lane = InboundLane::new(bridged);
	for nonce in 1..=previous {
		let relayer = account("deliverer", nonce as u32, 0);
		lane.relayers
			.try_push(UnrewardedDelivery { relayer, last: nonce })
			.expect("within the bound");
	}
	lane.last_delivered = previous;
	InboundLanes::<T>::put(lane);
	let source_lane = OutboundLane { latest_generated: previous + messages, latest_confirmed: 0 };
	let entry = (OutboundLanes::<T>::hashed_key_for(this), source_lane.encode());
	(previous + 1, entry)
}

/// A wrapped asset for the bridged chain's `remote`.
fn wrapped_asset<T: Config>(remote: AssetKindOf<T>) -> AssetKindOf<T> {
	let local = T::BenchmarkHelper::wrapped_asset(0);
	Bridge::<T>::do_register_wrapped(remote, local.clone(), One::one(), wide_limit::<T>())
		.expect("wrapped asset is registered");
	local
}

/// Native funds for `who`: its delivery fees and more.
fn fund_native<T: Config>(who: &T::AccountId) {
	let fees = T::DeliveryFee::get().saturating_mul(1_000u32.into());
	let _ = T::Currency::mint_into(who, T::Currency::minimum_balance().saturating_add(fees));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_bridged_chain() -> Result<(), BenchmarkError> {
		ThisChain::<T>::put(T::Hashing::hash(b"this chain"));
		let bridged: ChainIdOf<T> = T::Hashing::hash(b"bridged chain");

		let origin = admin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, bridged);

		assert_eq!(BridgedChain::<T>::get(), Some(bridged));
		Ok(())
	}

	#[benchmark]
	fn open_lane() -> Result<(), BenchmarkError> {
		let destination: ChainIdOf<T> = T::Hashing::hash(b"another chain");

		let origin = admin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, destination);

		assert!(OutboundLanes::<T>::contains_key(destination));
		Ok(())
	}

	#[benchmark]
	fn send_message(n: Linear<0, MAX_REMARK_LEN>) {
		let (_, bridged) = configure::<T>();
		let sender: T::AccountId = whitelisted_caller();
		fund_native::<T>(&sender);
		let remark: Remark = alloc::vec![7u8; n as usize].try_into().expect("within bound");

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), bridged, remark);

		assert!(OutboundMessages::<T>::contains_key(bridged, 1));
	}

	// Locking costs more than burning: the vault's balance is written as well.
	#[benchmark]
	fn transfer() {
		let (_, bridged) = configure::<T>();
		let (asset, sender, amount) = listed_asset::<T>();
		fund_native::<T>(&sender);
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), asset, amount, beneficiary);

		assert!(OutboundMessages::<T>::contains_key(bridged, 1));
	}

	#[benchmark]
	fn deliver_messages(n: Linear<1, { T::MaxMessagesPerDelivery::get() }>) {
		let (this, bridged) = configure::<T>();
		let remote = T::BenchmarkHelper::create_asset();
		let local = wrapped_asset::<T>(remote.clone());
		let amount = T::Assets::minimum_balance(local.clone()).max(One::one());
		let (first, source_lane) = unrewarded_deliveries::<T>(this, bridged, n.into());
		let last = first + u64::from(n) - 1;
		let entries: Vec<_> = (first..=last)
			.map(|nonce| {
				let message: MessageOf<T> = Message {
					source: bridged,
					destination: this,
					sender: account("sender", nonce as u32, 0),
					payload: Payload::Mint {
						asset: remote.clone(),
						amount,
						beneficiary: account("beneficiary", nonce as u32, 0),
					},
				};
				(OutboundMessages::<T>::hashed_key_for(this, nonce), message.encode())
			})
			.chain([source_lane])
			.collect();
		let (root, proof) = prove_entries::<T>(&entries);
		let header = T::BenchmarkHelper::import_header(root);
		let relayer: T::AccountId = whitelisted_caller();
		let lane = LaneId { source: bridged, destination: this };

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), header, lane, first, last, proof);

		let inbound = InboundLanes::<T>::get().expect("configured");
		assert_eq!(inbound.last_delivered, last);
		assert_eq!(inbound.relayers.len() as u32, MAX_UNREWARDED_RELAYERS);
		assert_eq!(T::Assets::total_issuance(local), amount.saturating_mul(n.into()));
	}

	#[benchmark]
	fn deliver_message_bytes(b: Linear<0, MAX_REMARK_LEN>) {
		let (this, bridged) = configure::<T>();
		let remark: Remark = alloc::vec![7u8; b as usize].try_into().expect("within the bound");
		let message: MessageOf<T> = Message {
			source: bridged,
			destination: this,
			sender: account("sender", 0, 0),
			payload: Payload::Remark(remark),
		};
		let source_lane = OutboundLane { latest_generated: 1, latest_confirmed: 0 };
		let entries = [
			(OutboundMessages::<T>::hashed_key_for(this, 1), message.encode()),
			(OutboundLanes::<T>::hashed_key_for(this), source_lane.encode()),
		];
		let (root, proof) = prove_entries::<T>(&entries);
		let header = T::BenchmarkHelper::import_header(root);
		let relayer: T::AccountId = whitelisted_caller();
		let lane = LaneId { source: bridged, destination: this };

		#[extrinsic_call]
		deliver_messages(RawOrigin::Signed(relayer), header, lane, 1, 1, proof);

		assert_eq!(InboundLanes::<T>::get().map(|lane| lane.last_delivered), Some(1));
	}

	#[benchmark]
	fn confirm_delivery(n: Linear<1, { T::MaxUnconfirmedMessages::get() }>) {
		let (this, bridged) = configure::<T>();
		// A sender per message (the most per-sender counts to update), each paying a fee.
		for i in 0..n {
			let sender: T::AccountId = account("sender", i, 0);
			fund_native::<T>(&sender);
			Bridge::<T>::enqueue(bridged, sender, Payload::Remark(Default::default()))
				.expect("lane has room");
		}
		let relayer: T::AccountId = whitelisted_caller();
		// Delivered by as many different relayers as the receipt may name, each paid apart into
		// a new account.
		let mut receipt = InboundLane { last_delivered: u64::from(n), ..InboundLane::new(this) };
		let deliverers = n.min(MAX_UNREWARDED_RELAYERS);
		for i in 1..=deliverers {
			let deliverer: T::AccountId = account("deliverer", i, 0);
			let last = if i == deliverers { u64::from(n) } else { u64::from(i) };
			receipt
				.relayers
				.try_push(UnrewardedDelivery { relayer: deliverer, last })
				.expect("within the bound");
		}
		let (root, proof) =
			prove_entries::<T>(&[(InboundLanes::<T>::hashed_key().to_vec(), receipt.encode())]);
		let header = T::BenchmarkHelper::import_header(root);

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), header, proof);

		assert_eq!(OutboundLanes::<T>::get(bridged).map(|l| l.latest_confirmed), Some(n.into()));
		assert_eq!(UnconfirmedBySender::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn retry_transfer() {
		configure::<T>();
		let remote = T::BenchmarkHelper::create_asset();
		let local = wrapped_asset::<T>(remote.clone());
		let amount = T::Assets::minimum_balance(local.clone()).max(One::one());
		let beneficiary: T::AccountId = account("beneficiary", 0, 0);
		// Held from a relayer, as a delivery that could not credit it would.
		let relayer: T::AccountId = account("relayer", 0, 0);
		let deposit = Deposit { depositor: relayer.clone(), amount: T::DepositBase::get() };
		let _ = T::Currency::mint_into(&relayer, T::Currency::minimum_balance() + deposit.amount);
		deposit
			.hold::<T::Currency>(&HoldReason::StorageDeposit.into())
			.expect("the relayer is funded");
		let pending = PendingTransfer {
			kind: TransferKind::Mint,
			asset: remote,
			amount,
			beneficiary,
			deposit,
		};
		PendingTransfers::<T>::insert(1, pending);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1);

		assert_eq!(T::Assets::total_issuance(local), amount);
	}

	#[benchmark]
	fn list_asset() -> Result<(), BenchmarkError> {
		let asset = T::BenchmarkHelper::create_asset();

		let origin = admin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset.clone(), wide_limit::<T>());

		assert!(ListedAssets::<T>::contains_key(asset));
		Ok(())
	}

	#[benchmark]
	fn register_wrapped() -> Result<(), BenchmarkError> {
		let remote = T::BenchmarkHelper::create_asset();
		let local = T::BenchmarkHelper::wrapped_asset(0);

		let origin = admin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, remote, local.clone(), One::one(), wide_limit::<T>());

		assert!(WrappedAssets::<T>::contains_key(local));
		Ok(())
	}

	#[benchmark]
	fn set_rate_limit() -> Result<(), BenchmarkError> {
		let (asset, _, _) = listed_asset::<T>();

		let origin = admin::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, asset.clone(), wide_limit::<T>());

		assert!(RateLimits::<T>::contains_key(asset));
		Ok(())
	}

	#[benchmark]
	fn set_paused() -> Result<(), BenchmarkError> {
		let origin = halt::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, true);

		assert!(Paused::<T>::get());
		Ok(())
	}

	impl_benchmark_test_suite!(Bridge, crate::mock::chain(crate::mock::CHAIN_A), crate::mock::Test);
}
