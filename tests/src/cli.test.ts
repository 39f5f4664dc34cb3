// The node's command line: bad input fails cleanly; standard subcommands work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, RunningNode, TMP_DIR } from './lib/node.ts';
import { connect, finalizedNumber, waitUntil } from './lib/chain.ts';

mkdirSync(TMP_DIR, { recursive: true });
const scratch = () => mkdtempSync(join(TMP_DIR, 'cli-'));

function assertCleanFailure(res: { status: number | null; stderr: string }, pattern: RegExp) {
  assert.notEqual(res.status, 0, 'non-zero exit');
  const lines = res.stderr.trim().split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `one line of error, got:\n${res.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(res.stderr, /panicked|RUST_BACKTRACE|stack backtrace/);
}

test('an unknown --chain name ends with a one-line error', () => {
  assertCleanFailure(runNode(['--chain', 'no-such-chain', '--tmp']), /^Error: .*unknown chain `no-such-chain`/);
});

test('a malformed chain-spec file ends with a one-line error', () => {
  const dir = scratch();
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{ "name": "broken", ');
  assertCleanFailure(runNode(['--chain', bad, '--tmp']), /^Error: .*invalid chain spec/);
  const wrong = join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify({ name: 'x', id: 'x' }));
  assertCleanFailure(runNode(['build-spec', '--chain', wrong]), /^Error: .*invalid chain spec/);
});

test('build-spec emits the local testnet with its properties, three validators, a council and no sudo key', () => {
  const res = runNode(['build-spec', '--chain', 'local', '--disable-default-bootnode']);
  assert.equal(res.status, 0, res.stderr);
  const spec = JSON.parse(res.stdout);
  assert.equal(spec.id, 'tpwallet_local_testnet');
  assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'TPW' });
  const patch = spec.genesis.runtimeGenesis.patch;
  // The session sets Aura's and GRANDPA's authorities from the validator set.
  assert.equal(patch.validatorSet.initialValidators.length, 3);
  assert.equal(patch.session.keys.length, 3);
  assert.equal(patch.councilMembership.members.length, 3);
  assert.equal(patch.sudo.key, null, 'only the dev chain has a sudo key');
  const raw = runNode(['build-spec', '--chain', 'local', '--raw', '--disable-default-bootnode']);
  assert.equal(raw.status, 0, raw.stderr);
  assert.ok(JSON.parse(raw.stdout).genesis.raw.top['0x3a636f6465'], 'raw spec holds the runtime code');
});

test('key insert puts a session key into the keystore', () => {
  const base = scratch();
  const res = runNode([
    'key', 'insert', '--base-path', base, '--chain', 'local', '--scheme', 'sr25519',
    '--suri', '//Alice', '--key-type', 'aura',
  ]);
  assert.equal(res.status, 0, res.stderr);
  const keystore = join(base, 'chains', 'tpwallet_local_testnet', 'keystore');
  const files = readdirSync(keystore);
  assert.equal(files.length, 1);
  assert.ok(files[0].startsWith('61757261'), 'file name starts with hex("aura")');
});

test('export-blocks, import-blocks and purge-chain work on a real database', async () => {
  const base = scratch();
  const node = await RunningNode.start({ name: 'cli-export', args: ['--dev', '--base-path', base] });
  const api = await connect(node.wsUrl);
  try {
    await waitUntil('3 finalized blocks', 60_000, async () => (await finalizedNumber(api)) >= 3);
  } finally {
    await api.disconnect();
    await node.stop();
  }
  const file = join(base, 'blocks.bin');
  const exported = runNode(['export-blocks', '--dev', '--base-path', base, '--binary', '--to', '3', file]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.ok(statSync(file).size > 0);

  const fresh = scratch();
  const imported = runNode(['import-blocks', '--dev', '--base-path', fresh, '--binary', file]);
  assert.equal(imported.status, 0, imported.stderr);
  // The imported database holds the same blocks: exporting them again gives the same bytes.
  const reexport = join(base, 'blocks-again.bin');
  const again = runNode(['export-blocks', '--dev', '--base-path', fresh, '--binary', '--to', '3', reexport]);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(readFileSync(reexport), readFileSync(file));

  // ParityDb is the default database; RocksDb lives in `db/`.
  const chainDir = join(fresh, 'chains', 'tpwallet_dev');
  const db = ['paritydb', 'db'].map((d) => join(chainDir, d, 'full')).find((d) => existsSync(d));
  assert.ok(db, `a database under ${chainDir}`);
  const purged = runNode(['purge-chain', '--dev', '--base-path', fresh, '-y']);
  assert.equal(purged.status, 0, purged.stderr);
  assert.ok(!existsSync(db), 'database removed');
});

test('benchmark subcommands are available', () => {
  const res = runNode(['benchmark', '--help']);
  assert.equal(res.status, 0, res.stderr);
  for (const sub of ['pallet', 'storage', 'overhead', 'block', 'machine', 'extrinsic']) {
    assert.match(res.stdout, new RegExp(`\\b${sub}\\b`));
  }
});
