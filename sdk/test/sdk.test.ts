// The SDK against a real `--dev` node: every flow it offers, with its refusals. One node for the
// whole suite; each file below registers the tests of one flow.
import { before, after } from 'node:test';
import { startDevChain, stopDevChain, type DevChain } from './dev-chain.ts';
import { rpcTests } from './rpc.ts';
import { resultTests } from './results.ts';
import { tokenTests } from './tokens.ts';
import { channelTests } from './channels.ts';
import { swapTests } from './swaps.ts';
import { bridgeTests } from './bridge.ts';
import { linkTests } from './links.ts';
import { referenceTests } from './reference.ts';
import { exampleTests } from './examples.ts';
import { papiTests } from './papi.ts';

let chain: DevChain | undefined;
const get = (): DevChain => {
  if (!chain) throw new Error('the dev chain did not start');
  return chain;
};
before(async () => {
  chain = await startDevChain();
});
after(() => stopDevChain(chain));

rpcTests(get);
resultTests(get);
tokenTests(get);
channelTests(get);
swapTests(get);
bridgeTests(get);
linkTests(get);
referenceTests(get);
exampleTests(get);
papiTests(get);
