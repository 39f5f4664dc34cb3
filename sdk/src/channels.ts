// Payment channels on chain: open, top up, sign states, close cooperatively or unilaterally,
// challenge a stale close, settle. Off-chain payments are states both parties sign; the bytes
// they sign come from the runtime (`PaymentChannelsApi.state_payload`: a domain tag, the genesis
// hash and the SCALE-encoded state), so a state signed here is exactly what the chain verifies.
import type { ApiPromise } from '@polkadot/api';
import { compactStripLength } from '@polkadot/util';
import { signRaw, type Account, type RawSigner } from './account.ts';
import { eventData, submitOk, type SubmitOptions, type TxResult } from './submit.ts';
import { assetKind, assetKindOf, type AssetKind } from './units.ts';

/** A channel state: what each party (A the opener, B the counterparty) owns at `nonce`. */
export interface ChannelState {
  channel: bigint;
  /** Version: a challenge must bring a strictly higher one. */
  nonce: bigint;
  /** What A and B own outright. */
  balances: [bigint, bigint];
  /** The deposits (A, B) this state accounts for. */
  deposits: [bigint, bigint];
  /** Locked in conditional payments (A to B, B to A); zero without conditional payments. */
  pending: [bigint, bigint];
  /** Root of the conditional payments' Merkle tree; 32 zero bytes without any. */
  conditionsRoot: Uint8Array;
}

/** `Update`: a state `close` and `challenge` accept. `Close`: a final state for `cooperativeClose`. */
export type PayloadKind = 'Update' | 'Close';

export interface Signature {
  Sr25519: string;
}

export interface SignedState {
  state: ChannelState;
  sigA: Signature;
  sigB: Signature;
}

export interface ChannelInfo {
  partyA: string;
  partyB: string;
  asset: AssetKind;
  depositA: bigint;
  depositB: bigint;
  status: 'open' | 'closing';
  closer: string | null;
  nonce: bigint | null;
  closesAt: number | null;
  resolved: number | null;
}

/** A state with no conditional payments. */
export function channelState(
  channel: bigint,
  nonce: bigint,
  balances: [bigint, bigint],
  deposits: [bigint, bigint],
): ChannelState {
  return { channel, nonce, balances, deposits, pending: [0n, 0n], conditionsRoot: new Uint8Array(32) };
}

/**
 * The state after `payer` (`'A'` or `'B'`) pays `amount` off chain: the next nonce, `amount`
 * moved between the balances. Both parties sign it (`signState`) and keep the latest; the chain
 * sees it only if the channel closes on it.
 */
export function nextState(state: ChannelState, payer: 'A' | 'B', amount: bigint): ChannelState {
  if (amount <= 0n) throw new RangeError('a payment is above zero');
  const [a, b] = state.balances;
  const from = payer === 'A' ? a : b;
  if (from < amount) throw new RangeError(`${payer} has ${from} in the channel, less than ${amount}`);
  const balances: [bigint, bigint] = payer === 'A' ? [a - amount, b + amount] : [a + amount, b - amount];
  return { ...state, nonce: state.nonce + 1n, balances };
}

const encodeState = (s: ChannelState) => ({
  channel: s.channel,
  nonce: s.nonce,
  balances: s.balances,
  deposits: s.deposits,
  pending: s.pending,
  conditionsRoot: s.conditionsRoot,
});

export class Channels {
  constructor(
    private readonly api: ApiPromise,
    private readonly defaults: SubmitOptions,
  ) {}

  /**
   * Opens a channel with `counterparty` in `asset` (`'TPW'` or an asset id), depositing `deposit`
   * (held on the opener's account; at least the asset's minimum balance). The opener also holds a
   * storage deposit in TPW until the channel settles.
   */
  async open(opener: Account, counterparty: string, asset: 'TPW' | number, deposit: bigint, options: SubmitOptions = {}) {
    const tx = this.api.tx.paymentChannels.open(counterparty, assetKind(asset), deposit);
    const result = await submitOk(this.api, tx, opener, { ...this.defaults, ...options });
    const opened = eventData(result, 'paymentChannels', 'ChannelOpened');
    return {
      channel: opened.channel.toBigInt() as bigint,
      storageDeposit: opened.storageDeposit.toBigInt() as bigint,
      result,
    };
  }

  /** Adds `amount` to the signer's deposit in `channel`. */
  async topUp(party: Account, channel: bigint, amount: bigint, options: SubmitOptions = {}): Promise<TxResult> {
    return submitOk(this.api, this.api.tx.paymentChannels.topUp(channel, amount), party, { ...this.defaults, ...options });
  }

