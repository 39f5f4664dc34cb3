// End-to-end tests against a real `--dev` node, through polkadot.js.
import { before, after } from 'node:test';
import type { ApiPromise } from '@polkadot/api';
import { RunningNode, freePort } from './lib/node.ts';
import { connect, devAccounts } from './lib/chain.ts';
import { devChainChecks } from './lib/dev-chain-checks.ts';

let node: RunningNode;
let api: ApiPromise;
let acc: Awaited<ReturnType<typeof devAccounts>>;

before(async () => {
  node = await RunningNode.start({ name: 'dev', args: ['--dev', '--tmp'], prometheusPort: await freePort() });
  api = await connect(node.wsUrl);
  acc = await devAccounts();
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

devChainChecks(() => ({ node, api, acc }));
