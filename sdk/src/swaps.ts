// Hash-time-locked swaps (`htlc`): funds locked for a recipient under a hash, claimed with the
// preimage before expiry or refunded after it. The same preimage unlocks the other leg of a
// cross-chain swap (Bitcoin, Lightning and most chains use SHA-256; BLAKE2-256 is offered too).
import type { ApiPromise } from '@polkadot/api';
import { isHex, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a, randomAsU8a, sha256AsU8a } from '@polkadot/util-crypto';
import type { Account } from './account.ts';
import { eventData, submitOk, type SubmitOptions } from './submit.ts';
import { assetKind } from './units.ts';

export type HashAlgorithm = 'Sha256' | 'Blake2_256';

/** The hash lock of `preimage` under `algorithm`, as 0x hex. */
export function hashLock(preimage: Uint8Array | string, algorithm: HashAlgorithm = 'Sha256'): string {
  const bytes = u8aToU8a(preimage);
  return u8aToHex(algorithm === 'Sha256' ? sha256AsU8a(bytes) : blake2AsU8a(bytes, 256));
}

/** A fresh 32-byte secret and its hash lock: the swap's initiator keeps the preimage until it claims. */
export function newSecret(algorithm: HashAlgorithm = 'Sha256'): { preimage: string; hashLock: string } {
  const preimage = u8aToHex(randomAsU8a(32));
  return { preimage, hashLock: hashLock(preimage, algorithm) };
}

export interface SwapLock {
  recipient: string;
  asset: 'TPW' | number;
  amount: bigint;
  /** 32 bytes, 0x hex. */
  hashLock: string;
  algorithm?: HashAlgorithm;
  /** Blocks until the lock expires (3 s each); between the chain's minimum and maximum. */
  duration: number;
}

export interface Swap {
  sender: string;
  recipient: string;
  amount: bigint;
  hashLock: string;
  expiresAt: number;
}

export class Swaps {
  constructor(
    private readonly api: ApiPromise,
    private readonly defaults: SubmitOptions,
  ) {}

  /** Locks funds for `lock.recipient`; returns the new swap's id (from the `htlc.Locked` event) and its expiry. */
  async lock(sender: Account, lock: SwapLock, options: SubmitOptions = {}) {
    if (!isHex(lock.hashLock, 256)) throw new RangeError('hashLock must be 32 bytes of 0x-prefixed hex');
    const tx = this.api.tx.htlc.lock(
      lock.recipient,
      assetKind(lock.asset),
      lock.amount,
      lock.hashLock,
      lock.algorithm ?? 'Sha256',
      lock.duration,
    );
    const result = await submitOk(this.api, tx, sender, { ...this.defaults, ...options });
    const locked = eventData(result, 'htlc', 'Locked');
    return {
      swap: locked.swapId.toBigInt() as bigint,
      expiresAt: locked.expiresAt.toNumber() as number,
      /** The storage deposit held from the sender (TPW) until the swap is claimed or refunded. */
      deposit: locked.deposit.toBigInt() as bigint,
      result,
    };
  }

  /** Reveals `preimage` and pays the swap's recipient; anyone may submit. */
  async claim(submitter: Account, swap: bigint, preimage: string | Uint8Array, options: SubmitOptions = {}) {
    const tx = this.api.tx.htlc.claim(swap, u8aToHex(u8aToU8a(preimage)));
    const result = await submitOk(this.api, tx, submitter, { ...this.defaults, ...options });
    return { amount: eventData(result, 'htlc', 'Claimed').amount.toBigInt() as bigint, result };
  }

  /** Returns an expired swap's funds to its sender; anyone may submit. */
  async refund(submitter: Account, swap: bigint, options: SubmitOptions = {}) {
    const result = await submitOk(this.api, this.api.tx.htlc.refund(swap), submitter, { ...this.defaults, ...options });
    return { amount: eventData(result, 'htlc', 'Refunded').amount.toBigInt() as bigint, result };
  }

  /** An open swap; `null` once claimed or refunded (or if it never existed). */
  async info(swap: bigint): Promise<Swap | null> {
    const stored = (await this.api.query.htlc.swaps(swap)) as any;
    if (stored.isNone) return null;
    const s = stored.unwrap();
    return {
      sender: s.sender.toString(),
      recipient: s.recipient.toString(),
      amount: s.amount.toBigInt(),
      hashLock: s.hashLock.toHex(),
      expiresAt: s.expiresAt.toNumber(),
    };
  }
}
