// Validator faults on a local network of four validators (the `local` spec of this tree's
// runtime with Dave added: it tolerates one validator down), traffic on loopback only: a
// validator frozen (SIGSTOP) under load, two of four frozen, a validator restarted on an empty
// database, and hostile input to a node's JSON-RPC. Each test is bounded in time and leaves the
// network running for the next.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { LOAD_BIN, RunningNode, TMP_DIR, runNode } from './lib/node.ts';
import { connect, finalizedNumber, bestNumber, waitUntil, devAccounts } from './lib/chain.ts';
import { startNetwork, stopNetwork, withDaveAsValidator, type Network } from './lib/network.ts';

const VALIDATORS = ['alice', 'bob', 'charlie', 'dave'] as const;
let net: Network;
let dir: string;

before(async () => {
  mkdirSync(TMP_DIR, { recursive: true });
  dir = mkdtempSync(join(TMP_DIR, 'faults-'));
  const built = runNode(['build-spec', '--chain', 'local', '--disable-default-bootnode']);
  assert.equal(built.status, 0, built.stderr);
  const specPath = await withDaveAsValidator(JSON.parse(built.stdout), join(dir, 'local-4.json'));
  net = await startNetwork(specPath, VALIDATORS, dir, 'faults', ['--pool-limit', '20000']);
  await waitUntil('the first finalized block', 90_000, async () => (await finalizedNumber(net.apis[0])) >= 1);
});

after(async () => {
  for (const node of net?.nodes ?? []) if (node.pid) try { process.kill(node.pid, 'SIGCONT'); } catch { /* gone */ }
  await stopNetwork(net);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const signal = (node: RunningNode, sig: NodeJS.Signals) => process.kill(node.pid!, sig);

/** tpw-load against `urls` for `seconds`, in the background; resolves to its JSON report. */
function load(urls: string[], seconds: number, seed: string): Promise<any> {
  const json = join(mkdtempSync(join(TMP_DIR, 'faults-load-')), 'report.json');
  const args = ['--workload', 'native', '--accounts', '200', '--window', '400', '--duration', String(seconds), '--seed', seed, '--json', json];
  for (const url of urls) args.push('--url', url);
  const child = spawn(LOAD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(readFileSync(json, 'utf8'))) : reject(new Error(`tpw-load exited with ${code}:\n${stderr}`)),
    );
  });
}

test('a validator frozen under load: blocks and finality go on, it catches up, and no accepted transaction is lost', async () => {
  const [alice, bob] = net.apis;
  const charlie = net.nodes[2];
  const report = load([net.nodes[0].wsUrl, net.nodes[1].wsUrl], 40, '//faults-frozen');
  await sleep(12_000);
  signal(charlie, 'SIGSTOP');
  const [best0, final0] = [await bestNumber(alice), await finalizedNumber(alice)];
  try {
    // Three of four voters finalize without Charlie.
    await waitUntil('3 more finalized blocks with Charlie frozen', 90_000, async () => (await finalizedNumber(alice)) >= final0 + 3);
    // And blocks go on (finality may have been trailing: those 3 can be blocks made before).
    await waitUntil('3 more blocks with Charlie frozen', 90_000, async () => (await bestNumber(bob)) >= best0 + 3);
  } finally {
    signal(charlie, 'SIGCONT');
  }
  const target = await finalizedNumber(alice);
  await waitUntil('Charlie to follow finality again', 90_000, async () => (await finalizedNumber(net.apis[2])) >= target);
  const r = await report;
  assert.deepEqual(r.refused, {});
  assert.equal(r.lost, 0, 'every transaction the nodes accepted is in a finalized block');
  assert.equal(r.finalized, r.sent);
  console.log(`[measure] load with a validator frozen: ${r.finalized} transactions finalized, none lost; finality lag at most ${r.max_finality_lag} blocks`);
});

test('two of four validators frozen: finality stalls while blocks go on, and resumes when one returns', async () => {
  const [alice] = net.apis;
  const [charlie, dave] = [net.nodes[2], net.nodes[3]];
  signal(charlie, 'SIGSTOP');
  signal(dave, 'SIGSTOP');
  try {
    // A round already under way may still complete.
    await sleep(6_000);
    const final0 = await finalizedNumber(alice);
    const best0 = await bestNumber(alice);
    // Alice and Bob still author in their slots (half of them).
    await waitUntil('3 more blocks with two validators frozen', 90_000, async () => (await bestNumber(alice)) >= best0 + 3);
    assert.ok((await finalizedNumber(alice)) <= final0 + 1, 'two of four voters cannot finalize');
    const stalledAt = await bestNumber(alice);
    const lag = stalledAt - (await finalizedNumber(alice));
    const resumed = Date.now();
    signal(charlie, 'SIGCONT');
    await waitUntil('finality to reach the blocks made while stalled', 120_000, async () => (await finalizedNumber(alice)) >= stalledAt);
    console.log(`[measure] two of four validators frozen: finality ${lag} blocks behind; caught up ${((Date.now() - resumed) / 1000).toFixed(1)} s after one returned`);
  } finally {
    signal(charlie, 'SIGCONT');
    signal(dave, 'SIGCONT');
  }
  const target = await finalizedNumber(alice);
  await waitUntil('Dave to follow finality again', 120_000, async () => (await finalizedNumber(net.apis[3])) >= target);
});

