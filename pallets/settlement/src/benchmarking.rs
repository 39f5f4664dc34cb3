//! Benchmarks of the settlement pallet (FRAME v2). Worst cases: `l` legs, each in a different
//! `pallet-assets` token (one hold per leg), each to a receiver that does not exist yet, scheduled
//! at a block (a schedule entry to write or remove), hash-locked where a lock matters, created in
//! a venue (a pre-approval read per receiver). An NFT leg's escrow and transfer are charged by
//! the runtime's `NftEscrow::weight` on top.

use super::*;
use crate::Pallet as Settlement;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungibles::Inspect, EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::traits::{One, Saturating, StaticLookup, Zero},
};

const SECRET_BYTE: u8 = 7;

fn preimage<T: Config>() -> BoundedVec<u8, T::MaxPreimageLen> {
	BoundedVec::truncate_from(alloc::vec![SECRET_BYTE; T::MaxPreimageLen::get() as usize])
}

/// `l` legs from one funded sender, each in its own asset to a new receiver; hash-locked to
/// [`preimage`]'s digest if `locked`.
fn legs<T: Config>(l: u32, locked: bool) -> (T::AccountId, LegsOf<T>) {
	let sender: T::AccountId = whitelisted_caller();
	let hash_lock = locked.then(|| polkadot_sdk::sp_io::hashing::sha2_256(&preimage::<T>()));
	let mut legs = alloc::vec::Vec::new();
	for i in 0..l {
		let asset = T::BenchmarkHelper::create_asset(i);
		let amount =
			T::Assets::minimum_balance(asset.clone()).max(One::one()).saturating_mul(10u32.into());
		T::BenchmarkHelper::fund(&asset, &sender, amount.saturating_mul(10u32.into()));
		legs.push(Leg {
			from: sender.clone(),
			to: account("receiver", i, 0),
			asset: LegAsset::Fungible { asset, amount },
			hash_lock,
		});
	}
	(sender, BoundedVec::truncate_from(legs))
}

fn creator<T: Config>() -> T::AccountId {
	let creator: T::AccountId = account("creator", 0, 0);
	let asset = T::BenchmarkHelper::create_asset(0);
	// Funding gives native balance too, for the storage deposit.
	T::BenchmarkHelper::fund(&asset, &creator, unit::<T>(&asset).saturating_mul(1_000u32.into()));
	creator
}

fn expiry<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(T::MaxDuration::get())
}

/// A settlement block a few blocks ahead (the benchmark may start its block after the set-up).
fn soon<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number().saturating_add(10u32.into())
}

/// A pending instruction of `l` legs from the returned sender, affirmed by it if `affirmed`.
fn instruction<T: Config>(
	l: u32,
	settlement: SettlementType<BlockNumberFor<T>>,
	locked: bool,
	affirmed: bool,
) -> (InstructionId, T::AccountId, T::AccountId) {
	let (sender, legs) = legs::<T>(l, locked);
	let creator = creator::<T>();
	let id =
		Settlement::<T>::do_create(creator.clone(), None, legs, settlement, false, expiry::<T>())
			.expect("benchmark instruction is created");
	if affirmed {
		Settlement::<T>::do_affirm(sender.clone(), id).expect("benchmark sender affirms");
	}
	(id, sender, creator)
}

/// An open scheme in the benchmark asset with `members` funded members (the first is returned
/// with the scheme), each capped high.
fn active_scheme<T: Config>(members: u32) -> (SchemeId, AssetKindOf<T>, T::AccountId) {
	let asset = T::BenchmarkHelper::create_asset(0);
	let operator: T::AccountId = account("operator", 0, 0);
	let unit = T::Assets::minimum_balance(asset.clone()).max(One::one());
	T::BenchmarkHelper::fund(&asset, &operator, unit.saturating_mul(100u32.into()));
	let id = Settlement::<T>::do_create_scheme(operator.clone(), asset.clone(), One::one())
		.expect("benchmark scheme is created");
	Settlement::<T>::do_open_scheme(operator.clone(), id).expect("benchmark scheme opens");
	for i in 0..members {
		let member = member::<T>(i);
		T::BenchmarkHelper::fund(&asset, &member, unit.saturating_mul(1_000u32.into()));
		Settlement::<T>::do_add_member(
			operator.clone(),
			id,
			member,
			unit.saturating_mul(1_000_000u32.into()),
		)
		.expect("benchmark member is added");
	}
	(id, asset, operator)
}

