// A runtime upgrade, exercised: a development chain started from the last released runtime
// (spec 100, its raw chain spec kept in tests/upgrade/) is upgraded through sudo to the runtime
// this tree builds. Checked: the new version and its storage migrations (payment-channels v2:
// channels keep only their deposit's amount; tokenization v2: tokens record their status and
// pending redemptions, and a migrated token is then destroyed), blocks and finality going on, `tpw` and
// `tpw-relayer` working the same before and after (they read versions and metadata from the
// chain), and every development-chain check of dev-chain.test.ts passing on the upgraded chain.
// With TRY_UPGRADE_BIN set (scripts/try-runtime.sh), the runtime's try-runtime checks also run
// against a snapshot of the chain taken just before the upgrade.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { ApiPromise } from '@polkadot/api';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { encodeAddress, xxhashAsU8a } from '@polkadot/util-crypto';
import { RunningNode, NODE_BIN, RUNTIME_WASM, TMP_DIR, freePort } from './lib/node.ts';
import { connect, devAccounts, send, bestNumber, finalizedNumber, waitUntil, upgradeBlockEvents, specVersion as versionOf } from './lib/chain.ts';
import { devChainChecks } from './lib/dev-chain-checks.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The released runtime's development chain (see tests/upgrade/README.md). */
const BASE_SPEC = resolve(here, '..', 'upgrade', 'tpwallet-dev-spec100-raw.json.gz');
const BASE_SPEC_VERSION = 100;
const TPW = join(dirname(NODE_BIN), 'tpw');
const RELAYER = join(dirname(NODE_BIN), 'tpw-relayer');
const OTHER_CHAIN = '0x' + '11'.repeat(32);
/** tools/try-upgrade, built by scripts/try-runtime.sh (CI does not build it). */
const TRY_UPGRADE = process.env.TRY_UPGRADE_BIN;
const UNIT = 10n ** 12n;
/** The stablecoin issued before the upgrade. */
const TOKEN = 4242;
const DOC = '0x' + '07'.repeat(32);

let node: RunningNode;
let api: ApiPromise;
let acc: Awaited<ReturnType<typeof devAccounts>>;
let store: string;
/** What the chain held before the upgrade, to compare after it. */
const before_ = { channelDeposit: 0n, channelBytes: 0, upgradeBlock: 0, finalizedAtUpgrade: 0, newSpec: 0, redemption: 0, tryUpgrade: '' };