  /** The exact bytes the runtime verifies a signature of `state` over. */
  async payload(kind: PayloadKind, state: ChannelState): Promise<Uint8Array> {
    const result = await this.api.call.paymentChannelsApi.statePayload(kind, encodeState(state));
    // The runtime API answers a SCALE `Vec<u8>`; polkadot.js hands back its encoding, length
    // prefix included: the payload is what follows the prefix.
    const [, payload] = compactStripLength((result as any).toU8a(true));
    return payload;
  }

  /** `signer`'s signature over `state`'s payload of `kind`. */
  async sign(kind: PayloadKind, state: ChannelState, signer: RawSigner): Promise<Signature> {
    return signRaw(signer, await this.payload(kind, state));
  }

  /** `state` signed by both parties for `close` and `challenge`. */
  async signState(state: ChannelState, partyA: RawSigner, partyB: RawSigner): Promise<SignedState> {
    const payload = await this.payload('Update', state);
    return { state, sigA: await signRaw(partyA, payload), sigB: await signRaw(partyB, payload) };
  }

  /**
   * Settles `channel` at once at `state`, which both parties signed as `Close`; anyone may submit.
   * Returns the payouts.
   */
  async cooperativeClose(
    submitter: Account,
    state: ChannelState,
    sigA: Signature,
    sigB: Signature,
    options: SubmitOptions = {},
  ) {
    const tx = this.api.tx.paymentChannels.cooperativeClose(state.channel, encodeState(state), sigA, sigB);
    const result = await submitOk(this.api, tx, submitter, { ...this.defaults, ...options });
    return { ...this.payouts(result), result };
  }

  /**
   * Starts a unilateral close of `channel` at `latest` (the latest co-signed state, or `null` if
   * none was ever signed: each party gets its deposit back). Returns the block from which it can
   * be settled.
   */
  async close(party: Account, channel: bigint, latest: SignedState | null, options: SubmitOptions = {}) {
    const signed = latest && { state: encodeState(latest.state), sigA: latest.sigA, sigB: latest.sigB };
    const tx = this.api.tx.paymentChannels.close(channel, signed);
    const result = await submitOk(this.api, tx, party, { ...this.defaults, ...options });
    return { closesAt: eventData(result, 'paymentChannels', 'ChannelClosing').closesAt.toNumber() as number, result };
  }

  /** Replaces a closing channel's state with a newer co-signed one; anyone may (a watchtower). */
  async challenge(submitter: Account, newer: SignedState, options: SubmitOptions = {}) {
    const signed = { state: encodeState(newer.state), sigA: newer.sigA, sigB: newer.sigB };
    const tx = this.api.tx.paymentChannels.challenge(newer.state.channel, signed);
    const result = await submitOk(this.api, tx, submitter, { ...this.defaults, ...options });
    return { closesAt: eventData(result, 'paymentChannels', 'ClosingChallenged').closesAt.toNumber() as number, result };
  }

  /** Pays out a closing channel once its challenge period is over; anyone may submit. */
  async settle(submitter: Account, channel: bigint, options: SubmitOptions = {}) {
    const result = await submitOk(this.api, this.api.tx.paymentChannels.settle(channel), submitter, {
      ...this.defaults,
      ...options,
    });
    return { ...this.payouts(result), result };
  }

  /** The channel's on-chain state; `null` if unknown or settled. */
  async info(channel: bigint): Promise<ChannelInfo | null> {
    const answer = await this.api.rpc.paymentChannels.channel(channel);
    if (answer.isNone) return null;
    const c = answer.unwrap();
    return {
      partyA: c.partyA.toString(),
      partyB: c.partyB.toString(),
      asset: assetKindOf(c.asset),
      depositA: BigInt(c.depositA.toString()),
      depositB: BigInt(c.depositB.toString()),
      status: c.status.toString() as ChannelInfo['status'],
      closer: c.closer.isSome ? c.closer.unwrap().toString() : null,
      nonce: c.nonce.isSome ? c.nonce.unwrap().toBigInt() : null,
      closesAt: c.closesAt.isSome ? c.closesAt.unwrap().toNumber() : null,
      resolved: c.resolved.isSome ? c.resolved.unwrap().toNumber() : null,
    };
  }

  private payouts(result: TxResult) {
    const settled = eventData(result, 'paymentChannels', 'ChannelSettled');
    return { payoutA: settled.payoutA.toBigInt() as bigint, payoutB: settled.payoutB.toBigInt() as bigint };
  }
}
