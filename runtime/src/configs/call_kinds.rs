//! What each call does with value: the one question every proxy type answers.
//!
//! Every call of the runtime is listed here by name, with no wildcard arm, so that a new pallet
//! or a new call in an existing one does not compile until someone decides which kind it is,
//! and with that what each proxy type may do with it. Proxy types are then allowlists of kinds
//! (`accounts.rs`).

use crate::*;

/// How a call touches value, from the point of view of the account that signs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CallKind {
	/// Moves value away from the signer, or from an account the signer controls, or grants
	/// someone a right to move it: transfers, approvals, sale offers, HTLC locks, channel
	/// deposits and closes, bridge transfers, forced transfers, role grants, and dispatch as
	/// another account (`proxy.proxy`, `multisig.as_multi`), whose inner call is no longer seen
	/// by the proxy's filter.
	MovesValue,
	/// Pays tokens out of the signer's own holding, compliance-checked, to someone the signer
	/// names: `tokenization.transfer` and `transfer_with_travel_rule`. Value moves, but only
	/// this way: the one power of a `TokenPayments` proxy (a payment institution).
	PaysToken,
	/// Administers a token or collection the signer has a role in, without moving what anyone
	/// owns to anyone: mint, burn, freeze, thaw, pause, lock-ups, metadata, allowlists, rules,
	/// review decisions. An issuer's operations desk does these.
	AssetAdministration,
	/// Adds or removes the signer's own proxies and announcements. `pallet-proxy` itself keeps
	/// a proxy from granting more than it has.
	ProxyManagement,
	/// Refuses a proxy's announced call: the one power of a `CancelProxy` proxy.
	RejectsAnnouncement,
	/// Wraps other calls and dispatches them with the same origin, so the proxy's filter sees
	/// each inner call again (`utility.batch*`, `as_derivative`, `if_else`).
	Wrapper,
	/// Touches none of the signer's value: remarks, attestations, relaying proofs, and
	/// permissionless calls that pay out to their rightful owner whoever submits them.
	Neutral,
	/// Root or governance only (sudo, runtime code, templates, rule sets, bridge set-up):
	/// through a proxy only for `Any`.
	Privileged,
}

/// The kind of `call`.
pub fn call_kind(call: &RuntimeCall) -> CallKind {
	match call {
		RuntimeCall::System(call) => system(call),
		RuntimeCall::Timestamp(call) => timestamp(call),
		RuntimeCall::Grandpa(call) => grandpa(call),
		RuntimeCall::AuraEquivocation(call) => aura_equivocation(call),
		RuntimeCall::Balances(call) => balances(call),
		RuntimeCall::ValidatorSet(call) => validator_set(call),
		RuntimeCall::Session(call) => session(call),
		RuntimeCall::Sudo(_) => CallKind::Privileged,
		RuntimeCall::Parameters(call) => parameters(call),
		RuntimeCall::Council(call) => collective(call),
		RuntimeCall::TechnicalCommittee(call) => collective(call),
		RuntimeCall::CouncilMembership(call) => membership(call),
		RuntimeCall::TechnicalMembership(call) => membership(call),
		RuntimeCall::ComplianceOfficers(call) => membership(call),
		RuntimeCall::Preimage(call) => preimage(call),
		RuntimeCall::Scheduler(call) => scheduler(call),
		RuntimeCall::Whitelist(call) => whitelist(call),
		RuntimeCall::TxPause(call) => tx_pause(call),
		RuntimeCall::Utility(call) => utility(call),
		RuntimeCall::Multisig(call) => multisig(call),
		RuntimeCall::Proxy(call) => proxy(call),
		RuntimeCall::Assets(call) => assets(call),
		RuntimeCall::Nfts(call) => nfts(call),
		RuntimeCall::Tokenization(call) => tokenization(call),
		RuntimeCall::Compliance(call) => compliance(call),
		RuntimeCall::Htlc(call) => htlc(call),
		RuntimeCall::BridgeGrandpa(call) => bridge_grandpa(call),
		RuntimeCall::Bridge(call) => bridge(call),
		RuntimeCall::PaymentChannels(call) => payment_channels(call),
		RuntimeCall::Settlement(call) => settlement(call),
	}
}

