//! The channel state machine, free of I/O: what each update does to a state, the checks a party
//! makes before countersigning a proposal, and the exact bytes both sign.
//!
//! An update goes: the proposer applies it to the latest co-signed state and signs the result
//! ([`Channel::propose`]); the other party re-derives the same state from the update, checks
//! it and countersigns ([`Channel::receive`]); the proposer checks the countersignature
//! ([`Channel::complete`]). Each side stores the co-signed result before it answers (see
//! `peer`), so an acknowledged state survives a crash.

use crate::{
	conditions, keys, keys::Keys, AccountId, Balance, BlockNumber, ChannelId, Condition, Direction,
	Hash32, Nonce, PayloadKind, Signature, SignedState, State,
};
use codec::{Decode, Encode};
use std::fmt;

/// Which party of the channel: A opened it, B is the counterparty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Side {
	A,
	B,
}

impl Side {
	/// The other party.
	pub fn other(self) -> Side {
		match self {
			Side::A => Side::B,
			Side::B => Side::A,
		}
	}

	/// The direction of a payment this side makes.
	pub fn pays(self) -> Direction {
		match self {
			Side::A => Direction::AToB,
			Side::B => Direction::BToA,
		}
	}

	/// The side a payment in `direction` goes to.
	pub fn payee(direction: Direction) -> Side {
		match direction {
			Direction::AToB => Side::B,
			Direction::BToA => Side::A,
		}
	}

	fn pick<T>(self, pair: &mut (T, T)) -> &mut T {
		match self {
			Side::A => &mut pair.0,
			Side::B => &mut pair.1,
		}
	}

	fn get<T: Copy>(self, pair: (T, T)) -> T {
		match self {
			Side::A => pair.0,
			Side::B => pair.1,
		}
	}
}

/// What a forwarding node must do with an incoming conditional payment: lock `amount` until
/// `expiry` in its channel `channel` under the same hash lock.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct HopInstruction {
	pub channel: ChannelId,
	pub amount: Balance,
	pub expiry: BlockNumber,
}

/// A change to the latest co-signed state, as the proposer describes it. The receiver
/// re-derives the state from it, so a proposal can only do what its update says.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Update {
	/// The proposer pays the other party `amount` outright.
	Pay { amount: Balance },
	/// The proposer locks `payment` to the other party; `forward` holds the remaining hops of a
	/// multi-hop payment (empty: the receiver is the final payee).
	AddHtlc { payment: Condition, forward: Vec<HopInstruction> },
	/// The payee reveals `preimage`: the payment under `hash_lock` moves to its balance.
	Fulfil { hash_lock: Hash32, preimage: Vec<u8> },
	/// The payment under `hash_lock` returns to its payer: offered by the payee at any time, or
	/// asked by the payer once it has expired. `at`: where a multi-hop payment stopped, the
	/// channel a forwarder could not pass it on over (`None`: it reached the payee, which
	/// refused it, or it expired). Told by the forwarders, not proven: a hint for the payer's
	/// route choice, nothing more.
	Fail { hash_lock: Hash32, at: Option<ChannelId> },
	/// `side` deposited `amount` more on chain (`top_up`): its deposit and balance grow.
	TopUp { side: Side, amount: Balance },
}

/// Why an update or a state was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
	/// The state names another channel.
	WrongChannel,
	/// The state's nonce is not the latest plus one.
	WrongNonce { expected: Nonce, got: Nonce },
	/// Balances and pending payments do not add up to the deposits.
	NotConserving,
	/// The state's deposits shrink or exceed what is deposited on chain.
	BadDeposits,
	/// A signature does not verify for its party over the exact payload.
	BadSignature,
	/// The state is not what the update produces.
	Mismatch,
	/// The payer's balance is too low.
	Insufficient,
	/// Zero amount.
	ZeroAmount,
	/// A conditional payment must go from the proposer to the other party.
	WrongDirection,
	/// A payment with this hash lock is already pending (the chain resolves each once).
	DuplicateLock,
	/// No pending payment has this hash lock.
	UnknownLock,
	/// The preimage does not hash to the lock.
	WrongPreimage,
	/// The preimage is longer than the chain accepts.
	PreimageTooLong,
	/// The expiry leaves the payee too little time to resolve on chain.
	ExpiryTooSoon,
	/// The payer cannot take a payment back before its expiry.
	NotExpired,
	/// The payment expired: the payer no longer owes it.
	Expired,
	/// The state would hold more payments than the chain can prove or resolve.
	TooManyConditions,
	/// Only the payee fulfils.
	NotPayee,
	/// An amount overflows.
	Overflow,
	/// A synced state is not newer than ours.
	StaleSync,
	/// The channel is closing: no more updates.
	Closed,
	/// A cooperative close needs a state with nothing pending.
	PendingPayments,
}

