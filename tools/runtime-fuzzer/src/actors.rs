//! Who acts in the fuzzed chain, and the state they start from: one set-up, executed once and
//! snapshotted, that every fuzz input starts from.
//!
//! - Alice: the dev chain's sudo key and validator, and the trusted KYC issuer.
//! - One: issuer of the regulated token [`TOKEN`] (claims required on both sides, review above
//!   a threshold).
//! - Bob, Charlie, One: KYC'd; Dave, Two: not.
//! - Eve: proxy (any) of Ferdie.
//! - A 2-of-3 multisig of Alice, Bob and Charlie, KYC'd and funded.
//! - Bob: owner of the plain `pallet-assets` asset [`ASSET`], held by several, and operator of
//!   the clearing scheme [`SCHEME`] in it (every signer and the multisig members, cycles of 3
//!   blocks, Charlie and Dave with collateral).
//! - One: issuer of the NFT collection [`DEEDS`] (the token's rules), deed `i` held by the
//!   `i`-th signer.
//! - Charlie: owner of settlement venue [`VENUE`] (receivers affirm), pre-approved by Bob.

use crate::common::{self, Snapshot, TestChain};
use pallet_compliance::{ClaimInput, PartyRequirement};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{self, *};
use sp_runtime::MultiAddress;
use tpwallet_runtime::{
	AccountId, Assets, Balances, Compliance, Proxy, Runtime, RuntimeOrigin, Settlement,
	Tokenization,
};

/// Accounts that sign.
pub const SIGNERS: [Sr25519Keyring; 8] = [Alice, Bob, Charlie, Dave, Eve, Ferdie, One, Two];
/// The multisig's members (sorted when used) and threshold.
pub const MULTISIG_MEMBERS: [Sr25519Keyring; 3] = [Alice, Bob, Charlie];
pub const MULTISIG_THRESHOLD: u16 = 2;
/// The regulated token and the plain asset.
pub const TOKEN: u32 = 500;
pub const ASSET: u32 = 9;
/// Transfers of the token at or above this are held for review.
pub const REVIEW_THRESHOLD: u128 = 5_000;
const UNIT: u128 = 1_000_000_000_000;
/// The clearing scheme.
pub const SCHEME: u32 = 0;
/// The NFT collection (a tokenization token id).
pub const DEEDS: u32 = 600;
/// The settlement venue.
pub const VENUE: u64 = 0;

/// Every account an action may name: the signers, then the multisig (derived once: actions
/// name accounts on the fuzzer's hot path).
pub fn all_accounts() -> &'static [AccountId] {
	static ALL: std::sync::OnceLock<Vec<AccountId>> = std::sync::OnceLock::new();
	ALL.get_or_init(|| {
		let mut all: Vec<AccountId> = SIGNERS.iter().map(|k| k.to_account_id()).collect();
		let members = sorted_members();
		all.push(pallet_multisig::Pallet::<Runtime>::multi_account_id(
			&members,
			MULTISIG_THRESHOLD,
		));
		all
	})
}

pub fn multisig_account() -> AccountId {
	all_accounts()[SIGNERS.len()].clone()
}

pub fn sorted_members() -> Vec<AccountId> {
	let mut members: Vec<AccountId> = MULTISIG_MEMBERS.iter().map(|k| k.to_account_id()).collect();
	members.sort();
	members
}

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

fn id(who: &AccountId) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(who.clone())
}