/** Runs a command-line tool against the node; fails the test if it fails. */
function run(bin: string, args: string[]): string {
  const res = spawnSync(bin, args, { encoding: 'utf8', timeout: 180_000, cwd: store });
  if (res.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} exited with ${res.status}:\n${res.stdout}\n${res.stderr}`);
  }
  return res.stdout;
}
const tpw = (...args: string[]) => run(TPW, ['--url', node.wsUrl, ...args]);
const relayer = (suri: string, ...args: string[]) => run(RELAYER, ['dev', '--url', node.wsUrl, '--suri', suri, ...args]);

const specVersion = () => versionOf(api);

before(async () => {
  mkdirSync(TMP_DIR, { recursive: true });
  store = join(TMP_DIR, 'upgrade-store');
  rmSync(store, { recursive: true, force: true });
  mkdirSync(store);
  const spec = join(TMP_DIR, 'upgrade-base-spec.json');
  writeFileSync(spec, gunzipSync(readFileSync(BASE_SPEC)));
  node = await RunningNode.start({
    name: 'upgrade',
    // What `--dev` implies, for a chain spec file; a throw-away node may generate its network key.
    args: ['--chain', spec, '--alice', '--validator', '--force-authoring', '--tmp', '--rpc-cors', 'all', '--unsafe-force-node-key-generation'],
    prometheusPort: await freePort(),
  });
  api = await connect(node.wsUrl);
  acc = await devAccounts();
  assert.equal(await specVersion(), BASE_SPEC_VERSION, 'the chain starts on the released runtime');

  // Before: a channel, a short challenge period, a bridge lane; all through the tools.
  await waitUntil('block 1', 30_000, async () => (await bestNumber(api)) >= 1);
  tpw('--suri', '//Alice', 'dev-challenge-period', '--blocks', '4');
  const opened = tpw('--suri', '//Alice', '--store', 'alice', 'open', '--to', acc.bob.address, '--deposit', String(UNIT));
  assert.match(opened, /opened channel 0/);
  const channel = (await api.query.paymentChannels.channels(0)) as any;
  before_.channelDeposit = channel.unwrap().storageDeposit.amount.toBigInt();
  before_.channelBytes = (await api.rpc.state.getStorage(api.query.paymentChannels.channels.key(0)) as any).unwrap().length;
  assert.ok(before_.channelDeposit > 0n, 'the channel holds a storage deposit');
  assert.match(relayer('//Alice', 'open-lane', '--destination', OTHER_CHAIN), /opened a lane/);
  // A stablecoin (issued by Alice, held by Bob) with a redemption awaiting payout: the
  // tokenization migration must count it.
  const template = ((await api.query.tokenization.nextTemplateId()) as any).toNumber();
  const stablecoin = { class: 'Stablecoin', decimals: 2, maxCap: null, policy: 'Open', defaultLockup: null, issuerRoles: 15 };
  const issue = await send(api, api.tx.utility.batchAll([
    api.tx.sudo.sudo(api.tx.tokenization.registerTemplate(stablecoin)),
    api.tx.tokenization.createToken(TOKEN, template, 'Upgrade USD', 'UUSD', null, DOC),
    api.tx.sudo.sudo(api.tx.tokenization.setReserveAttestor(TOKEN, acc.alice.address)),
    api.tx.tokenization.attestReserves(TOKEN, 1_000_000, DOC),
    api.tx.tokenization.mint(TOKEN, acc.bob.address, 1_000),
  ]), acc.alice);
  assert.equal(issue.error, undefined);
  before_.redemption = ((await api.query.tokenization.nextRedemptionId()) as any).toNumber();
  assert.equal((await send(api, api.tx.tokenization.redeem(TOKEN, 400), acc.bob)).error, undefined);
  assert.equal(((await api.query.assets.account(TOKEN, acc.bob.address)) as any).unwrap().balance.toNumber(), 600);

  // try-runtime's checks on a snapshot of the finalized state holding all of the above.
  if (TRY_UPGRADE) {
    const best = await bestNumber(api);
    await waitUntil('the set-up finalized', 60_000, async () => (await finalizedNumber(api)) >= best);
    before_.tryUpgrade = run(TRY_UPGRADE, [node.wsUrl, join(TMP_DIR, 'upgrade-snapshot.bin')]);
  }

  // The upgrade: `system.setCode` through sudo, as on the dev chain.
  const code = u8aToHex(readFileSync(RUNTIME_WASM));
  const out = await send(api, api.tx.sudo.sudo(api.tx.system.setCode(code)), acc.alice);
  assert.equal(out.error, undefined);
  const events = await upgradeBlockEvents(api, out.blockHash);
  const seen = events.map(({ event }: any) => `${event.section}.${event.method}`).join(', ');
  const sudid = events.find(({ event }: any) => event.section === 'sudo' && event.method === 'Sudid');
  assert.ok(sudid, `a Sudid event among: ${seen}`);
  assert.ok((sudid.event.data[0] as any).isOk, `setCode succeeded: ${sudid.event.data[0]}`);
  assert.ok(seen.includes('system.CodeUpdated'), `CodeUpdated among: ${seen}`);
  before_.upgradeBlock = (await api.rpc.chain.getHeader(out.blockHash)).number.toNumber();
  before_.finalizedAtUpgrade = await finalizedNumber(api);
  await waitUntil('the new runtime', 60_000, async () => (await specVersion()) > BASE_SPEC_VERSION);
  before_.newSpec = await specVersion();
  // polkadot.js follows the upgrade: new metadata, new version.
  await waitUntil('polkadot.js on the new runtime', 30_000, async () => api.runtimeVersion.specVersion.toNumber() === before_.newSpec);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('the runtime is upgraded to a higher spec version, and blocks and finality go on', async () => {
  assert.ok(before_.newSpec > BASE_SPEC_VERSION, `spec ${before_.newSpec}`);
  const upgraded = before_.upgradeBlock;
  await waitUntil('three blocks after the upgrade', 60_000, async () => (await bestNumber(api)) >= upgraded + 3);
  await waitUntil('the upgrade finalized, and more', 60_000, async () => (await finalizedNumber(api)) >= upgraded + 2);
  assert.ok((await finalizedNumber(api)) > before_.finalizedAtUpgrade);
});

test('the storage migrations ran: payment channels and bridge at version 2, settlement at 1, each deposit amount kept', async () => {
  const version = (await api.query.paymentChannels.palletVersion()) as any;
  assert.equal(version.toNumber(), 2);
  assert.equal(((await api.query.bridge.palletVersion()) as any).toNumber(), 2);
  // Settlement came after spec 100: its v1 migration counted no schemes.
  assert.equal(((await api.query.settlement.palletVersion()) as any).toNumber(), 1);
  assert.equal(((await api.query.settlement.schemeCount()) as any).toNumber(), 0);
  const channel = ((await api.query.paymentChannels.channels(0)) as any).unwrap();
  assert.equal(channel.storageDeposit.toBigInt(), before_.channelDeposit, 'the amount, without its payer');
  const bytes = ((await api.rpc.state.getStorage(api.query.paymentChannels.channels.key(0))) as any).unwrap().length;
  assert.equal(before_.channelBytes - bytes, 32, "the payer's 32 bytes are gone");
});

test('sessions start with the running validator, keys kept; the governance pallets are in place', async () => {
  // Alice was the only Aura and GRANDPA authority; her Aura key is her account.
  const validators = ((await api.query.session.validators()).toJSON() as string[]).map((a) => encodeAddress(a, 42));
  assert.deepEqual(validators, [acc.alice.address]);
  assert.deepEqual(((await api.query.validatorSet.validators()).toJSON() as string[]).map((a) => encodeAddress(a, 42)), [acc.alice.address]);
  assert.ok((await api.query.session.nextKeys(acc.alice.address)).isSome, "Alice's keys are registered");
  for (const pallet of ['session', 'historical', 'offences', 'validatorSet', 'council', 'technicalCommittee', 'preimage', 'scheduler']) {
    const version = ((await (api.query as any)[pallet].palletVersion()) as any).toNumber();
    assert.ok(version >= 1, `${pallet} at its storage version (${version})`);
  }
  // A pallet with no storage of its own has no `palletVersion` query: its raw key.
  const versionKey = u8aToHex(u8aConcat(xxhashAsU8a('AuraEquivocation', 128), xxhashAsU8a(':__STORAGE_VERSION__:', 128)));
  const raw = (await api.rpc.state.getStorage(versionKey)) as any;
  assert.ok(raw.isSome, 'auraEquivocation has a storage version');
  assert.equal(api.createType('u16', raw.unwrap()).toNumber(), 1, 'auraEquivocation at its storage version');
  // The chain keeps its sudo key (the council starts empty: sudo seats it).
  assert.equal((await api.query.sudo.key()).toString(), acc.alice.address);
});

test('tokens migrated with their status and pending redemptions; a migrated token is destroyed', async () => {
  assert.equal(((await api.query.tokenization.palletVersion()) as any).toNumber(), 2);
  const token = ((await api.query.tokenization.tokens(TOKEN)) as any).unwrap();
  assert.equal(token.status.type, 'Live');
  assert.equal(token.pendingRedemptions.toNumber(), 1, 'the redemption made before the upgrade');
  assert.equal(token.openBuybacks.toNumber(), 0);
  // Not while a redemption awaits payout, nor while units are out.
  const early = await send(api, api.tx.tokenization.startDestroy(TOKEN), acc.alice);
  assert.equal(early.error, 'tokenization.SupplyOutstanding');
  // The issuer pays the redemption, claws back and burns Bob's units, then destroys the token
  // in its three steps.
  const destroyed = await send(api, api.tx.utility.batchAll([
    api.tx.tokenization.confirmRedemption(before_.redemption, DOC),
    api.tx.tokenization.forceTransfer(TOKEN, acc.bob.address, acc.alice.address, 600, 1),
    api.tx.tokenization.burn(TOKEN, 600),
    api.tx.tokenization.startDestroy(TOKEN),
    api.tx.tokenization.destroyAccounts(TOKEN, 100),
    api.tx.tokenization.finishDestroy(TOKEN),
  ]), acc.alice);
  assert.equal(destroyed.error, undefined);
  const names = destroyed.events.map(({ event }: any) => `${event.section}.${event.method}`);
  for (const name of ['tokenization.DestructionStarted', 'tokenization.AccountsDestroyed', 'tokenization.TokenDestroyed', 'assets.Destroyed']) {
    assert.ok(names.includes(name), `${name} among ${names.join(', ')}`);
  }
  assert.ok(((await api.query.tokenization.tokens(TOKEN)) as any).isNone);
  assert.ok(((await api.query.assets.asset(TOKEN)) as any).isNone);
});

test('try-runtime: migrations, their checks and every try_state pass on a snapshot of the chain', { skip: !TRY_UPGRADE && 'run by scripts/try-runtime.sh' }, (t) => {
  for (const line of before_.tryUpgrade.trim().split('\n')) t.diagnostic(line);
  assert.match(before_.tryUpgrade, /spec_version 100 on chain/);
  assert.match(before_.tryUpgrade, /migrations and checks passed/);
  assert.match(before_.tryUpgrade, /idempotent/);
  assert.match(before_.tryUpgrade, /try-upgrade: ok/);
});

test('tpw and tpw-relayer, unchanged, work on the new runtime', async () => {
  // The channel opened before the upgrade closes and settles; the deposit returns to Alice.
  const reservedBefore = (await api.query.system.account(acc.alice.address)).data.reserved.toBigInt();
  const closing = tpw('--suri', '//Alice', '--store', 'alice', 'close', '--channel', '0');
  const settleFrom = Number(/settle from block (\d+)/.exec(closing)?.[1]);
  assert.ok(settleFrom > before_.upgradeBlock, closing);
  await waitUntil(`block ${settleFrom}`, 60_000, async () => (await bestNumber(api)) >= settleFrom);
  assert.match(tpw('--suri', '//Alice', '--store', 'alice', 'settle', '--channel', '0'), /settled: A gets 1000000000000, B gets 0/);
  const reservedAfter = (await api.query.system.account(acc.alice.address)).data.reserved.toBigInt();
  assert.equal(reservedBefore - reservedAfter, UNIT + before_.channelDeposit, 'deposit and storage deposit returned');
  // A new channel opens under the new layout; dispatch errors are still named from metadata.
  assert.match(tpw('--suri', '//Alice', '--store', 'alice', 'open', '--to', acc.bob.address, '--deposit', String(UNIT)), /opened channel 1/);
  const refused = spawnSync(TPW, ['--url', node.wsUrl, '--suri', '//Alice', 'settle', '--channel', '1'], { encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr + refused.stdout, /PaymentChannels::NotClosing/);
  // The relayer signs and decodes with the new runtime too.
  assert.match(relayer('//Bob', 'send-message', '--destination', OTHER_CHAIN, '--remark', 'after the upgrade'), /sent a message/);
});

devChainChecks(() => ({ node, api, acc }));
