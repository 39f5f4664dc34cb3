// One `--dev` node per test file: started before the file's tests, stopped after them.
import { before, after } from 'node:test';
import { WsProvider, type ApiPromise } from '@polkadot/api';
import { RunningNode, freePort } from './node.ts';
import { connect, devAccounts } from './chain.ts';

export interface DevChain {
  node: RunningNode;
  /** polkadot.js, for transactions, storage and runtime calls. */
  api: ApiPromise;
  /** A raw provider, for the node's own RPC methods (`tokenization_*`, `paymentChannels_*`). */
  rpc: WsProvider;
  /** The dev accounts (DEV-ONLY keys). */
  acc: Awaited<ReturnType<typeof devAccounts>>;
}

/** Registers hooks that start a `--dev` node named `name` and hand it to `ready`. */
export function useDevChain(name: string, ready: (chain: DevChain) => void): void {
  let chain: Partial<DevChain> = {};
  before(async () => {
    const node = await RunningNode.start({ name, args: ['--dev', '--tmp'], prometheusPort: await freePort() });
    chain.node = node;
    chain.api = await connect(node.wsUrl);
    chain.rpc = new WsProvider(node.wsUrl);
    await chain.rpc.isReady;
    chain.acc = await devAccounts();
    ready(chain as DevChain);
  });
  after(async () => {
    await chain.rpc?.disconnect();
    await chain.api?.disconnect();
    await chain.node?.stop();
    chain = {};
  });
}
