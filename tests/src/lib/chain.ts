// polkadot.js helpers: connecting, submitting and waiting, polling the chain.
import '@polkadot/api-augment';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord, DispatchError } from '@polkadot/types/interfaces';
import { cryptoWaitReady } from '@polkadot/util-crypto';

export async function connect(url: string): Promise<ApiPromise> {
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true, throwOnConnect: true });
  await api.isReady;
  return api;
}

/** The well-known development accounts (DEV-ONLY keys). */
export async function devAccounts() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const names = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
  return Object.fromEntries(names.map((n) => [n.toLowerCase(), keyring.addFromUri(`//${n}`)])) as Record<
    Lowercase<(typeof names)[number]>,
    KeyringPair
  >;
}

export interface TxOutcome {
  blockHash: string;
  events: EventRecord[];
  /** `section.name` of the dispatch error, if the call failed. */
  error?: string;
}

/** Signs and submits `tx`, resolving once it is in a block (or finalized, if asked). */
export function send(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  until: 'inBlock' | 'finalized' = 'inBlock',
): Promise<TxOutcome> {
  return new Promise((resolve, reject) => {
    let unsub: (() => void) | undefined;
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        reject(new Error(`transaction ${status.type}`));
        return;
      }
      const done = until === 'inBlock' ? status.isInBlock : status.isFinalized;
      if (!done) return;
      unsub?.();
      const blockHash = (until === 'inBlock' ? status.asInBlock : status.asFinalized).toHex();
      resolve({ blockHash, events, error: dispatchError ? describe(api, dispatchError) : undefined });
    })
      .then((u) => {
        unsub = u;
      })
      .catch(reject);
  });
}

export function describe(api: ApiPromise, err: DispatchError): string {
  if (err.isModule) {
    const meta = api.registry.findMetaError(err.asModule);
    return `${meta.section}.${meta.name}`;
  }
  if (err.isToken) return `Token.${err.asToken.type}`;
  return err.type;
}

/** Polls `probe` until it returns true or `timeoutMs` passes. */
export async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function finalizedNumber(api: ApiPromise): Promise<number> {
  const head = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(head)).number.toNumber();
}

export async function bestNumber(api: ApiPromise): Promise<number> {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

export async function freeBalance(api: ApiPromise, address: string): Promise<bigint> {
  const account = await api.query.system.account(address);
  return account.data.free.toBigInt();
}

/** Submits `tx` and asserts it succeeded; returns the outcome. */
export async function submitOk(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
): Promise<TxOutcome> {
  const out = await send(api, tx, signer);
  if (out.error !== undefined) {
    throw new Error(`${tx.method.section}.${tx.method.method} failed: ${out.error}`);
  }
  return out;
}

/** Submits `tx` and asserts it failed with `error` (`section.Name`). */
export async function submitFails(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  error: string,
): Promise<void> {
  const out = await send(api, tx, signer);
  if (out.error !== error) {
    throw new Error(`${tx.method.section}.${tx.method.method}: expected ${error}, got ${out.error ?? 'success'}`);
  }
}

/** The data of the first event `section.name` in `out` (fails if there is none). */
export function eventData(out: TxOutcome, section: string, name: string): any {
  const found = out.events.find(({ event }) => event.section === section && event.method === name);
  if (!found) {
    const seen = out.events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
    throw new Error(`no event ${section}.${name} among ${seen}`);
  }
  return found.event.data;
}

/**
 * The events of the block that applied a runtime upgrade. The old runtime built it, but its state
 * holds the new code, so polkadot.js would decode them with the new metadata (`api.at(block)`) and
 * fail: they are decoded with the metadata in force at its parent, as the tools do.
 */
export async function upgradeBlockEvents(api: ApiPromise, blockHash: string): Promise<EventRecord[]> {
  const header = await api.rpc.chain.getHeader(blockHash);
  const old = await api.at(header.parentHash);
  const raw = (await api.rpc.state.getStorage(api.query.system.events.key(), blockHash)) as any;
  return [...(old.registry.createType('Vec<FrameSystemEventRecord>', raw.unwrap()) as any)];
}

export async function specVersion(api: ApiPromise): Promise<number> {
  return (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
}