/// `creator`'s venue, asking receivers to affirm, and pre-approved by every receiver of `legs`.
fn venue<T: Config>(creator: &T::AccountId, legs: &LegsOf<T>) -> VenueId {
	let venue = Settlement::<T>::do_create_venue(creator.clone(), true)
		.expect("benchmark venue is created");
	let asset = T::BenchmarkHelper::create_asset(0);
	for leg in legs.iter() {
		T::BenchmarkHelper::fund(&asset, &leg.to, unit::<T>(&asset).saturating_mul(10u32.into()));
		Settlement::<T>::do_preapprove_venue(leg.to.clone(), venue)
			.expect("benchmark receiver pre-approves");
	}
	venue
}

/// Member 0 of scheme `id`, granted limits by members `1..limits` and granting one to each.
fn credit_lines<T: Config>(id: SchemeId, limits: u32, cycle: CycleNumber) {
	let first = member::<T>(0);
	let asset = T::BenchmarkHelper::create_asset(0);
	let high = unit::<T>(&asset).saturating_mul(1_000_000u32.into());
	for i in 1..limits {
		let other = member::<T>(i);
		Settlement::<T>::do_set_credit_limit(other.clone(), id, first.clone(), Some(high))
			.expect("benchmark limit is granted");
		Settlement::<T>::do_set_credit_limit(first.clone(), id, other.clone(), Some(high))
			.expect("benchmark limit is granted");
		CreditUsage::<T>::insert((id, &first), &other, (cycle, unit::<T>(&asset)));
		CreditUsage::<T>::insert((id, &other), &first, (cycle, unit::<T>(&asset)));
	}
}

fn member<T: Config>(i: u32) -> T::AccountId {
	account("member", i, 0)
}