impl fmt::Display for ProtocolError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Debug::fmt(self, f)
	}
}

impl std::error::Error for ProtocolError {}

/// What the checks need beyond the channel: the chain's current block and how many blocks an
/// incoming conditional payment must stay resolvable.
#[derive(Clone, Copy, Debug)]
pub struct Context {
	pub now: BlockNumber,
	pub min_expiry_delta: BlockNumber,
}

/// The bytes both parties sign for `state`: exactly what `Pallet::state_payload` builds on
/// chain, `(tag, genesis hash, PALLET_TAG, channel id, state)` SCALE-encoded (a test checks it
/// against the pallet). Built here rather than by a runtime call so signing needs no node.
pub fn payload(kind: PayloadKind, genesis: &Hash32, state: &State) -> Vec<u8> {
	tpwallet_payment_channels_primitives::signing_payload(kind, genesis, state)
}

/// A proposed state with the proposer's signature, as sent to the other party.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Proposal {
	pub update: Update,
	pub state: State,
	pub sig: Signature,
}

/// A proposal awaiting the countersignature, with the conditions of its state.
#[derive(Clone, Debug)]
pub struct Pending {
	pub proposal: Proposal,
	pub conditions: Vec<Condition>,
}

/// One party's view of a channel: the latest co-signed state and what it needs to use it.
/// This is what the store keeps durably.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Channel {
	pub id: ChannelId,
	/// Genesis hash of the chain: part of every signed payload.
	pub genesis: Hash32,
	pub party_a: AccountId,
	pub party_b: AccountId,
	/// Which party this client is.
	pub side: Side,
	/// The latest co-signed state, or the opening state (nonce 0, never signed).
	pub state: State,
	/// Signatures (A, B) over `state`'s update payload; `None` for the opening state.
	pub sigs: Option<(Signature, Signature)>,
	/// The conditional payments committed to by `state.conditions_root`, in leaf order.
	pub conditions: Vec<Condition>,
	/// Preimages known for hash locks (ours, or revealed to us), to resolve on chain if needed.
	pub preimages: Vec<(Hash32, Vec<u8>)>,
	/// The deposits (A, B) last seen on chain: an upper bound for a state's deposits.
	pub chain_deposits: (Balance, Balance),
	/// Set once a close was signed or submitted: no update is made or accepted after it, so no
	/// newer state can undercut a cooperative close.
	pub closed: bool,
	/// Where the other party listens (`host:port`), if known.
	pub peer_addr: Option<String>,
}

impl Channel {
	/// A freshly opened channel between `party_a` and `party_b` seen by `me`, with the deposits
	/// on chain now; `None` if `me` is not a party.
	pub fn new(
		id: ChannelId,
		genesis: Hash32,
		party_a: AccountId,
		party_b: AccountId,
		me: &AccountId,
		deposits: (Balance, Balance),
	) -> Option<Self> {
		let side = if *me == party_a {
			Side::A
		} else if *me == party_b {
			Side::B
		} else {
			return None;
		};
		let state = State {
			channel: id,
			nonce: 0,
			balances: deposits,
			deposits,
			pending: (0, 0),
			conditions_root: conditions::root(&[]),
		};
		Some(Self {
			id,
			genesis,
			party_a,
			party_b,
			side,
			state,
			sigs: None,
			conditions: Vec::new(),
			preimages: Vec::new(),
			chain_deposits: deposits,
			closed: false,
			peer_addr: None,
		})
	}

	/// The opening state moved to `deposits` (the chain's, before any state was co-signed);
	/// `None` if a state was co-signed already or nothing changes.
	pub fn with_opening_deposits(&self, deposits: (Balance, Balance)) -> Option<Channel> {
		if self.sigs.is_some() || self.state.deposits == deposits {
			return None;
		}
		let mut next = self.clone();
		next.state.deposits = deposits;
		next.state.balances = deposits;
		next.chain_deposits = deposits;
		Some(next)
	}

