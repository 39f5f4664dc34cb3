// Council motions through polkadot.js: propose, vote, close, and what the motion did.
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { describe, eventData, submitOk, type TxOutcome } from './chain.ts';

export interface Enacted {
  /** The block number the motion was approved and executed in. */
  block: number;
  /** The closing transaction's outcome (its events hold what the motion dispatched). */
  outcome: TxOutcome;
  /** `section.Name` of the error the proposal's dispatch ended with, if it failed. */
  error?: string;
}

/**
 * Passes `call` through the council: `members[0]` proposes it with a threshold of
 * `members.length` ayes, every member votes aye, and `members[0]` closes it (a threshold of one
 * executes at once).
 */
export async function councilEnacts(
  api: ApiPromise,
  call: SubmittableExtrinsic<'promise'>,
  members: KeyringPair[],
): Promise<Enacted> {
  const [proposer] = members;
  const length = call.method.encodedLength;
  const proposed = await submitOk(api, api.tx.council.propose(members.length, call, length), proposer);
  // A threshold of one executes at once, without a vote.
  if (members.length === 1) return enacted(api, proposed);
  const [, index, hash] = eventData(proposed, 'council', 'Proposed');
  for (const member of members) {
    await submitOk(api, api.tx.council.vote(hash, index, true), member);
  }
  const { weight } = await call.paymentInfo(proposer.address);
  return enacted(api, await submitOk(api, api.tx.council.close(hash, index, weight, length), proposer));
}

/** What the council's `Executed` event in `outcome` reports. */
async function enacted(api: ApiPromise, outcome: TxOutcome): Promise<Enacted> {
  const [, result] = eventData(outcome, 'council', 'Executed');
  const header = await api.rpc.chain.getHeader(outcome.blockHash);
  return {
    block: header.number.toNumber(),
    outcome,
    error: result.isErr ? describe(api, result.asErr) : undefined,
  };
}
