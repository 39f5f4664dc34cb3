// Submitting a transaction and reading its outcome correctly.
//
// A call dispatched inside another (`utility.batch`, `proxy.proxy`, `multisig.asMulti`,
// `utility.dispatchAs`, `sudo.sudo`) can fail while the transaction itself succeeds: the outer
// call reports `system.ExtrinsicSuccess` and the inner refusal is only in an event
// (`utility.BatchInterrupted`, `proxy.ProxyExecuted { result: Err }`, ...). A wallet that looks
// only at the dispatch error believes the transfer happened. `TxResult.ok` is false if the
// transaction or any call nested in it failed, and `failures` says which and why.
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces';
import type { AnyTuple, CallBase } from '@polkadot/types/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import { isPair, type Account } from './account.ts';

/** When a submission counts as done: included in a best block, or finalized (a reorg cannot undo it). */
export type Until = 'inBlock' | 'finalized';

/** A runtime error by name, with the runtime's own explanation of it. */
export interface ChainError {
  /** `section.Name`, for example `tokenization.NotAllowlisted` or `Token.FundsUnavailable`. */
  code: string;
  section: string;
  name: string;
  /** The error's documentation from the metadata (what it means, often what to do). */
  docs: string;
}

/** A failed call, and where in the transaction it was. */
export interface Failure extends ChainError {
  /** `transaction`, or the wrapper whose inner call failed: `batch item 2`, `forceBatch item`
   * (in a batch of batches, where the index is not known), `proxied call`, `multisig call`,
   * `dispatchAs call`, `sudo call`, `motion` (a council or technical committee motion). */
  at: string;
}

export interface TxResult {
  /** True only if the transaction and every call nested in it succeeded. */
  ok: boolean;
  /** Every failure: the transaction's own first, then in the order of the events (a
   * `forceBatch` can have several). */
  failures: Failure[];
  blockHash: string;
  blockNumber: number;
  txHash: string;
  /** This transaction's events, in order. */
  events: EventRecord[];
  /** What the transaction paid (`transactionPayment.TransactionFeePaid`), in planck. */
  fee: bigint;
}

/** The transaction never made it into a block: refused by the pool, dropped, or not signed. */
export class TxRejected extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'TxRejected';
  }
}

/** The transaction was included but it, or a call nested in it, failed. */
export class TxFailed extends Error {
  constructor(readonly result: TxResult) {
    const first = result.failures[0];
    super(`${first.code} (${first.at}): ${first.docs || 'no description'}`);
    this.name = 'TxFailed';
  }

  /** The first failure's `section.Name`. */
  get code(): string {
    return this.result.failures[0].code;
  }
}

export interface SubmitOptions {
  /** Default `finalized`: anything acting on the outcome should not see it undone by a reorg. */
  until?: Until;
}

/** `section.Name` and docs of a dispatch error. */
export function explain(api: ApiPromise, err: DispatchError): ChainError {
  if (err.isModule) {
    const meta = api.registry.findMetaError(err.asModule);
    return { code: `${meta.section}.${meta.name}`, section: meta.section, name: meta.name, docs: meta.docs.join(' ').trim() };
  }
  const inner = err.isToken
    ? err.asToken.type
    : err.isArithmetic
      ? err.asArithmetic.type
      : err.isTransactional
        ? err.asTransactional.type
        : undefined;
  const section = inner === undefined ? 'DispatchError' : err.type;
  const name = inner ?? err.type;
  return { code: `${section}.${name}`, section, name, docs: GENERIC_DOCS[name] ?? '' };
}

/** Explanations of the errors that are not a pallet's (their docs are not in the metadata). */
const GENERIC_DOCS: Record<string, string> = {
  BadOrigin: 'The call needs another origin (for example a governance body, or the signer must be someone else).',
  CannotLookup: 'An account index or address could not be resolved.',
  FundsUnavailable: 'The account does not have this much of the asset that it can spend.',
  OnlyProvider: 'The account would be reaped while other things still depend on it.',
  BelowMinimum: 'The resulting balance would be below the asset\'s minimum balance.',
  CannotCreate: 'The receiving account cannot be created.',
  UnknownAsset: 'No asset has this id.',
  Frozen: 'The funds are frozen.',
  Unsupported: 'The operation is not supported for this asset.',
  CannotCreateHold: 'Too many holds on the account.',
  NotExpendable: 'The withdrawal would kill an account that must stay alive.',
  Blocked: 'The account is blocked from this asset.',
  Underflow: 'An amount fell below zero.',
  Overflow: 'An amount went above its maximum.',
  DivisionByZero: 'Division by zero.',
  Exhausted: 'The block has no resources left for this call; retry later.',
  Corruption: 'The chain state is inconsistent; report this to the operators.',
  Unavailable: 'A resource the call needs is unavailable.',
  TooManyConsumers: 'Too many things depend on this account.',
  NoProviders: 'The account does not exist (it holds no native balance).',
  ConsumerRemaining: 'The account cannot be removed while other things depend on it.',
  RootNotAllowed: 'Root may not make this call.',
  LimitReached: 'Too many nested transactional layers.',
};

type AnyCall = CallBase<AnyTuple>;

const isCall = (value: unknown): value is AnyCall =>
  typeof value === 'object' && value !== null && 'section' in value && 'method' in value && 'args' in value;

/** Whether `call` is, or carries at any depth, a utility batch (whose item events would mix with
 * an outer batch's). */