/// The dev chain after the set-up above, two blocks in.
pub fn setup() -> Snapshot {
	let mut chain = TestChain::new();
	chain.produce_block(vec![]);
	chain.execute_with(|| {
		let multisig = multisig_account();
		for who in [One.to_account_id(), Two.to_account_id(), multisig.clone()] {
			Balances::transfer_keep_alive(signed(Alice), id(&who), 1_000 * UNIT).expect("funds");
		}
		Proxy::add_proxy(
			signed(Ferdie),
			id(&Eve.to_account_id()),
			tpwallet_runtime::configs::ProxyType::Any,
			0,
		)
		.expect("Eve proxies Ferdie");

		Compliance::add_trusted_issuer(
			RuntimeOrigin::root(),
			id(&Alice.to_account_id()),
			vec![*b"DE"].try_into().expect("one jurisdiction"),
		)
		.expect("Alice attests claims");
		for who in
			[Bob.to_account_id(), Charlie.to_account_id(), One.to_account_id(), multisig.clone()]
		{
			Compliance::attest_claim(
				signed(Alice),
				id(&who),
				ClaimInput {
					tier: 2,
					jurisdiction: *b"DE",
					accredited: true,
					sanctions_screened: true,
					expires_at: 100_000,
					commitment: [7; 32],
				},
			)
			.expect("KYC claim");
		}

		let template = pallet_tokenization::NextTemplateId::<Runtime>::get();
		Tokenization::register_template(RuntimeOrigin::root(), common::open_security_template())
			.expect("template");
		Tokenization::create_token(
			signed(One),
			TOKEN,
			template,
			b"Fuzz Shares".to_vec().try_into().expect("short"),
			b"FUZZ".to_vec().try_into().expect("short"),
			None,
			[1; 32],
		)
		.expect("token");
		let rule_set = pallet_compliance::NextRuleSetId::<Runtime>::get();
		let kyc = PartyRequirement { claim_required: true, ..Default::default() };
		Compliance::register_rule_set(RuntimeOrigin::root(), common::rule_set(kyc))
			.expect("rule set");
		Compliance::set_token_rules(
			signed(One),
			TOKEN,
			common::review_rules(rule_set, REVIEW_THRESHOLD),
		)
		.expect("token rules");
		Tokenization::mint(signed(One), TOKEN, id(&One.to_account_id()), 1_000_000).expect("mint");
		for who in [Bob.to_account_id(), Charlie.to_account_id(), multisig.clone()] {
			Tokenization::transfer(signed(One), TOKEN, id(&who), 10_000).expect("token to holder");
		}

		let template = pallet_tokenization::NextTemplateId::<Runtime>::get();
		Tokenization::register_template(
			RuntimeOrigin::root(),
			pallet_tokenization::TemplateSpec {
				class: pallet_tokenization::TokenClass::NftCollection,
				..common::open_security_template()
			},
		)
		.expect("NFT template");
		Tokenization::create_token(
			signed(One),
			DEEDS,
			template,
			b"Fuzz Deeds".to_vec().try_into().expect("short"),
			b"DEED".to_vec().try_into().expect("short"),
			None,
			[2; 32],
		)
		.expect("collection");
		for (item, signer) in (1u32..).zip(SIGNERS) {
			Tokenization::mint_nft(
				signed(One),
				DEEDS,
				item,
				id(&signer.to_account_id()),
				Default::default(),
			)
			.expect("deed");
		}
		// Ruled after minting: every signer holds a deed, KYC'd or not.
		Compliance::set_token_rules(
			signed(One),
			DEEDS,
			common::review_rules(rule_set, REVIEW_THRESHOLD),
		)
		.expect("collection rules");
		Settlement::create_venue(signed(Charlie), true).expect("venue");
		Settlement::preapprove_venue(signed(Bob), VENUE).expect("pre-approval");

		Assets::create(signed(Bob), ASSET.into(), id(&Bob.to_account_id()), 1).expect("asset");
		for who in all_accounts() {
			Assets::mint(signed(Bob), ASSET.into(), id(who), 1_000_000).expect("asset mint");
		}

		Settlement::create_scheme(
			RuntimeOrigin::root(),
			id(&Bob.to_account_id()),
			frame_support::traits::fungible::NativeOrWithId::WithId(ASSET),
			3,
		)
		.expect("scheme");
		Settlement::open_scheme(signed(Bob), SCHEME).expect("scheme opens");
		for who in all_accounts() {
			Settlement::add_member(signed(Bob), SCHEME, id(who), 200_000).expect("member");
		}
		for who in [Charlie, Dave] {
			Settlement::post_collateral(signed(who), SCHEME, 100_000).expect("collateral");
		}
	});
	chain.produce_block(vec![]);
	chain.into_snapshot()
}