	/// The account of `side`.
	pub fn account(&self, side: Side) -> &AccountId {
		match side {
			Side::A => &self.party_a,
			Side::B => &self.party_b,
		}
	}

	/// This client's account.
	pub fn me(&self) -> &AccountId {
		self.account(self.side)
	}

	/// The other party's account.
	pub fn peer(&self) -> &AccountId {
		self.account(self.side.other())
	}

	/// What `side` owns outright in the latest state.
	pub fn balance(&self, side: Side) -> Balance {
		side.get(self.state.balances)
	}

	/// The latest co-signed state with its signatures, for `close` and `challenge`.
	pub fn signed(&self) -> Option<SignedState> {
		let (sig_a, sig_b) = self.sigs.clone()?;
		Some(SignedState { state: self.state.clone(), sig_a, sig_b })
	}

	/// The preimage of `lock`, if known.
	pub fn preimage(&self, lock: &Hash32) -> Option<&[u8]> {
		self.preimages.iter().find(|(l, _)| l == lock).map(|(_, p)| &p[..])
	}

	/// Remembers a preimage (once per lock).
	pub fn learn_preimage(&mut self, preimage: &[u8]) {
		let lock = conditions::hash_lock(preimage);
		if self.preimage(&lock).is_none() {
			self.preimages.push((lock, preimage.to_vec()));
		}
	}

	/// The state and conditions after `update` by `proposer`, if `proposer` may make it.
	pub fn apply(
		&self,
		update: &Update,
		proposer: Side,
		ctx: &Context,
	) -> Result<(State, Vec<Condition>), ProtocolError> {
		use ProtocolError::*;
		if self.closed {
			return Err(Closed);
		}
		let mut s = self.state.clone();
		s.nonce = s.nonce.checked_add(1).ok_or(Overflow)?;
		let mut conds = self.conditions.clone();
		let payee_of = |c: &Condition| Side::payee(c.direction);
		match update {
			Update::Pay { amount } => {
				nonzero(*amount)?;
				debit(proposer.pick(&mut s.balances), *amount)?;
				credit(proposer.other().pick(&mut s.balances), *amount)?;
			}
			Update::AddHtlc { payment, .. } => {
				nonzero(payment.amount)?;
				if payment.direction != proposer.pays() {
					return Err(WrongDirection);
				}
				if conditions::find(&conds, &payment.hash_lock).is_some() {
					return Err(DuplicateLock);
				}
				if conds.len() >= conditions::max_conditions() {
					return Err(TooManyConditions);
				}
				if payment.expiry < ctx.now.saturating_add(ctx.min_expiry_delta) {
					return Err(ExpiryTooSoon);
				}
				debit(proposer.pick(&mut s.balances), payment.amount)?;
				credit(proposer.pick(&mut s.pending), payment.amount)?;
				conds.push(payment.clone());
			}
			Update::Fulfil { hash_lock, preimage } => {
				let index = conditions::find(&conds, hash_lock).ok_or(UnknownLock)?;
				let c = conds.remove(index);
				if payee_of(&c) != proposer {
					return Err(NotPayee);
				}
				if preimage.len() > conditions::max_preimage_len() {
					return Err(PreimageTooLong);
				}
				if conditions::hash_lock(preimage) != *hash_lock {
					return Err(WrongPreimage);
				}
				// Past its expiry the payee can no longer claim it on chain either.
				if ctx.now >= c.expiry {
					return Err(Expired);
				}
				debit(proposer.other().pick(&mut s.pending), c.amount)?;
				credit(proposer.pick(&mut s.balances), c.amount)?;
			}
			Update::Fail { hash_lock, .. } => {
				let index = conditions::find(&conds, hash_lock).ok_or(UnknownLock)?;
				let c = conds.remove(index);
				let payer = payee_of(&c).other();
				if proposer == payer && ctx.now < c.expiry {
					return Err(NotExpired);
				}
				debit(payer.pick(&mut s.pending), c.amount)?;
				credit(payer.pick(&mut s.balances), c.amount)?;
			}
			Update::TopUp { side, amount } => {
				nonzero(*amount)?;
				credit(side.pick(&mut s.deposits), *amount)?;
				credit(side.pick(&mut s.balances), *amount)?;
			}
		}
		s.conditions_root = conditions::root(&conds);
		self.check_structure(&s)?;
		Ok((s, conds))
	}

