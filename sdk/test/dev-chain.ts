// The SDK's tests run against one real `--dev` node (started with the end-to-end suites' launcher,
// tests/src/lib/node.ts), through the SDK alone.
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { RunningNode, freePort } from '../../tests/src/lib/node.ts';
import { Tpwallet, eventData, type TxResult } from '../src/index.ts';

export const UNIT = 10n ** 12n;
/** Every issuer role (admin, minter, freezer, controller). */
export const ALL_ROLES = 15;

export interface DevChain {
  node: RunningNode;
  sdk: Tpwallet;
  /** The well-known development accounts (DEV-ONLY keys). */
  acc: Record<'alice' | 'bob' | 'charlie' | 'dave' | 'eve' | 'ferdie', KeyringPair>;
  /** Dispatches `call` as root through the dev chain's sudo key (Alice's; a council motion elsewhere). */
  root(call: SubmittableExtrinsic<'promise'>): Promise<TxResult>;
  /** Registers a token template through governance (root) with every issuer role; returns its id. */
  registerTemplate(terms: {
    class: 'Stablecoin' | 'SecurityToken' | 'UtilityToken';
    decimals: number;
    policy: 'Open' | 'Allowlisted';
  }): Promise<number>;
  /** Resolves once the best block is at least `n`. */
  bestAtLeast(n: number, timeoutMs?: number): Promise<void>;
}

export async function startDevChain(): Promise<DevChain> {
  const node = await RunningNode.start({ name: 'sdk-dev-node', args: ['--dev', '--tmp'], prometheusPort: await freePort() });
  // Most submissions wait for their block only (the tests chain them); the finalized path is a test of its own.
  const sdk = await Tpwallet.connect(node.wsUrl, { until: 'inBlock' });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const acc = Object.fromEntries(
    ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie'].map((n) => [n, keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`)]),
  ) as DevChain['acc'];
  const root = async (call: SubmittableExtrinsic<'promise'>) => {
    const result = await sdk.submitOk(sdk.api.tx.sudo.sudo(call), acc.alice);
    eventData(result, 'sudo', 'Sudid');
    return result;
  };
  return {
    node,
    sdk,
    acc,
    root,
    registerTemplate: async (terms) => {
      const spec = { ...terms, maxCap: null, defaultLockup: null, issuerRoles: ALL_ROLES };
      const result = await root(sdk.api.tx.tokenization.registerTemplate(spec));
      return eventData(result, 'tokenization', 'TemplateRegistered').template.toNumber();
    },
    bestAtLeast: async (n, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      while ((await sdk.api.rpc.chain.getHeader()).number.toNumber() < n) {
        if (Date.now() > deadline) throw new Error(`block ${n} not reached in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
  };
}

export async function stopDevChain(chain: DevChain | undefined): Promise<void> {
  await chain?.sdk.disconnect();
  await chain?.node.stop();
}

/** Asserts `promise` rejects with an error of class `type` whose `code` is `code`. */
export async function rejectsWith(promise: Promise<unknown>, type: new (...args: any[]) => Error, code?: string) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof type)) throw new Error(`expected ${type.name}, got ${(e as Error).name}: ${(e as Error).message}`);
    if (code !== undefined && (e as any).code !== code) throw new Error(`expected ${code}, got ${(e as any).code}`);
    return e as any;
  }
  throw new Error(`expected ${type.name}${code ? ` (${code})` : ''}, but it succeeded`);
}