function carriesBatch(call: AnyCall): boolean {
  if (call.section === 'utility' && /^(batch|batchAll|forceBatch)$/.test(call.method)) return true;
  return call.args.some((arg) =>
    Array.isArray(arg) ? arg.some((item) => isCall(item) && carriesBatch(item)) : isCall(arg) && carriesBatch(arg),
  );
}

/**
 * The failures recorded in `events` (one transaction's), the transaction's own first, then in
 * the order of the events. `dispatchError`, if any, is the transaction's own; `call` is the
 * transaction's call, which makes the items of a `utility.forceBatch` exact.
 */
export function failuresOf(
  api: ApiPromise,
  events: EventRecord[],
  dispatchError?: DispatchError,
  call?: AnyCall,
): Failure[] {
  const failures: Failure[] = [];
  if (dispatchError) failures.push({ ...explain(api, dispatchError), at: 'transaction' });
  // The item index of a forceBatch failure is its count of item events, exact only when the
  // transaction is one forceBatch of calls that are not batches themselves.
  const exactItems =
    call?.section === 'utility' &&
    call.method === 'forceBatch' &&
    !(call.args[0] as unknown as AnyCall[]).some((item) => carriesBatch(item));
  let forceBatchItem = 0;
  for (const { event } of events) {
    const key = `${event.section}.${event.method}`;
    const data = event.data as any;
    const resultFailure = (result: any, at: string) => {
      if (result?.isErr) failures.push({ ...explain(api, result.asErr), at });
    };
    switch (key) {
      case 'utility.BatchInterrupted':
        failures.push({ ...explain(api, data.error), at: `batch item ${data.index.toNumber()}` });
        break;
      case 'utility.ItemCompleted':
        forceBatchItem += 1;
        break;
      case 'utility.ItemFailed':
        failures.push({ ...explain(api, data.error), at: exactItems ? `batch item ${forceBatchItem}` : 'forceBatch item' });
        forceBatchItem += 1;
        break;
      case 'utility.DispatchedAs':
        resultFailure(data.result, 'dispatchAs call');
        break;
      case 'proxy.ProxyExecuted':
        resultFailure(data.result, 'proxied call');
        break;
      case 'multisig.MultisigExecuted':
        resultFailure(data.result, 'multisig call');
        break;
      case 'sudo.Sudid':
      case 'sudo.SudoAsDone':
        resultFailure(data.sudoResult, 'sudo call');
        break;
      case 'council.Executed':
      case 'council.MemberExecuted':
      case 'technicalCommittee.Executed':
      case 'technicalCommittee.MemberExecuted':
        resultFailure(data.result, 'motion');
        break;
    }
  }
  return failures;
}

/** The fee a transaction's events say it paid. */
function feeOf(events: EventRecord[]): bigint {
  const paid = events.find(({ event }) => event.section === 'transactionPayment' && event.method === 'TransactionFeePaid');
  return paid ? (paid.event.data as any).actualFee.toBigInt() : 0n;
}

/**
 * Signs `tx` with `account` and submits it; resolves once it is in a block or finalized (default)
 * with what happened, failures included. Rejects with `TxRejected` if it never gets into a block.
 */
export function submit(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  account: Account,
  options: SubmitOptions = {},
): Promise<TxResult> {
  const until = options.until ?? 'finalized';
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      unsub?.();
      fn();
    };
    const onStatus = (result: ISubmittableResult) => {
      const { status } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(() => reject(new TxRejected(`transaction ${status.type}`, status.type)));
        return;
      }
      if (status.isFinalityTimeout) {
        finish(() => reject(new TxRejected('the block holding the transaction was not finalized in time', status.type)));
        return;
      }
      const done = until === 'inBlock' ? status.isInBlock || status.isFinalized : status.isFinalized;
      if (!done) return;
      const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
      finish(() => {
        const failures = failuresOf(api, result.events, result.dispatchError, tx.method);
        api.rpc.chain
          .getHeader(blockHash)
          .then((header) =>
            resolve({
              ok: failures.length === 0,
              failures,
              blockHash,
              blockNumber: header.number.toNumber(),
              txHash: result.txHash.toHex(),
              events: result.events,
              fee: feeOf(result.events),
            }),
          )
          .catch(reject);
      });
    };
    const sent = isPair(account)
      ? tx.signAndSend(account, onStatus)
      : tx.signAndSend(account.address, { signer: account.signer }, onStatus);
    sent
      .then((u) => {
        unsub = u;
        if (settled) u();
      })
      .catch((e: unknown) => finish(() => reject(new TxRejected(`not submitted: ${(e as Error).message ?? e}`, 'Rejected'))));
  });
}

/** As `submit`, but a failure anywhere in the transaction is thrown as `TxFailed`. */
export async function submitOk(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  account: Account,
  options: SubmitOptions = {},
): Promise<TxResult> {
  const result = await submit(api, tx, account, options);
  if (!result.ok) throw new TxFailed(result);
  return result;
}

/** The data of the first event `section.method` in `result`, or undefined. */
export function findEvent(result: TxResult, section: string, method: string): any | undefined {
  return result.events.find(({ event }) => event.section === section && event.method === method)?.event.data;
}

/** The data of the first event `section.method` in `result`; an error naming the events seen if there is none. */
export function eventData(result: TxResult, section: string, method: string): any {
  const data = findEvent(result, section, method);
  if (data === undefined) {
    const seen = result.events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
    throw new Error(`no ${section}.${method} event among: ${seen}`);
  }
  return data;
}