	/// Channel, conservation and deposit bounds of a state, whatever update made it.
	fn check_structure(&self, s: &State) -> Result<(), ProtocolError> {
		if s.channel != self.id {
			return Err(ProtocolError::WrongChannel);
		}
		if !conserves(s) {
			return Err(ProtocolError::NotConserving);
		}
		let (old, chain) = (self.state.deposits, self.chain_deposits);
		if s.deposits.0 < old.0 || s.deposits.1 < old.1 {
			return Err(ProtocolError::BadDeposits);
		}
		if s.deposits.0 > chain.0 || s.deposits.1 > chain.1 {
			return Err(ProtocolError::BadDeposits);
		}
		Ok(())
	}

	/// Proposes `update`: the next state signed by this party.
	pub fn propose(
		&self,
		keys: &Keys,
		update: Update,
		ctx: &Context,
	) -> Result<Pending, ProtocolError> {
		let (state, conditions) = self.apply(&update, self.side, ctx)?;
		let sig = keys.sign(&payload(PayloadKind::Update, &self.genesis, &state));
		Ok(Pending { proposal: Proposal { update, state, sig }, conditions })
	}

	/// Checks the other party's proposal and countersigns it: returns the channel with the new
	/// co-signed state (to store before answering) and this party's signature.
	pub fn receive(
		&self,
		keys: &Keys,
		proposal: &Proposal,
		ctx: &Context,
	) -> Result<(Channel, Signature), ProtocolError> {
		let state = &proposal.state;
		if self.closed {
			return Err(ProtocolError::Closed);
		}
		// Cheap structural checks first, each with its own error, then the signature, then
		// whether the update really yields this state.
		if state.channel != self.id {
			return Err(ProtocolError::WrongChannel);
		}
		let expected = self.state.nonce.checked_add(1).ok_or(ProtocolError::Overflow)?;
		if state.nonce != expected {
			return Err(ProtocolError::WrongNonce { expected, got: state.nonce });
		}
		self.check_structure(state)?;
		let bytes = payload(PayloadKind::Update, &self.genesis, state);
		if !keys::verify(&proposal.sig, &bytes, self.peer()) {
			return Err(ProtocolError::BadSignature);
		}
		let (derived, conds) = self.apply(&proposal.update, self.side.other(), ctx)?;
		if derived != *state {
			return Err(ProtocolError::Mismatch);
		}
		let mine = keys.sign(&bytes);
		let next = self.with_state(state.clone(), conds, mine.clone(), proposal.sig.clone());
		Ok((next.learning(&proposal.update), mine))
	}

	/// Completes this party's proposal with the other party's countersignature.
	pub fn complete(&self, pending: &Pending, sig: Signature) -> Result<Channel, ProtocolError> {
		let state = &pending.proposal.state;
		let expected = self.state.nonce.saturating_add(1);
		if state.nonce != expected {
			return Err(ProtocolError::WrongNonce { expected, got: state.nonce });
		}
		let bytes = payload(PayloadKind::Update, &self.genesis, state);
		if !keys::verify(&sig, &bytes, self.peer()) {
			return Err(ProtocolError::BadSignature);
		}
		let next = self.with_state(
			state.clone(),
			pending.conditions.clone(),
			pending.proposal.sig.clone(),
			sig,
		);
		Ok(next.learning(&pending.proposal.update))
	}

