// End-to-end: a local multi-validator network. Blocks are produced and finalized; with one
// validator stopped, finality continues; restarted, it catches up.
//
// GRANDPA finalizes with more than 2/3 of the voters, so n validators tolerate f = (n-1)/3
// failures: the 3-validator `local` testnet tolerates none. This test therefore runs the `local`
// spec with a fourth validator (Dave) added to its genesis, the smallest set that survives one
// validator going down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring, type ApiPromise } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { RunningNode, runNode, TMP_DIR } from './lib/node.ts';
import { connect, finalizedNumber, bestNumber, waitUntil } from './lib/chain.ts';

const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'] as const;
const nodes: RunningNode[] = [];
const apis: ApiPromise[] = [];
let specPath: string;

before(async () => {
  await cryptoWaitReady();
  mkdirSync(TMP_DIR, { recursive: true });
  const dir = mkdtempSync(join(TMP_DIR, 'net-'));

  const res = runNode(['build-spec', '--chain', 'local', '--disable-default-bootnode']);
  assert.equal(res.status, 0, res.stderr);
  const spec = JSON.parse(res.stdout);
  const patch = spec.genesis.runtimeGenesis.patch;
  assert.equal(patch.aura.authorities.length, 3, 'the local testnet has three validators');
  patch.aura.authorities.push(new Keyring({ type: 'sr25519' }).addFromUri('//Dave').address);
  patch.grandpa.authorities.push([new Keyring({ type: 'ed25519' }).addFromUri('//Dave').address, 1]);
  specPath = join(dir, 'local-4.json');
  writeFileSync(specPath, JSON.stringify(spec));

  let bootnode: string | undefined;
  for (const [i, name] of VALIDATORS.entries()) {
    // A fixed network identity per validator (test-only keys), kept across the restart below.
    const nodeKey = (i + 1).toString(16).padStart(64, '0');
    const args = ['--chain', specPath, `--${name}`, '--base-path', join(dir, name), '--node-key', nodeKey];
    if (bootnode) args.push('--bootnodes', bootnode);
    const node = await RunningNode.start({ name: `net-${name}`, args });
    const api = await connect(node.wsUrl);
    if (!bootnode) {
      const peerId = (await api.rpc.system.localPeerId()).toString();
      bootnode = `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${peerId}`;
    }
    nodes.push(node);
    apis.push(api);
  }
});

after(async () => {
  await Promise.all(apis.map((a) => a.disconnect().catch(() => {})));
  await Promise.all(nodes.map((n) => n.stop()));
});

test('validators peer, produce blocks and finalize them', async () => {
  await waitUntil('every node to see 3 peers', 60_000, async () => {
    const health = await Promise.all(apis.map((a) => a.rpc.system.health()));
    return health.every((h) => h.peers.toNumber() >= VALIDATORS.length - 1);
  });
  await waitUntil('finalized height >= 3 on every node', 90_000, async () =>
    (await Promise.all(apis.map(finalizedNumber))).every((n) => n >= 3),
  );
  // Blocks come from more than one author: the Aura slot in each header names its author.
  const api = apis[0];
  const authorities = (await api.query.aura.authorities()).toJSON() as string[];
  const authors = new Set<string>();
  const best = await bestNumber(api);
  for (let n = 1; n <= best; n++) {
    const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(n));
    for (const log of header.digest.logs) {
      if (log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura') {
        const slot = api.createType('u64', log.asPreRuntime[1]).toBigInt();
        authors.add(authorities[Number(slot % BigInt(authorities.length))]);
      }
    }
  }
  assert.ok(authors.size >= 2, `blocks by ${authors.size} validator(s)`);
});

test('with one validator stopped finality continues, and it catches up when restarted', async () => {
  const [alice] = apis;
  const dave = nodes[3];
  await apis[3].disconnect();
  await dave.stop();

  const finalizedAtStop = await finalizedNumber(alice);
  await waitUntil('3 more finalized blocks without Dave', 90_000, async () =>
    (await finalizedNumber(alice)) >= finalizedAtStop + 3,
  );
  const othersBest = await bestNumber(alice);

  await dave.launch();
  const daveApi = await connect(dave.wsUrl);
  apis[3] = daveApi;
  await waitUntil(`Dave to import block #${othersBest}`, 90_000, async () => (await bestNumber(daveApi)) >= othersBest);
  await waitUntil('Dave to follow finality', 60_000, async () =>
    (await finalizedNumber(daveApi)) >= finalizedAtStop + 3,
  );
  // Dave's chain is the others' chain.
  const n = finalizedAtStop + 2;
  assert.equal(
    (await daveApi.rpc.chain.getBlockHash(n)).toHex(),
    (await alice.rpc.chain.getBlockHash(n)).toHex(),
  );
});
