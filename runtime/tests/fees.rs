//! The fee model (`runtime/src/configs/fees.rs`) in real blocks: the target price of a plain
//! transfer, the per-byte fee, the congestion multiplier and where fees go.
//!
//! Audit finding: `WeightToFee` and `LengthToFee` were `IdentityFee` (a transfer cost a few
//! ten-thousandths of a TPW, a byte 10^-12 TPW) and the multiplier was constant, so spam was
//! free. Each test here fails on that configuration.

mod common;

use codec::Encode;
use common::TestChain;
use frame_support::{
	dispatch::DispatchClass,
	traits::{
		fungible::{Balanced, Inspect},
		OnUnbalanced,
	},
	weights::Weight,
};
use pallet_transaction_payment::Multiplier;
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::{
	traits::{Convert, One},
	FixedPointNumber, MultiAddress,
};
use tpwallet_runtime::{
	configs::{
		DealWithFees, LengthToFee, RuntimeBlockLength, RuntimeBlockWeights, TreasuryAccount,
		WeightToFee,
	},
	Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, TransactionPayment, MICRO_UNIT,
	MILLI_UNIT, UNIT,
};

fn transfer(value: Balance) -> RuntimeCall {
	pallet_balances::Call::<Runtime>::transfer_keep_alive {
		dest: MultiAddress::Id(Charlie.to_account_id()),
		value,
	}
	.into()
}

fn remark(len: usize) -> RuntimeCall {
	frame_system::Call::<Runtime>::remark { remark: vec![7; len] }.into()
}

/// The fee the last block's transaction paid.
fn fee_paid(chain: &mut TestChain) -> Balance {
	chain
		.events()
		.into_iter()
		.find_map(|e| match e {
			RuntimeEvent::TransactionPayment(
				pallet_transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
			) => Some(actual_fee),
			_ => None,
		})
		.expect("fee paid")
}

#[test]
fn a_plain_transfer_costs_about_one_milli_tpw() {
	let mut chain = TestChain::new();
	let tx = chain.sign(Bob, transfer(UNIT));
	let len = tx.encoded_size() as u32;
	let details = chain.execute_with(|| TransactionPayment::query_fee_details(tx.clone(), len));
	let inclusion = details.inclusion_fee.expect("signed extrinsics pay");
	// The weight part is calibrated to one mTPW (to rounding); bytes come on top.
	let weight_fee = inclusion.base_fee + inclusion.adjusted_weight_fee;
	assert!(weight_fee.abs_diff(MILLI_UNIT) <= MICRO_UNIT, "weight fee {weight_fee}");
	let per_byte = chain.execute_with(LengthToFee::fee_per_byte);
	assert_eq!(inclusion.len_fee, Balance::from(len) * per_byte);
	let total = weight_fee + inclusion.len_fee;
	// Bytes add about a fifth: a transfer fills about a fifth as much of a block's length as of
	// its compute (2 s blocks of 5 MiB).
	assert!(total > MILLI_UNIT && total < 13 * MILLI_UNIT / 10, "fee {total}");

	// A real block charges exactly that.
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	let paid = fee_paid(&mut chain);
	assert_eq!(paid, total);
}

#[test]
fn a_block_full_of_bytes_costs_what_a_block_full_of_compute_costs() {
	let mut chain = TestChain::new();
	chain.execute_with(|| {
		use frame_support::weights::WeightToFee as _;
		let weight =
			RuntimeBlockWeights::get().get(DispatchClass::Normal).max_total.expect("limit");
		let length = *RuntimeBlockLength::get().max.get(DispatchClass::Normal);
		let by_weight = WeightToFee::weight_to_fee(&weight);
		let by_length = LengthToFee::weight_to_fee(&Weight::from_parts(length.into(), 0));
		assert!(by_weight > UNIT / 10, "a full block of compute costs {by_weight}");
		// Equal up to the rounding of the per-byte price.
		assert!(
			by_weight.abs_diff(by_length) <= Balance::from(length),
			"{by_weight} vs {by_length}"
		);
	});

	// 100 kB more cost their bytes' price more; the remark's weight barely grows.
	let small = chain.sign(Bob, remark(10));
	let large = chain.sign(Bob, remark(100_010));
	let (per_byte, fees) = chain.execute_with(|| {
		let fees = [&small, &large].map(|tx| {
			let len = tx.encoded_size() as u32;
			let fee = TransactionPayment::query_fee_details(tx.clone(), len)
				.inclusion_fee
				.expect("signed");
			(len, fee.len_fee, fee.base_fee + fee.adjusted_weight_fee)
		});
		(LengthToFee::fee_per_byte(), fees)
	});
	for (len, len_fee, _) in fees {
		assert_eq!(len_fee, Balance::from(len) * per_byte);
	}
	let extra = (fees[1].1 + fees[1].2) - (fees[0].1 + fees[0].2);
	let bytes = 100_000 * per_byte;
	assert!(extra >= bytes && extra < bytes + bytes / 10, "extra {extra} for {bytes}");
}