	/// Adopts a newer co-signed state from the other party (after a crash or a lost message,
	/// one side may hold a state the other never stored).
	pub fn adopt(
		&self,
		signed: &SignedState,
		conditions: Vec<Condition>,
	) -> Result<Channel, ProtocolError> {
		let state = &signed.state;
		if state.channel != self.id {
			return Err(ProtocolError::WrongChannel);
		}
		if state.nonce <= self.state.nonce {
			return Err(ProtocolError::StaleSync);
		}
		let bytes = payload(PayloadKind::Update, &self.genesis, state);
		if !keys::verify(&signed.sig_a, &bytes, &self.party_a)
			|| !keys::verify(&signed.sig_b, &bytes, &self.party_b)
		{
			return Err(ProtocolError::BadSignature);
		}
		// Both signed it, this party included; still refuse a state the chain would refuse.
		if !conserves(state) {
			return Err(ProtocolError::NotConserving);
		}
		if conditions::root(&conditions) != state.conditions_root
			|| conditions::pending(&conditions) != Some(state.pending)
		{
			return Err(ProtocolError::Mismatch);
		}
		let mut next =
			self.with_state(state.clone(), conditions, signed.sig_a.clone(), signed.sig_b.clone());
		// A party co-signed these deposits only after seeing them on chain.
		next.chain_deposits.0 = next.chain_deposits.0.max(state.deposits.0);
		next.chain_deposits.1 = next.chain_deposits.1.max(state.deposits.1);
		Ok(next)
	}

	/// This party's signature of the latest state under the close tag, for `cooperative_close`.
	/// Refused while payments are pending (the pallet refuses them too).
	pub fn sign_close(&self, keys: &Keys) -> Result<Signature, ProtocolError> {
		if self.state.pending != (0, 0) {
			return Err(ProtocolError::PendingPayments);
		}
		Ok(keys.sign(&payload(PayloadKind::Close, &self.genesis, &self.state)))
	}

	/// Whether `sig` is `side`'s close signature of the latest state.
	pub fn verify_close(&self, sig: &Signature, side: Side) -> bool {
		let bytes = payload(PayloadKind::Close, &self.genesis, &self.state);
		keys::verify(sig, &bytes, self.account(side))
	}

	/// Conditional payments this party can still claim on chain: it is the payee and knows the
	/// preimage.
	pub fn claimable(&self) -> Vec<(usize, Vec<u8>)> {
		self.conditions
			.iter()
			.enumerate()
			.filter(|(_, c)| Side::payee(c.direction) == self.side)
			.filter_map(|(i, c)| self.preimage(&c.hash_lock).map(|p| (i, p.to_vec())))
			.collect()
	}

	fn with_state(
		&self,
		state: State,
		conditions: Vec<Condition>,
		sig_mine: Signature,
		sig_peer: Signature,
	) -> Channel {
		let sigs = match self.side {
			Side::A => (sig_mine, sig_peer),
			Side::B => (sig_peer, sig_mine),
		};
		Channel { state, conditions, sigs: Some(sigs), ..self.clone() }
	}

	/// Keeps a preimage a fulfilment revealed, to pass upstream or to resolve on chain.
	fn learning(mut self, update: &Update) -> Channel {
		if let Update::Fulfil { preimage, .. } = update {
			self.learn_preimage(preimage);
		}
		self
	}
}

/// Balances and pending payments add up to the deposits, without overflow.
fn conserves(s: &State) -> bool {
	let held = s.balances.0.checked_add(s.balances.1);
	let pending = s.pending.0.checked_add(s.pending.1);
	let total = held.zip(pending).and_then(|(h, p)| h.checked_add(p));
	total.is_some() && total == s.deposits.0.checked_add(s.deposits.1)
}

fn nonzero(amount: Balance) -> Result<(), ProtocolError> {
	if amount == 0 {
		Err(ProtocolError::ZeroAmount)
	} else {
		Ok(())
	}
}

fn debit(balance: &mut Balance, amount: Balance) -> Result<(), ProtocolError> {
	*balance = balance.checked_sub(amount).ok_or(ProtocolError::Insufficient)?;
	Ok(())
}

