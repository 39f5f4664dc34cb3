// tpw-load (bench/), the throughput benchmark's load generator, in a short run against a dev
// node: it must count what the chain really settled. A smoke of the tool, not a speed test:
// nothing here asserts a rate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring } from '@polkadot/api';
import type { ApiPromise } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { LOAD_BIN, RunningNode, TMP_DIR, freePort } from './lib/node.ts';
import { connect, devAccounts } from './lib/chain.ts';

const ACCOUNTS = 150;

let node: RunningNode;
let api: ApiPromise;

before(async () => {
  assert.ok(existsSync(LOAD_BIN), `tpw-load not found at ${LOAD_BIN}: run scripts/build.sh`);
  node = await RunningNode.start({ name: 'load-dev', args: ['--dev', '--tmp'], prometheusPort: await freePort() });
  api = await connect(node.wsUrl);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

interface Report {
  sent: number;
  refused: Record<string, number>;
  included: number;
  finalized: number;
  lost: number;
  stps: number;
  ceiling: { per_block_by_weight: number; per_block_by_length: number; tx_ref_time: number; tx_length: number };
  nodes: { pid: number; cpu_cores: number; peak_rss_mib: number }[];
  failed: number;
  failures: Record<string, number>;
  blocks: [number, number, number, number][];
}

function runLoad(seed: string, workload: string, accounts: number, seconds: number, extra: string[] = []): Report {
  const json = join(mkdtempSync(join(TMP_DIR, 'load-')), 'report.json');
  const res = spawnSync(
    LOAD_BIN,
    [
      '--url', node.wsUrl, '--workload', workload, '--accounts', String(accounts),
      '--duration', String(seconds), '--seed', seed, '--node-pid', String(node.pid), '--json', json,
      // A smoke run: a few hundred in flight, well inside the node's default pool.
      '--window', '600',
      ...extra,
    ],
    { encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(res.status, 0, `tpw-load failed:\n${res.stdout}\n${res.stderr}`);
  return JSON.parse(readFileSync(json, 'utf8'));
}

test('native transfers: every transaction counted is on the finalized chain, signed by a load account', async () => {
  const seed = '//tpw-load-smoke';
  const report = runLoad(seed, 'native', ACCOUNTS, 20);
  assert.ok(report.sent >= ACCOUNTS, `sent ${report.sent}`);
  assert.deepEqual(report.refused, {});
  assert.equal(report.lost, 0);
  assert.equal(report.failed, 0);
  assert.equal(report.finalized, report.sent);
  assert.equal(report.blocks.reduce((n, [, ours]) => n + ours, 0), report.finalized);
  assert.ok(report.stps > 0);
  assert.equal(report.nodes.length, 1);
  assert.ok(report.nodes[0].peak_rss_mib > 10 && report.nodes[0].cpu_cores > 0);

  // The same accounts, derived independently (`<seed>//<i>`).
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const ours = new Set(Array.from({ length: ACCOUNTS }, (_, i) => keyring.addFromUri(`${seed}//${i}`).address));
  const finalized = await api.rpc.chain.getFinalizedHead();
  const at = await api.at(finalized);
  // Fresh accounts: their nonces add up to the transactions the chain finalized from them.
  const nonces = await at.query.system.account.multi([...ours]);
  assert.equal(nonces.reduce((n, info) => n + info.nonce.toNumber(), 0), report.finalized);

  // Per block, as the chain has it.
  for (const [number, count, all] of report.blocks) {
    const hash = await api.rpc.chain.getBlockHash(number);
    const { block } = await api.rpc.chain.getBlock(hash);
    assert.equal(block.extrinsics.length, all, `extrinsics in block ${number}`);
    const fromLoad = block.extrinsics.filter(
      (x) => x.isSigned && ours.has(x.signer.toString()) && x.method.section === 'balances' && x.method.method === 'transferKeepAlive',
    );
    assert.equal(fromLoad.length, count, `load transfers in block ${number}`);
  }
});

test("the ceiling it reports is the runtime's own: block limits over the weight of one transfer", async () => {
  const report = runLoad('//tpw-load-ceiling', 'native', 20, 3);
  const { alice, bob } = await devAccounts();
  const weights = api.consts.system.blockWeights;
  const normal = weights.perClass.normal;
  const tx = api.tx.balances.transferKeepAlive(bob.address, 1_000_000_000n);
  await tx.signAsync(alice, { nonce: (await api.rpc.system.accountNextIndex(alice.address)).toNumber() });
  // `TransactionPaymentApi_query_info(uxt, len)`: the weight, the class and the fee.
  // As hex: polkadot.js reads a Uint8Array given as `Bytes` as length-prefixed.
  const args = u8aToHex(u8aConcat(tx.toU8a(), api.createType('u32', tx.encodedLength).toU8a()));
  const raw = await api.rpc.state.call('TransactionPaymentApi_query_info', args);
  const [weight] = api.createType('(SpWeightsWeightV2Weight, FrameSupportDispatchDispatchClass, u128)', raw) as any;
  const txRefTime = normal.baseExtrinsic.refTime.toBigInt() + weight.refTime.toBigInt();
  assert.equal(BigInt(report.ceiling.tx_ref_time), txRefTime);
  const budget = normal.maxTotal.unwrap().refTime.toBigInt() - weights.baseBlock.refTime.toBigInt();
  assert.equal(BigInt(report.ceiling.per_block_by_weight), budget / txRefTime);
  const normalLength = api.consts.system.blockLength.max.normal.toNumber();
  // Same call, same size: only the signer's address bytes differ, not their length.
  assert.equal(report.ceiling.per_block_by_length, Math.floor(normalLength / report.ceiling.tx_length));
  assert.equal(report.lost, 0);
});

test('asset transfers: the set-up creates the asset and funds every account, and the load is counted', () => {
  const report = runLoad('//tpw-load-assets', 'assets', 60, 8);
  assert.deepEqual(report.refused, {});
  assert.equal(report.lost, 0);
  assert.ok(report.finalized >= 60);
  assert.equal(report.blocks.reduce((n, [, ours]) => n + ours, 0), report.finalized);
});

test('regulated-token transfers: the set-up regulates the token and attests every sender, and every transfer passes the rules', async () => {
  const seed = '//tpw-load-regulated';
  const report = runLoad(seed, 'regulated-token', 40, 8);
  assert.deepEqual(report.refused, {});
  assert.equal(report.lost, 0);
  assert.ok(report.finalized >= 40, `finalized ${report.finalized}`);
  assert.equal(report.blocks.reduce((n, [, ours]) => n + ours, 0), report.finalized);

  // The token (77_778 by default) is regulated, and each sender holds a KYC claim and units.
  const at = await api.at(await api.rpc.chain.getFinalizedHead());
  const rules = (await at.query.compliance.tokenCompliance(77_778)) as any;
  assert.ok(rules.isSome, 'the token has compliance rules');
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const senders = Array.from({ length: 40 }, (_, i) => keyring.addFromUri(`${seed}//${i}`).address);
  const standings = (await at.query.compliance.standings.multi(senders)) as any[];
  assert.ok(standings.every((s) => s.unwrap().claim.isSome), 'every sender has a claim');
  // Every load transfer passed the rules and settled (a `Transferred` event each); none was held.
  let checked = 0;
  for (const [number, count] of report.blocks) {
    if (count === 0) continue;
    const events = (await (await api.at(await api.rpc.chain.getBlockHash(number))).query.system.events()) as any[];
    const transfers = events.filter((e) => e.event.section === 'tokenization' && e.event.method === 'Transferred');
    assert.equal(transfers.length, count, `tokenization transfers in block ${number}`);
    assert.equal(events.filter((e) => e.event.section === 'compliance' && e.event.method === 'TransferHeld').length, 0);
    checked += count;
  }
  assert.equal(checked, report.finalized);
});

test('channel opens: each counted transaction opened a channel; those that could not pay are counted as failed, not as throughput', async () => {
  const before = ((await api.query.paymentChannels.nextChannelId()) as any).toNumber();
  // 1 TPW each and ten opens each: a channel holds about 0.2 TPW (storage deposit and deposit),
  // so each sender's first few open and the rest fail to dispatch (their fees are still paid).
  const report = runLoad('//tpw-load-channels', 'channel-open', 30, 20, ['--fund', '1000000000000', '--max-txs', '300']);
  assert.deepEqual(report.refused, {});
  assert.equal(report.lost, 0);
  const at = await api.at(await api.rpc.chain.getFinalizedHead());
  const after = ((await at.query.paymentChannels.nextChannelId()) as any).toNumber();
  assert.equal(report.finalized, 300);
  assert.ok(after - before >= 30, `opened ${after - before}`);
  assert.ok(report.failed > 0, 'some opens could not pay their deposits');
  assert.equal(after - before, report.finalized - report.failed);
  assert.equal(Object.values(report.failures).reduce((n, c) => n + c, 0), report.failed);
  assert.equal(report.blocks.reduce((n, [, , , failed]) => n + failed, 0), report.failed);
  // The failures, by name, are the chain's own errors.
  for (const error of Object.keys(report.failures)) assert.match(error, /^[A-Za-z]+(::|\()/, error);
});
