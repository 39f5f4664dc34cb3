//! Unit tests of bilateral credit limits: granted by one member to another, checked on each
//! payment against the pair's net, counted per cycle, and gone with either member.

use super::schemes::{pay, scheme, CYCLE, OPERATOR};
use crate::{mock::*, CreditLineView, CreditUsage, Error, Event, Members};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

type Settlement = crate::Pallet<Test>;

const A: AccountId = 10;
const B: AccountId = 11;
const C: AccountId = 12;

fn grant(scheme: u32, creditor: AccountId, debtor: AccountId, limit: Option<Balance>) {
	assert_ok!(Settlement::set_credit_limit(
		RuntimeOrigin::signed(creditor),
		scheme,
		debtor,
		limit
	));
}

#[test]
fn a_payment_beyond_the_payees_limit_is_refused_and_its_reverse_frees_room() {
	test(|| {
		let id = scheme(&[A, B, C], 1_000, 10_000);
		grant(id, B, A, Some(100));
		assert_eq!(
			events().last(),
			Some(&Event::CreditLimitSet { scheme: id, creditor: B, debtor: A, limit: Some(100) })
		);
		pay(id, A, B, 60);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(A), id, B, 41),
			Error::<Test>::OverCreditLimit
		);
		// Other payees are not limited by B's limit.
		pay(id, A, C, 500);
		// B paying A back lowers A's net debt to B.
		pay(id, B, A, 30);
		pay(id, A, B, 70);
		let view = Settlement::member(id, A).unwrap();
		assert_eq!(view.credit_limits, vec![CreditLineView { creditor: B, limit: 100, used: 100 }]);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(A), id, B, 1),
			Error::<Test>::OverCreditLimit
		);
		// The next cycle starts from nothing.
		run_to(1 + CYCLE + 5);
		pay(id, A, B, 100);
	});
}

#[test]
fn a_limit_is_changed_and_removed_and_its_usage_forgotten() {
	test(|| {
		let id = scheme(&[A, B], 1_000, 10_000);
		grant(id, B, A, Some(50));
		pay(id, A, B, 50);
		grant(id, B, A, Some(80));
		pay(id, A, B, 30);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(A), id, B, 1),
			Error::<Test>::OverCreditLimit
		);
		grant(id, B, A, None);
		assert!(!CreditUsage::<Test>::contains_key((id, A), B));
		assert!(Members::<Test>::get(id, A).unwrap().credit_limits.is_empty());
		pay(id, A, B, 500);
		assert_noop!(
			Settlement::set_credit_limit(RuntimeOrigin::signed(B), id, A, None),
			Error::<Test>::NoCreditLimit
		);
	});
}

#[test]
fn limits_are_between_members_and_bounded() {
	test(|| {
		let id = scheme(&[A, B, C, 13, 14], 1_000, 10_000);
		let set = |creditor, debtor| {
			Settlement::set_credit_limit(RuntimeOrigin::signed(creditor), id, debtor, Some(1))
		};
		assert_noop!(set(A, A), Error::<Test>::SelfCreditLimit);
		assert_noop!(set(NOBODY, A), Error::<Test>::NotMember);
		assert_noop!(set(A, NOBODY), Error::<Test>::NotMember);
		assert_noop!(
			Settlement::set_credit_limit(RuntimeOrigin::signed(A), id + 1, B, Some(1)),
			Error::<Test>::UnknownScheme
		);
		// The mock allows three limits per debtor.
		for creditor in [B, C, 13] {
			assert_ok!(set(creditor, A));
		}
		assert_noop!(set(14, A), Error::<Test>::TooManyCreditLimits);
	});
}

#[test]
fn a_removed_member_takes_its_limits_and_their_usage_with_it() {
	test(|| {
		let id = scheme(&[A, B, C], 1_000, 10_000);
		grant(id, B, A, Some(100));
		grant(id, A, C, Some(100));
		grant(id, C, B, Some(100));
		pay(id, A, B, 10);
		pay(id, C, A, 10);
		// Settle the cycle, so that A has no open position.
		run_to(1 + CYCLE + 5);
		assert!(CreditUsage::<Test>::contains_key((id, A), B));
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, A));
		assert!(Members::<Test>::get(id, C).unwrap().credit_limits.is_empty());
		assert!(!CreditUsage::<Test>::contains_key((id, A), B));
		assert!(!CreditUsage::<Test>::contains_key((id, C), A));
		// The limit between the others stays.
		assert_eq!(Members::<Test>::get(id, B).unwrap().credit_limit(&C), Some(100));
	});
}

#[test]
fn usage_is_counted_only_between_members_with_a_limit_either_way() {
	test(|| {
		let id = scheme(&[A, B, C], 1_000, 10_000);
		grant(id, B, A, Some(100));
		// A pays B, or B pays A: counted (B's limit applies to A's debt, and B's payments lower
		// it); charged the full weight.
		let counted = Settlement::do_pay(A, id, B, 10).unwrap();
		assert!(counted.credit_counted);
		assert!(Settlement::do_pay(B, id, A, 5).unwrap().credit_counted);
		// No limit between A and C: nothing counted, the cheaper weight is charged.
		let uncounted = Settlement::do_pay(A, id, C, 10).unwrap();
		assert!(!uncounted.credit_counted && !uncounted.guarded);
		assert!(!CreditUsage::<Test>::contains_key((id, A), C));
		assert!(!CreditUsage::<Test>::contains_key((id, C), A));
	});
}