fn credit(balance: &mut Balance, amount: Balance) -> Result<(), ProtocolError> {
	*balance = balance.checked_add(amount).ok_or(ProtocolError::Overflow)?;
	Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use polkadot_sdk::{sp_core::H256, sp_keyring::Sr25519Keyring};

	pub const GENESIS: Hash32 = [7; 32];
	pub const CTX: Context = Context { now: 10, min_expiry_delta: 5 };

	pub fn keys(k: Sr25519Keyring) -> Keys {
		Keys::from_pair(k.pair())
	}

	/// Channel 3 between Alice (A, 1000) and Bob (B, 500), seen by each.
	pub fn pair() -> (Keys, Channel, Keys, Channel) {
		let (alice, bob) = (keys(Sr25519Keyring::Alice), keys(Sr25519Keyring::Bob));
		let (a, b) = (alice.account().clone(), bob.account().clone());
		let ca = Channel::new(3, GENESIS, a.clone(), b.clone(), &a, (1000, 500)).unwrap();
		let cb = Channel::new(3, GENESIS, a, b.clone(), &b, (1000, 500)).unwrap();
		(alice, ca, bob, cb)
	}

	/// Runs one update from `from` to `to`; both end on the co-signed state.
	pub fn step(
		from_keys: &Keys,
		from: &mut Channel,
		to_keys: &Keys,
		to: &mut Channel,
		update: Update,
		ctx: &Context,
	) -> Result<(), ProtocolError> {
		let pending = from.propose(from_keys, update, ctx)?;
		let (next_to, sig) = to.receive(to_keys, &pending.proposal, ctx)?;
		let next_from = from.complete(&pending, sig)?;
		*to = next_to;
		*from = next_from;
		Ok(())
	}

	/// A proposal of `state` signed by `signer` (to forge bad ones).
	fn forged(signer: &Keys, update: Update, state: State, genesis: &Hash32) -> Proposal {
		let sig = signer.sign(&payload(PayloadKind::Update, genesis, &state));
		Proposal { update, state, sig }
	}

	#[test]
	fn payload_is_the_pallets() {
		let (_, ca, _, _) = pair();
		for kind in [PayloadKind::Update, PayloadKind::Close] {
			assert_eq!(
				tpwallet_payment_channels_primitives::signing_payload(
					kind,
					&H256(GENESIS),
					&ca.state
				),
				payload(kind, &GENESIS, &ca.state)
			);
		}
	}

	#[test]
	fn valid_payment_is_countersigned_and_verifies_as_on_chain() {
		let (alice, mut ca, bob, mut cb) = pair();
		step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 100 }, &CTX).unwrap();
		step(&bob, &mut cb, &alice, &mut ca, Update::Pay { amount: 30 }, &CTX).unwrap();
		assert_eq!(ca, Channel { side: Side::A, ..cb.clone() });
		assert_eq!(ca.state.nonce, 2);
		assert_eq!(ca.state.balances, (930, 570));
		let signed = ca.signed().unwrap();
		let bytes = payload(PayloadKind::Update, &GENESIS, &signed.state);
		assert!(keys::verify(&signed.sig_a, &bytes, &ca.party_a));
		assert!(keys::verify(&signed.sig_b, &bytes, &ca.party_b));
	}

	#[test]
	fn bad_proposals_are_rejected() {
		let (alice, ca, bob, cb) = pair();
		let charlie = keys(Sr25519Keyring::Charlie);
		let good = ca.propose(&alice, Update::Pay { amount: 100 }, &CTX).unwrap().proposal;
		let pay = good.update.clone();

		// Signed by someone else, or for another chain.
		let p = forged(&charlie, pay.clone(), good.state.clone(), &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::BadSignature);
		let p = forged(&alice, pay.clone(), good.state.clone(), &[8; 32]);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::BadSignature);
		let mut p = good.clone();
		p.state.balances = (850, 650);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::BadSignature);

		// Wrong nonce (replay of the current one, or a skip).
		for nonce in [0, 2] {
			let state = State { nonce, ..good.state.clone() };
			let p = forged(&alice, pay.clone(), state, &GENESIS);
			assert!(matches!(
				cb.receive(&bob, &p, &CTX).unwrap_err(),
				ProtocolError::WrongNonce { expected: 1, .. }
			));
		}
		// Balances that do not add up to the deposits.
		let state = State { balances: (900, 601), ..good.state.clone() };
		let p = forged(&alice, pay.clone(), state, &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::NotConserving);
		// Another channel.
		let state = State { channel: 4, ..good.state.clone() };
		let p = forged(&alice, pay.clone(), state, &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::WrongChannel);
		// Conserving, well signed, but not what the update says.
		let state = State { balances: (800, 700), ..good.state.clone() };
		let p = forged(&alice, pay.clone(), state, &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::Mismatch);
		// Deposits beyond what is on chain.
		let state = State { balances: (1100, 500), deposits: (1100, 500), ..good.state.clone() };
		let p = forged(&alice, Update::TopUp { side: Side::A, amount: 100 }, state, &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::BadDeposits);
		// Paying more than one has, or taking money: refused before anything is signed.
		let err = ca.propose(&alice, Update::Pay { amount: 1001 }, &CTX).unwrap_err();
		assert_eq!(err, ProtocolError::Insufficient);
		let p = forged(&alice, Update::Pay { amount: 0 }, good.state.clone(), &GENESIS);
		assert_eq!(cb.receive(&bob, &p, &CTX).unwrap_err(), ProtocolError::ZeroAmount);
		// The untouched proposal still goes through.
		assert!(cb.receive(&bob, &good, &CTX).is_ok());
		// A countersignature by someone else does not complete it.
		let pending = ca.propose(&alice, pay, &CTX).unwrap();
		let (_, sig) = cb.receive(&bob, &pending.proposal, &CTX).unwrap();
		let wrong = charlie.sign(&payload(PayloadKind::Update, &GENESIS, &pending.proposal.state));
		assert_eq!(ca.complete(&pending, wrong).unwrap_err(), ProtocolError::BadSignature);
		assert!(ca.complete(&pending, sig).is_ok());
	}

	fn htlc(amount: Balance, preimage: &[u8], expiry: BlockNumber, dir: Direction) -> Update {
		let payment = Condition {
			direction: dir,
			amount,
			hash_lock: conditions::hash_lock(preimage),
			expiry,
		};
		Update::AddHtlc { payment, forward: Vec::new() }
	}

	#[test]
	fn conditional_payment_fulfilled_with_the_preimage() {
		let (alice, mut ca, bob, mut cb) = pair();
		let lock = conditions::hash_lock(b"secret");
		step(&alice, &mut ca, &bob, &mut cb, htlc(50, b"secret", 100, Direction::AToB), &CTX)
			.unwrap();
		assert_eq!((ca.state.balances, ca.state.pending), ((950, 500), (50, 0)));
		assert_eq!(ca.state.conditions_root, conditions::root(&ca.conditions));
		assert_ne!(ca.state.conditions_root, [0; 32]);
		// The same lock twice, a payment from the other party, an expiry too close: refused.
		let again = htlc(5, b"secret", 100, Direction::AToB);
		assert_eq!(ca.propose(&alice, again, &CTX).unwrap_err(), ProtocolError::DuplicateLock);
		let wrong_way = htlc(5, b"other", 100, Direction::BToA);
		assert_eq!(ca.propose(&alice, wrong_way, &CTX).unwrap_err(), ProtocolError::WrongDirection);
		let soon = htlc(5, b"other", 14, Direction::AToB);
		assert_eq!(ca.propose(&alice, soon, &CTX).unwrap_err(), ProtocolError::ExpiryTooSoon);
		// Only the payee fulfils, with the right preimage.
		let bad = Update::Fulfil { hash_lock: lock, preimage: b"guess".to_vec() };
		assert_eq!(cb.propose(&bob, bad, &CTX).unwrap_err(), ProtocolError::WrongPreimage);
		let by_payer = Update::Fulfil { hash_lock: lock, preimage: b"secret".to_vec() };
		assert_eq!(ca.propose(&alice, by_payer, &CTX).unwrap_err(), ProtocolError::NotPayee);
		// A fulfilment after expiry is not owed.
		let late = Context { now: 100, ..CTX };
		let fulfil = Update::Fulfil { hash_lock: lock, preimage: b"secret".to_vec() };
		assert_eq!(cb.propose(&bob, fulfil.clone(), &late).unwrap_err(), ProtocolError::Expired);
		step(&bob, &mut cb, &alice, &mut ca, fulfil, &CTX).unwrap();
		assert_eq!((ca.state.balances, ca.state.pending), ((950, 550), (0, 0)));
		assert!(ca.conditions.is_empty());
		assert_eq!(ca.state.conditions_root, [0; 32]);
		// The payer learnt the preimage (to claim upstream in a multi-hop payment).
		assert_eq!(ca.preimage(&lock), Some(&b"secret"[..]));
	}

	#[test]
	fn conditional_payment_expires_or_is_given_back() {
		let (alice, mut ca, bob, mut cb) = pair();
		step(&alice, &mut ca, &bob, &mut cb, htlc(50, b"one", 100, Direction::AToB), &CTX).unwrap();
		step(&bob, &mut cb, &alice, &mut ca, htlc(20, b"two", 60, Direction::BToA), &CTX).unwrap();
		assert_eq!(ca.state.pending, (50, 20));
		// The payer takes it back only once expired.
		let fail = Update::Fail { hash_lock: conditions::hash_lock(b"one"), at: None };
		assert_eq!(ca.propose(&alice, fail.clone(), &CTX).unwrap_err(), ProtocolError::NotExpired);
		let expired = Context { now: 100, ..CTX };
		// The receiver checks the same rule with its own view of the chain.
		let p = ca.propose(&alice, fail.clone(), &expired).unwrap();
		assert_eq!(cb.receive(&bob, &p.proposal, &CTX).unwrap_err(), ProtocolError::NotExpired);
		step(&alice, &mut ca, &bob, &mut cb, fail, &expired).unwrap();
		assert_eq!((ca.state.balances, ca.state.pending), ((1000, 480), (0, 20)));
		// The payee gives one back at any time.
		let give_back = Update::Fail { hash_lock: conditions::hash_lock(b"two"), at: Some(4) };
		step(&alice, &mut ca, &bob, &mut cb, give_back, &CTX).unwrap();
		assert_eq!((ca.state.balances, ca.state.pending), ((1000, 500), (0, 0)));
		assert_eq!(ca.state.nonce, 4);
	}

	#[test]
	fn newer_co_signed_state_is_adopted_after_a_lost_countersignature() {
		let (alice, mut ca, bob, mut cb) = pair();
		step(&alice, &mut ca, &bob, &mut cb, htlc(50, b"x", 100, Direction::AToB), &CTX).unwrap();
		// Alice proposes, Bob countersigns and stores, Alice never gets the answer.
		let pending = ca.propose(&alice, Update::Pay { amount: 7 }, &CTX).unwrap();
		let (next_b, _) = cb.receive(&bob, &pending.proposal, &CTX).unwrap();
		cb = next_b;
		let adopted = ca.adopt(&cb.signed().unwrap(), cb.conditions.clone()).unwrap();
		assert_eq!(adopted.state, cb.state);
		assert_eq!(adopted.side, Side::A);
		// Not twice, not with a forged signature, not with other conditions.
		assert_eq!(
			adopted.adopt(&cb.signed().unwrap(), cb.conditions.clone()).unwrap_err(),
			ProtocolError::StaleSync
		);
		let mut forged = cb.signed().unwrap();
		forged.sig_a = forged.sig_b.clone();
		assert_eq!(
			ca.adopt(&forged, cb.conditions.clone()).unwrap_err(),
			ProtocolError::BadSignature
		);
		assert_eq!(
			ca.adopt(&cb.signed().unwrap(), Vec::new()).unwrap_err(),
			ProtocolError::Mismatch
		);
	}

	#[test]
	fn the_opening_state_follows_the_chain_until_a_state_is_signed() {
		let (alice, mut ca, bob, mut cb) = pair();
		let moved = ca.with_opening_deposits((1000, 800)).unwrap();
		assert_eq!((moved.state.balances, moved.chain_deposits), ((1000, 800), (1000, 800)));
		assert!(ca.with_opening_deposits((1000, 500)).is_none());
		step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 1 }, &CTX).unwrap();
		assert!(ca.with_opening_deposits((1000, 800)).is_none());
	}

	#[test]
	fn close_signatures_and_closed_channels() {
		let (alice, mut ca, bob, mut cb) = pair();
		step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 10 }, &CTX).unwrap();
		let (sa, sb) = (ca.sign_close(&alice).unwrap(), cb.sign_close(&bob).unwrap());
		assert!(ca.verify_close(&sb, Side::B) && cb.verify_close(&sa, Side::A));
		// An update signature is not a close signature.
		assert!(!ca.verify_close(&ca.sigs.clone().unwrap().1, Side::B));
		ca.closed = true;
		let err = ca.propose(&alice, Update::Pay { amount: 1 }, &CTX).unwrap_err();
		assert_eq!(err, ProtocolError::Closed);
		let p = cb.propose(&bob, Update::Pay { amount: 1 }, &CTX).unwrap();
		assert_eq!(ca.receive(&alice, &p.proposal, &CTX).unwrap_err(), ProtocolError::Closed);
	}
}