fn system(call: &frame_system::Call<Runtime>) -> CallKind {
	use frame_system::Call::*;
	match call {
		remark { .. } | remark_with_event { .. } => CallKind::Neutral,
		// Anyone may apply an upgrade governance authorized.
		apply_authorized_upgrade { .. } => CallKind::Neutral,
		set_heap_pages { .. }
		| set_code { .. }
		| set_code_without_checks { .. }
		| set_storage { .. }
		| kill_storage { .. }
		| kill_prefix { .. }
		| authorize_upgrade { .. }
		| authorize_upgrade_without_checks { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn timestamp(call: &pallet_timestamp::Call<Runtime>) -> CallKind {
	use pallet_timestamp::Call::*;
	match call {
		// An inherent: no signed origin may send it.
		set { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn grandpa(call: &pallet_grandpa::Call<Runtime>) -> CallKind {
	use pallet_grandpa::Call::*;
	match call {
		report_equivocation { .. } | report_equivocation_unsigned { .. } => CallKind::Neutral,
		note_stalled { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn aura_equivocation(call: &pallet_aura_equivocation::Call<Runtime>) -> CallKind {
	use pallet_aura_equivocation::Call::*;
	match call {
		report_equivocation { .. } => CallKind::Neutral,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn validator_set(call: &pallet_validator_set::Call<Runtime>) -> CallKind {
	use pallet_validator_set::Call::*;
	match call {
		add_validator { .. } | remove_validator { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn session(call: &pallet_session::Call<Runtime>) -> CallKind {
	use pallet_session::Call::*;
	match call {
		// The signer's own keys, and the deposit for them.
		set_keys { .. } | purge_keys { .. } => CallKind::Neutral,
		__Ignore(..) => CallKind::Privileged,
	}
}

/// A council or technical committee motion speaks for the member institution, with the
/// body's power: through a proxy only for `Any`.
fn collective<I: 'static>(call: &pallet_collective::Call<Runtime, I>) -> CallKind
where
	Runtime: pallet_collective::Config<I>,
{
	use pallet_collective::Call::*;
	match call {
		// Returns a deposit to whoever paid it, once its motion is over.
		release_proposal_cost { .. } => CallKind::Neutral,
		set_members { .. }
		| execute { .. }
		| propose { .. }
		| vote { .. }
		| disapprove_proposal { .. }
		| close { .. }
		| kill { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn membership<I: 'static>(call: &pallet_membership::Call<Runtime, I>) -> CallKind
where
	Runtime: pallet_membership::Config<I>,
{
	use pallet_membership::Call::*;
	match call {
		// `change_key` hands the signer's seat to another account.
		add_member { .. }
		| remove_member { .. }
		| swap_member { .. }
		| reset_members { .. }
		| change_key { .. }
		| set_prime { .. }
		| clear_prime { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn preimage(call: &pallet_preimage::Call<Runtime>) -> CallKind {
	use pallet_preimage::Call::*;
	match call {
		// Storing bytes for the signer's deposit, taking them back, or refreshing old deposits.
		note_preimage { .. } | unnote_preimage { .. } | ensure_updated { .. } => CallKind::Neutral,
		request_preimage { .. } | unrequest_preimage { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn scheduler(call: &pallet_scheduler::Call<Runtime>) -> CallKind {
	use pallet_scheduler::Call::*;
	match call {
		schedule { .. }
		| cancel { .. }
		| schedule_named { .. }
		| cancel_named { .. }
		| schedule_after { .. }
		| schedule_named_after { .. }
		| set_retry { .. }
		| set_retry_named { .. }
		| cancel_retry { .. }
		| cancel_retry_named { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn whitelist(call: &pallet_whitelist::Call<Runtime>) -> CallKind {
	use pallet_whitelist::Call::*;
	match call {
		// Anyone may remove an expired deferral.
		remove_deferred_dispatch { .. } => CallKind::Neutral,
		whitelist_call { .. }
		| remove_whitelisted_call { .. }
		| dispatch_whitelisted_call { .. }
		| dispatch_whitelisted_call_with_preimage { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn tx_pause(call: &pallet_tx_pause::Call<Runtime>) -> CallKind {
	use pallet_tx_pause::Call::*;
	match call {
		pause { .. } | unpause { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn balances(call: &pallet_balances::Call<Runtime>) -> CallKind {
	use pallet_balances::Call::*;
	match call {
		transfer_allow_death { .. } | transfer_keep_alive { .. } | transfer_all { .. } => {
			CallKind::MovesValue
		}
		// Destroys the signer's own TPW.
		burn { .. } => CallKind::MovesValue,
		upgrade_accounts { .. } => CallKind::Neutral,
		force_transfer { .. }
		| force_unreserve { .. }
		| force_set_balance { .. }
		| force_adjust_total_issuance { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn parameters(call: &pallet_parameters::Call<Runtime>) -> CallKind {
	use pallet_parameters::Call::*;
	match call {
		set_parameter { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn utility(call: &pallet_utility::Call<Runtime>) -> CallKind {
	use pallet_utility::Call::*;
	match call {
		// Inner calls keep the caller's origin and with it the proxy filter; `as_derivative`
		// keeps the filter on the derived account too.
		batch { .. }
		| batch_all { .. }
		| force_batch { .. }
		| if_else { .. }
		| as_derivative { .. } => CallKind::Wrapper,
		dispatch_as { .. } | with_weight { .. } | dispatch_as_fallible { .. } => {
			CallKind::Privileged
		}
		__Ignore(..) => CallKind::Privileged,
	}
}

fn multisig(call: &pallet_multisig::Call<Runtime>) -> CallKind {
	use pallet_multisig::Call::*;
	match call {
		// The call runs as the joint account with a fresh origin: the proxy's filter does not
		// reach it, so approving one is as good as making any transfer from that account.
		as_multi_threshold_1 { .. } | as_multi { .. } | approve_as_multi { .. } => {
			CallKind::MovesValue
		}
		// Both only return the signer's own deposit.
		cancel_as_multi { .. } | poke_deposit { .. } => CallKind::Neutral,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn proxy(call: &pallet_proxy::Call<Runtime>) -> CallKind {
	use pallet_proxy::Call::*;
	match call {
		// The call runs as another account under that account's proxy type, not this one.
		proxy { .. } | proxy_announced { .. } => CallKind::MovesValue,
		add_proxy { .. }
		| remove_proxy { .. }
		| remove_proxies { .. }
		| create_pure { .. }
		| kill_pure { .. }
		| announce { .. }
		| remove_announcement { .. }
		| poke_deposit { .. } => CallKind::ProxyManagement,
		reject_announcement { .. } => CallKind::RejectsAnnouncement,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn assets(call: &pallet_assets::Call<Runtime>) -> CallKind {
	use pallet_assets::Call::*;
	match call {
		transfer { .. } |
		transfer_keep_alive { .. } |
		transfer_all { .. } |
		transfer_approved { .. } |
		approve_transfer { .. } |
		force_transfer { .. } |
		// Hands the asset, its roles and its deposit to another account.
		transfer_ownership { .. } |
		set_team { .. } => CallKind::MovesValue,
		// With `allow_burn` it destroys the signer's balance.
		refund { .. } => CallKind::MovesValue,
		create { .. } |
		start_destroy { .. } |
		destroy_accounts { .. } |
		destroy_approvals { .. } |
		finish_destroy { .. } |
		mint { .. } |
		burn { .. } |
		freeze { .. } |
		thaw { .. } |
		freeze_asset { .. } |
		thaw_asset { .. } |
		block { .. } |
		set_metadata { .. } |
		clear_metadata { .. } |
		set_min_balance { .. } |
		touch_other { .. } |
		refund_other { .. } |
		set_reserves { .. } => CallKind::AssetAdministration,
		// Takes a right away, or holds a deposit for the signer's own account.
		cancel_approval { .. } | touch { .. } => CallKind::Neutral,
		force_create { .. } |
		force_set_metadata { .. } |
		force_clear_metadata { .. } |
		force_asset_status { .. } |
		force_cancel_approval { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn nfts(call: &pallet_nfts::Call<Runtime>) -> CallKind {
	use pallet_nfts::Call::*;
	match call {
		transfer { .. }
		| approve_transfer { .. }
		| set_price { .. }
		| buy_item { .. }
		| pay_tips { .. }
		| create_swap { .. }
		| claim_swap { .. }
		| mint_pre_signed { .. }
		| transfer_ownership { .. }
		| set_accept_ownership { .. }
		| set_team { .. } => CallKind::MovesValue,
		create { .. }
		| destroy { .. }
		| mint { .. }
		| force_mint { .. }
		| burn { .. }
		| lock_item_transfer { .. }
		| unlock_item_transfer { .. }
		| lock_collection { .. }
		| lock_item_properties { .. }
		| set_attribute { .. }
		| clear_attribute { .. }
		| approve_item_attributes { .. }
		| cancel_item_attributes_approval { .. }
		| set_metadata { .. }
		| clear_metadata { .. }
		| set_collection_metadata { .. }
		| clear_collection_metadata { .. }
		| set_collection_max_supply { .. }
		| update_mint_settings { .. }
		| set_attributes_pre_signed { .. } => CallKind::AssetAdministration,
		redeposit { .. }
		| cancel_approval { .. }
		| clear_all_transfer_approvals { .. }
		| cancel_swap { .. } => CallKind::Neutral,
		force_create { .. }
		| force_collection_owner { .. }
		| force_collection_config { .. }
		| force_set_attribute { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn tokenization(call: &pallet_tokenization::Call<Runtime>) -> CallKind {
	use pallet_tokenization::Call::*;
	match call {
		transfer { .. } | transfer_with_travel_rule { .. } => CallKind::PaysToken,
		transfer_nft { .. } |
		force_transfer { .. } |
		force_transfer_nft { .. } |
		redeem { .. } |
		tender { .. } |
		create_distribution { .. } |
		open_buyback { .. } |
		// A controller can claw back, a minter can mint: granting a role grants those.
		grant_role { .. } => CallKind::MovesValue,
		create_token { .. } |
		set_document { .. } |
		revoke_role { .. } |
		mint { .. } |
		burn { .. } |
		set_allowlisted { .. } |
		add_lockup { .. } |
		release_lockups { .. } |
		freeze_account { .. } |
		thaw_account { .. } |
		pause { .. } |
		unpause { .. } |
		attest_reserves { .. } |
		confirm_redemption { .. } |
		close_distribution { .. } |
		close_buyback { .. } |
		mint_nft { .. } |
		burn_nft { .. } |
		// Only takes powers away from the token's own roles.
		renounce_power { .. } |
		// Only a token with no unit left: nothing anyone owns moves.
		start_destroy { .. } => CallKind::AssetAdministration,
		// Anyone may prune and clean up (deposits return to whoever paid them); a claim pays
		// the holder who signs it.
		prune_lockups { .. } |
		purge_distribution_records { .. } |
		destroy_accounts { .. } |
		finish_destroy { .. } |
		claim_distribution { .. } => CallKind::Neutral,
		register_template { .. } |
		update_template { .. } |
		retire_template { .. } |
		set_reserve_attestor { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn compliance(call: &pallet_compliance::Call<Runtime>) -> CallKind {
	use pallet_compliance::Call::*;
	match call {
		// A token's own rules and review decisions: its admin's and controller's.
		set_token_rules { .. }
		| clear_token_rules { .. }
		| approve_case { .. }
		| reject_case { .. } => CallKind::AssetAdministration,
		// Attestations by KYC providers and risk oracles, and the signer's own disclosures (and
		// clean-up of void ones: the deposit returns to their holder).
		attest_claim { .. }
		| revoke_claim { .. }
		| disclose_attribute { .. }
		| remove_attribute { .. }
		| purge_velocity { .. }
		| set_risk_score { .. } => CallKind::Neutral,
		add_trusted_issuer { .. }
		| remove_trusted_issuer { .. }
		| register_rule_set { .. }
		| update_rule_set { .. }
		| set_blocklisted { .. }
		| set_risk_oracle { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn htlc(call: &pallet_htlc::Call<Runtime>) -> CallKind {
	use pallet_htlc::Call::*;
	match call {
		lock { .. } => CallKind::MovesValue,
		// Anyone may call them; the funds go to the recipient or back to the initiator.
		claim { .. } | refund { .. } => CallKind::Neutral,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn settlement(call: &pallet_settlement::Call<Runtime>) -> CallKind {
	use pallet_settlement::Call::*;
	match call {
		// Proposing transfers (and holding a deposit for them), committing the signer's units
		// to an instruction, a scheme's float and collateral, a cleared payment, deposits for a
		// venue or a pre-approval, and credit granted to another member.
		create_instruction { .. }
		| affirm { .. }
		| open_scheme { .. }
		| post_collateral { .. }
		| pay { .. }
		| create_venue { .. }
		| preapprove_venue { .. }
		| set_credit_limit { .. } => CallKind::MovesValue,
		// Back out, or settle what the parties affirmed: units go where the instruction says or
		// back to the signer; a preimage anyone may reveal; collateral and payouts back to the
		// signer; a cycle closed.
		withdraw_affirmation { .. }
		| reject { .. }
		| reveal_preimage { .. }
		| execute { .. }
		| release_expired { .. }
		| withdraw_collateral { .. }
		| close_cycle { .. }
		| claim_payout { .. }
		| withdraw_venue_preapproval { .. } => CallKind::Neutral,
		// The operator's desk: members, caps and the scheme's end; a venue's desk: its policy
		// and its end.
		add_member { .. }
		| set_net_debit_cap { .. }
		| reinstate_member { .. }
		| remove_member { .. }
		| dissolve_scheme { .. }
		| set_venue_policy { .. }
		| remove_venue { .. } => CallKind::AssetAdministration,
		create_scheme { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn bridge_grandpa(call: &pallet_bridge_grandpa::Call<Runtime>) -> CallKind {
	use pallet_bridge_grandpa::Call::*;
	match call {
		// Relaying finality proofs: anyone.
		submit_finality_proof { .. } | submit_finality_proof_ex { .. } => CallKind::Neutral,
		initialize { .. }
		| set_owner { .. }
		| set_operating_mode { .. }
		| force_set_pallet_state { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn bridge(call: &pallet_bridge::Call<Runtime>) -> CallKind {
	use pallet_bridge::Call::*;
	match call {
		// A message speaks for the signer on the other chain.
		transfer { .. } | send_message { .. } => CallKind::MovesValue,
		// Relaying proofs and retrying a credit: anyone; funds go where the message says.
		deliver_messages { .. } | confirm_delivery { .. } | retry_transfer { .. } => {
			CallKind::Neutral
		}
		set_bridged_chain { .. }
		| open_lane { .. }
		| list_asset { .. }
		| register_wrapped { .. }
		| set_rate_limit { .. }
		| set_paused { .. } => CallKind::Privileged,
		__Ignore(..) => CallKind::Privileged,
	}
}

fn payment_channels(call: &pallet_payment_channels::Call<Runtime>) -> CallKind {
	use pallet_payment_channels::Call::*;
	match call {
		// Deposits, and a unilateral close on a state of the signer's choosing.
		open { .. } | top_up { .. } | close { .. } => CallKind::MovesValue,
		// Anyone may submit them: both parties' signatures, a newer co-signed state, a
		// preimage or an elapsed period decide where the funds go.
		cooperative_close { .. }
		| challenge { .. }
		| resolve_conditional { .. }
		| settle { .. } => CallKind::Neutral,
		__Ignore(..) => CallKind::Privileged,
	}
}