fn unit<T: Config>(asset: &AssetKindOf<T>) -> BalanceOf<T> {
	T::Assets::minimum_balance(asset.clone()).max(One::one())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_instruction(l: Linear<1, { T::MaxLegs::get() }>) {
		let (_, legs) = legs::<T>(l, true);
		let creator = creator::<T>();
		let venue = venue::<T>(&creator, &legs);
		let at = soon::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(creator),
			Some(venue),
			legs,
			SettlementType::AtBlock(at),
			true,
			expiry::<T>(),
		);

		assert!(Instructions::<T>::contains_key(0));
	}

	#[benchmark]
	fn affirm(l: Linear<1, { T::MaxLegs::get() }>) {
		let (id, sender, _) = instruction::<T>(l, SettlementType::Manual, false, false);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id);

		assert!(Instructions::<T>::get(id).is_some_and(|i| i.fully_affirmed()));
	}

	#[benchmark]
	fn withdraw_affirmation(l: Linear<1, { T::MaxLegs::get() }>) {
		let (id, sender, _) = instruction::<T>(l, SettlementType::Manual, false, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id);

		assert!(Instructions::<T>::get(id).is_some_and(|i| !i.fully_affirmed()));
	}

	#[benchmark]
	fn reject(l: Linear<1, { T::MaxLegs::get() }>) {
		let at = soon::<T>();
		let (id, _, creator) = instruction::<T>(l, SettlementType::AtBlock(at), false, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(creator), id);

		assert!(!Instructions::<T>::contains_key(id));
	}

	#[benchmark]
	fn reveal_preimage(l: Linear<1, { T::MaxLegs::get() }>) {
		let (id, sender, _) = instruction::<T>(l, SettlementType::Manual, true, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id, preimage::<T>());

		assert!(Instructions::<T>::get(id).is_some_and(|i| i.legs.iter().all(|(_, s)| s.unlocked)));
	}

	#[benchmark]
	fn execute(l: Linear<1, { T::MaxLegs::get() }>) {
		let (id, sender, _) = instruction::<T>(l, SettlementType::Manual, false, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id);

		assert!(!Instructions::<T>::contains_key(id));
	}

	#[benchmark]
	fn release_expired(l: Linear<1, { T::MaxLegs::get() }>) {
		let at = soon::<T>();
		let (id, sender, _) = instruction::<T>(l, SettlementType::AtBlock(at), false, true);
		frame_system::Pallet::<T>::set_block_number(expiry::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id);

		assert!(!Instructions::<T>::contains_key(id));
	}

	#[benchmark]
	fn create_scheme() -> Result<(), BenchmarkError> {
		let origin =
			T::SchemeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let asset = T::BenchmarkHelper::create_asset(0);
		let operator: T::AccountId = account("operator", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::Lookup::unlookup(operator), asset, One::one());

		assert!(Schemes::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn open_scheme() {
		let asset = T::BenchmarkHelper::create_asset(0);
		let operator: T::AccountId = account("operator", 0, 0);
		T::BenchmarkHelper::fund(
			&asset,
			&operator,
			unit::<T>(&asset).saturating_mul(100u32.into()),
		);
		let id = Settlement::<T>::do_create_scheme(operator.clone(), asset, One::one())
			.expect("benchmark scheme is created");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id);

		assert!(Schemes::<T>::get(id).is_some_and(|s| s.status == SchemeStatus::Active));
	}

	#[benchmark]
	fn add_member() {
		let (id, _, operator) = active_scheme::<T>(T::MaxMembers::get() - 1);
		let new: T::AccountId = account("new member", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, T::Lookup::unlookup(new.clone()), One::one());

		assert!(Members::<T>::contains_key(id, new));
	}

	#[benchmark]
	fn set_net_debit_cap() {
		let (id, _, operator) = active_scheme::<T>(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, T::Lookup::unlookup(member::<T>(0)), One::one());

		assert!(
			Members::<T>::get(id, member::<T>(0)).is_some_and(|m| m.net_debit_cap == One::one())
		);
	}

	#[benchmark]
	fn reinstate_member() {
		let (id, _, operator) = active_scheme::<T>(1);
		Members::<T>::mutate(id, member::<T>(0), |m| {
			if let Some(m) = m {
				m.suspended = true;
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, T::Lookup::unlookup(member::<T>(0)));

		assert!(Members::<T>::get(id, member::<T>(0)).is_some_and(|m| !m.suspended));
	}

	/// Member 0 granted a limit to every other member, and was granted `MaxCreditLimits`.
	#[benchmark]
	fn remove_member(m: Linear<2, { T::MaxMembers::get() }>) {
		let (id, asset, operator) = active_scheme::<T>(m);
		let first = member::<T>(0);
		Settlement::<T>::do_post_collateral(first.clone(), id, unit::<T>(&asset))
			.expect("benchmark collateral is posted");
		let limits = m.min(T::MaxCreditLimits::get().saturating_add(1));
		// A past cycle's usage (the open cycle must have no position of the member).
		credit_lines::<T>(id, limits, 0);
		let high = unit::<T>(&asset).saturating_mul(1_000_000u32.into());
		for i in limits..m {
			Settlement::<T>::do_set_credit_limit(first.clone(), id, member::<T>(i), Some(high))
				.expect("benchmark limit is granted");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id, T::Lookup::unlookup(first.clone()));

		assert!(!Members::<T>::contains_key(id, &first));
		assert!(CreditUsage::<T>::iter_prefix((id, first)).next().is_none());
	}

	#[benchmark]
	fn post_collateral() {
		let (id, asset, _) = active_scheme::<T>(1);
		let first = member::<T>(0);
		Settlement::<T>::do_post_collateral(first.clone(), id, unit::<T>(&asset))
			.expect("benchmark collateral is posted");

		#[extrinsic_call]
		_(RawOrigin::Signed(first.clone()), id, unit::<T>(&asset));

		assert!(Members::<T>::get(id, first).is_some_and(|m| !m.collateral.is_zero()));
	}

	#[benchmark]
	fn withdraw_collateral() {
		let (id, asset, _) = active_scheme::<T>(2);
		let first = member::<T>(0);
		let amount = unit::<T>(&asset).saturating_mul(10u32.into());
		Settlement::<T>::do_post_collateral(first.clone(), id, amount)
			.expect("benchmark collateral is posted");
		Settlement::<T>::do_pay(first.clone(), id, member::<T>(1), unit::<T>(&asset))
			.expect("benchmark payment clears");

		#[extrinsic_call]
		_(RawOrigin::Signed(first.clone()), id, unit::<T>(&asset));

		assert!(Members::<T>::get(id, first).is_some_and(|m| m.collateral < amount));
	}

	/// Between members with a limit each way, with usage counted in the open cycle.
	#[benchmark]
	fn pay() {
		let (id, asset, _) = active_scheme::<T>(2);
		credit_lines::<T>(id, 2, 0);
		let (first, second) = (member::<T>(0), member::<T>(1));
		// Both already have positions in the cycle: reads and writes of existing entries.
		Settlement::<T>::do_pay(second.clone(), id, first.clone(), unit::<T>(&asset))
			.expect("benchmark payment clears");

		#[extrinsic_call]
		_(RawOrigin::Signed(first), id, T::Lookup::unlookup(second), unit::<T>(&asset));

		assert!(!Positions::<T>::get((id, 0), member::<T>(0)).paid.is_zero());
	}

	/// Between members with no credit limit either way: the usual payment.
	#[benchmark]
	fn pay_without_credit_limit() {
		let (id, asset, _) = active_scheme::<T>(2);
		let (first, second) = (member::<T>(0), member::<T>(1));
		Settlement::<T>::do_pay(second.clone(), id, first.clone(), unit::<T>(&asset))
			.expect("benchmark payment clears");

		#[extrinsic_call]
		pay(RawOrigin::Signed(first), id, T::Lookup::unlookup(second), unit::<T>(&asset));

		assert!(!Positions::<T>::get((id, 0), member::<T>(0)).paid.is_zero());
		assert!(!CreditUsage::<T>::contains_key((id, member::<T>(0)), member::<T>(1)));
	}

	#[benchmark]
	fn close_cycle() {
		let (id, asset, operator) = active_scheme::<T>(2);
		Settlement::<T>::do_pay(member::<T>(0), id, member::<T>(1), unit::<T>(&asset))
			.expect("benchmark payment clears");

		#[extrinsic_call]
		_(RawOrigin::Signed(operator), id);

		assert!(Nettings::<T>::contains_key(id));
	}

	#[benchmark]
	fn claim_payout() {
		let (id, asset, _) = active_scheme::<T>(1);
		let first = member::<T>(0);
		let amount = unit::<T>(&asset).saturating_mul(10u32.into());
		T::BenchmarkHelper::fund(&asset, &Settlement::<T>::scheme_account(id), amount);
		Unclaimed::<T>::insert(id, &first, amount);

		#[extrinsic_call]
		_(RawOrigin::Signed(first.clone()), id);

		assert!(!Unclaimed::<T>::contains_key(id, first));
	}

	#[benchmark]
	fn dissolve_scheme() {
		let (id, asset, operator) = active_scheme::<T>(0);
		let account = Settlement::<T>::scheme_account(id);
		// A netting's rounding residue beside the float: the whole balance goes back.
		T::BenchmarkHelper::fund(&asset, &account, unit::<T>(&asset));
		// Its close shares the block with as many other closes as fit.
		let closes_at = Schemes::<T>::get(id).map(|s| s.closes_at).unwrap_or_default();
		CycleCloses::<T>::mutate(closes_at, |ids| {
			for other in 1..T::MaxSchemes::get() {
				let _ = ids.try_push(id.saturating_add(other));
			}
		});
		// A settled cycle on record.
		LastSettled::<T>::insert(
			id,
			CycleSummary {
				cycle: 0,
				gross: Zero::zero(),
				net: Zero::zero(),
				shortfall: Zero::zero(),
				transfers: 0,
				settled_at: Zero::zero(),
			},
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(operator.clone()), id);

		assert!(!Schemes::<T>::contains_key(id));
		assert!(T::Assets::balance(asset, &account).is_zero());
	}

	#[benchmark]
	fn create_venue() {
		let owner = creator::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), true);

		assert!(Venues::<T>::contains_key(0));
	}

	#[benchmark]
	fn set_venue_policy() {
		let owner = creator::<T>();
		let venue = Settlement::<T>::do_create_venue(owner.clone(), true)
			.expect("benchmark venue is created");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), venue, false);

		assert!(Venues::<T>::get(venue).is_some_and(|v| !v.receivers_affirm));
	}

	#[benchmark]
	fn remove_venue() {
		let owner = creator::<T>();
		let venue = Settlement::<T>::do_create_venue(owner.clone(), true)
			.expect("benchmark venue is created");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), venue);

		assert!(!Venues::<T>::contains_key(venue));
	}

	#[benchmark]
	fn preapprove_venue() {
		let owner = creator::<T>();
		let venue = Settlement::<T>::do_create_venue(owner.clone(), true)
			.expect("benchmark venue is created");
		let receiver: T::AccountId = account("creator", 1, 0);
		let asset = T::BenchmarkHelper::create_asset(0);
		T::BenchmarkHelper::fund(&asset, &receiver, unit::<T>(&asset).saturating_mul(10u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(receiver.clone()), venue);

		assert!(VenuePreapprovals::<T>::contains_key(receiver, venue));
	}

	#[benchmark]
	fn withdraw_venue_preapproval() {
		let owner = creator::<T>();
		let venue = Settlement::<T>::do_create_venue(owner.clone(), true)
			.expect("benchmark venue is created");
		Settlement::<T>::do_preapprove_venue(owner.clone(), venue)
			.expect("benchmark receiver pre-approves");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), venue);

		assert!(!VenuePreapprovals::<T>::contains_key(owner, venue));
	}

	/// A new limit for a debtor already holding all but one, each way with usage kept.
	#[benchmark]
	fn set_credit_limit() {
		let limits = T::MaxCreditLimits::get();
		let (id, asset, _) = active_scheme::<T>(limits.saturating_add(1));
		credit_lines::<T>(id, limits, 0);
		let creditor = member::<T>(limits);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(creditor.clone()),
			id,
			T::Lookup::unlookup(member::<T>(0)),
			Some(unit::<T>(&asset)),
		);

		assert!(Members::<T>::get(id, member::<T>(0))
			.is_some_and(|m| m.credit_limit(&creditor).is_some()));
	}

	/// A net debtor whose balance covers part of its debit and its collateral the rest, and
	/// more: the release, the transfer and both records.
	#[benchmark]
	fn netting_collect() {
		let (id, asset, _) = active_scheme::<T>(2);
		let (debtor, creditor) = (member::<T>(0), member::<T>(1));
		let unit = unit::<T>(&asset);
		Settlement::<T>::do_post_collateral(debtor.clone(), id, unit.saturating_mul(900u32.into()))
			.expect("benchmark collateral is posted");
		Settlement::<T>::do_pay(debtor.clone(), id, creditor, unit.saturating_mul(950u32.into()))
			.expect("benchmark payment clears");
		let now = frame_system::Pallet::<T>::block_number();
		Settlement::<T>::do_close_cycle(id, now).expect("benchmark cycle closes");

		#[block]
		{
			Settlement::<T>::netting_step(id, now);
		}

		assert!(Nettings::<T>::get(id).is_some_and(|n| n.cursor == 1 && !n.collected.is_zero()));
	}

	/// A net creditor paid its share of a cycle with a shortfall (the pro-rata path).
	#[benchmark]
	fn netting_pay_out() {
		let (id, asset, _) = active_scheme::<T>(2);
		// The creditor first in the member list: the measured step pays it.
		let (creditor, debtor) = (member::<T>(0), member::<T>(1));
		let unit = unit::<T>(&asset);
		Settlement::<T>::do_pay(debtor, id, creditor.clone(), unit.saturating_mul(2_000u32.into()))
			.expect("benchmark payment clears");
		let now = frame_system::Pallet::<T>::block_number();
		Settlement::<T>::do_close_cycle(id, now).expect("benchmark cycle closes");
		// Collect (the debtor defaults on half of it), then end the pass.
		for _ in 0..3 {
			Settlement::<T>::netting_step(id, now);
		}
		assert!(Nettings::<T>::get(id).is_some_and(|n| n.phase == NettingPhase::PayOut));

		#[block]
		{
			Settlement::<T>::netting_step(id, now);
		}

		assert!(Nettings::<T>::get(id).is_some_and(|n| !n.paid_out.is_zero()));
	}

	impl_benchmark_test_suite!(Settlement, crate::mock::new_test_ext(), crate::mock::Test);
}