test('a validator restarted on an empty database resyncs and follows finality', async () => {
  const [alice] = net.apis;
  const dave = net.nodes[3];
  await net.apis[3].disconnect();
  await dave.stop();
  rmSync(join(dir, 'dave', 'chains', 'tpwallet_local_testnet', 'db'), { recursive: true, force: true });
  const [best0, final0] = [await bestNumber(alice), await finalizedNumber(alice)];
  await dave.launch();
  const daveApi = await connect(dave.wsUrl);
  net.apis[3] = daveApi;
  await waitUntil(`Dave to import block #${best0} again`, 120_000, async () => (await bestNumber(daveApi)) >= best0);
  await waitUntil('Dave to follow finality', 90_000, async () => (await finalizedNumber(daveApi)) >= final0 + 1);
  // The same chain as the others.
  const n = final0;
  assert.equal((await daveApi.rpc.chain.getBlockHash(n)).toHex(), (await alice.rpc.chain.getBlockHash(n)).toHex());
});

/** POSTs `body` to the node's JSON-RPC over HTTP: the status and the parsed answer, if any. */
async function post(node: RunningNode, body: string): Promise<{ status: number; json?: any }> {
  const res = await fetch(`http://127.0.0.1:${node.rpcPort}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status };
  }
}

async function stillUp(node: RunningNode, api: ApiPromise) {
  const health = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }));
  assert.equal(health.status, 200);
  assert.ok(health.json.result, 'system_health answers');
  assert.ok((await bestNumber(api)) > 0);
}

test('malformed, oversized and deeply nested requests and extrinsics get errors, and the node stays up', async () => {
  const [node] = net.nodes;
  const [api] = net.apis;
  const best0 = await bestNumber(api);

  const truncated = await post(node, '{"jsonrpc":"2.0","id":1,"method":');
  assert.equal(truncated.json?.error?.code, -32700, 'a parse error');
  await stillUp(node, api);

  const depth = 50_000;
  const nested = await post(node, `{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  assert.ok(nested.json?.error, `deeply nested JSON is refused (HTTP ${nested.status}: ${JSON.stringify(nested.json)?.slice(0, 200)})`);
  await stillUp(node, api);

  // Larger than the node's request limit (15 MiB): refused, or the connection closed on it.
  const huge = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: ['x'.repeat(16 * 1024 * 1024)] })).catch(
    (e) => ({ status: 0, json: undefined, closed: String(e?.cause ?? e) }),
  );
  assert.ok(huge.status === 413 || huge.json?.error || 'closed' in huge, `an oversized request is refused (HTTP ${huge.status})`);
  await stillUp(node, api);

  const garbage = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: ['0x0badc0de'] }));
  assert.ok(garbage.json?.error, 'undecodable extrinsic bytes are refused');

  // A call nested 300 levels deep in `utility.batch` (beyond the runtime's decoding depth), as
  // an unsigned v4 extrinsic.
  const [utility, batch] = api.tx.utility.batch.callIndex;
  let call: Uint8Array = api.tx.system.remark('0x').method.toU8a();
  for (let i = 0; i < 300; i++) call = u8aConcat(new Uint8Array([utility, batch, 4]), call);
  const body = u8aConcat(new Uint8Array([4]), call);
  const deep = api.createType('Compact<u32>', body.length).toU8a();
  const deepResult = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: [u8aToHex(u8aConcat(deep, body))] }));
  assert.ok(deepResult.json?.error, 'a call nested beyond the decoding depth is refused');
  await stillUp(node, api);

  // A signed remark larger than a block.
  const { alice } = await devAccounts();
  // As hex: polkadot.js reads a Uint8Array given as `Bytes` as length-prefixed.
  const oversized = await api.tx.system.remark(u8aToHex(new Uint8Array(6 * 1024 * 1024))).signAsync(alice);
  assert.ok(oversized.encodedLength > 6 * 1024 * 1024);
  const big = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: [oversized.toHex()] }));
  assert.ok(big.json?.error, `an extrinsic larger than a block is refused (HTTP ${big.status}: ${JSON.stringify(big.json)?.slice(0, 300)})`);
  assert.match(JSON.stringify(big.json.error), /exhaust|resources|limit/i);

  await stillUp(node, api);
  await waitUntil('blocks to go on', 60_000, async () => (await bestNumber(api)) >= best0 + 2);
});