#[test]
fn congestion_raises_fees_and_quiet_blocks_bring_them_back_to_the_floor() {
	let mut chain = TestChain::new();
	chain.execute_with(|| {
		type Update = <Runtime as pallet_transaction_payment::Config>::FeeMultiplierUpdate;
		let one = Multiplier::one();
		let normal_max = RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.expect("normal class has a limit");
		let fill = |weight: Weight| {
			frame_system::Pallet::<Runtime>::set_block_consumed_resources(weight, 0)
		};

		// Full blocks: up at once, about double after an hour (1,200 blocks of 3 s).
		fill(normal_max);
		assert!(Update::convert(one) > one);
		let hour = (0..1_200).fold(one, |m, _| Update::convert(m));
		assert!(
			hour > Multiplier::saturating_from_rational(18, 10)
				&& hour < Multiplier::saturating_from_rational(23, 10),
			"after an hour of full blocks: {hour}"
		);

		// At the target (a quarter full) it holds; below it, it falls, but never under 1.
		let two = Multiplier::saturating_from_integer(2);
		let near = |m: Multiplier, to: Multiplier| {
			m > to * Multiplier::saturating_from_rational(999, 1_000)
				&& m < to * Multiplier::saturating_from_rational(1_001, 1_000)
		};
		fill(normal_max / 4);
		assert!(near(Update::convert(two), two));
		fill(Weight::zero());
		assert!(Update::convert(two) < two);
		assert_eq!(Update::convert(one), one);
	});

	// A real block: with no load, the stored multiplier stays at the floor, 1.
	let tx = chain.sign(Bob, transfer(UNIT));
	chain.produce_block(vec![tx]);
	chain.execute_with(|| {
		assert_eq!(
			pallet_transaction_payment::NextFeeMultiplier::<Runtime>::get(),
			Multiplier::one()
		)
	});
}

#[test]
fn fees_go_to_the_treasury_and_tips_to_the_author() {
	let mut chain = TestChain::new();
	let treasury = TreasuryAccount::get();
	let author = Alice.to_account_id(); // the development chain's only validator
	let balances = |chain: &mut TestChain| {
		chain.execute_with(|| (Balances::balance(&treasury), Balances::balance(&author)))
	};
	let (treasury_before, author_before) = balances(&mut chain);
	assert_eq!(treasury_before, tpwallet_runtime::EXISTENTIAL_DEPOSIT, "endowed at genesis");

	let tx = chain.sign(Bob, transfer(UNIT));
	chain.produce_block(vec![tx]);
	let fee = fee_paid(&mut chain);
	assert!(fee > 0);
	assert_eq!(balances(&mut chain), (treasury_before + fee, author_before));

	// A tip goes to the author whole; the fee beside it to the treasury.
	chain.execute_with(|| {
		assert_eq!(pallet_authorship::Pallet::<Runtime>::author(), Some(author.clone()));
		let (t0, a0) = (Balances::balance(&treasury), Balances::balance(&author));
		let fee = <Balances as Balanced<_>>::issue(1_000 * MICRO_UNIT);
		let tip = <Balances as Balanced<_>>::issue(500 * MICRO_UNIT);
		DealWithFees::on_unbalanceds([fee, tip].into_iter());
		assert_eq!(Balances::balance(&treasury) - t0, 1_000 * MICRO_UNIT);
		assert_eq!(Balances::balance(&author) - a0, 500 * MICRO_UNIT);
	});
}
