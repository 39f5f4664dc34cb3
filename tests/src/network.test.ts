// End-to-end: a local multi-validator network, governed by its council.
//
// The 3-validator `local` testnet tolerates no failed validator (lib/network.ts). This test
// therefore runs the `local` spec of the last released runtime with a fourth genesis validator
// (Dave), the smallest set that survives one validator going down, and a fifth node (Eve) that runs as a validator but joins
// the set only through a council motion. Then: a council motion upgrades the runtime to the one
// this tree builds; a motion adds Eve, another removes Charlie; Dave runs a second node with his
// keys, and the other nodes report his double-signing, which removes him; a GRANDPA equivocation
// by Bob is reported and removes him too. Blocks and finality go on throughout. A set change
// takes two session boundaries, so the sessions are shortened to 10 blocks by a motion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Keyring, WsProvider, type ApiPromise } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { RunningNode, RUNTIME_WASM, TMP_DIR } from './lib/node.ts';
import { connect, finalizedNumber, bestNumber, waitUntil, devAccounts, send, submitOk, eventData, specVersion, upgradeBlockEvents } from './lib/chain.ts';
import { councilEnacts } from './lib/governance.ts';
import { startNetwork, withDaveAsValidator } from './lib/network.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** The `local` chain spec of the last released runtime (see tests/upgrade/README.md): the network starts on it. */
const RELEASED_SPEC = resolve(here, '..', 'upgrade', 'tpwallet-local-spec103.json.gz');
const RELEASED_SPEC_VERSION = 103;
const GENESIS_VALIDATORS = ['alice', 'bob', 'charlie', 'dave'] as const;
const NODES = [...GENESIS_VALIDATORS, 'eve'] as const;
/** Sessions this short make a set change take about a minute (it is active from the session after next). */
const SESSION_LENGTH = 10;
const nodes: RunningNode[] = [];
const apis: ApiPromise[] = [];
let specPath: string;
/** The nodes' data directories, and the first node's address for the others to dial. */
let dir: string;
let bootnode: string;
let acc: Awaited<ReturnType<typeof devAccounts>>;

before(async () => {
  await cryptoWaitReady();
  acc = await devAccounts();
  mkdirSync(TMP_DIR, { recursive: true });
  dir = mkdtempSync(join(TMP_DIR, 'net-'));

  const spec = JSON.parse(gunzipSync(readFileSync(RELEASED_SPEC)).toString());
  specPath = await withDaveAsValidator(spec, join(dir, 'local-4.json'));
  const net = await startNetwork(specPath, NODES, dir, 'net');
  nodes.push(...net.nodes);
  apis.push(...net.apis);
  bootnode = net.bootnode;
});

after(async () => {
  await Promise.all(apis.map((a) => a.disconnect().catch(() => {})));
  await Promise.all(nodes.map((n) => n.stop()));
});

/** The Aura key that authored block `n`: the slot in its header, over the authorities before it. */
async function author(api: ApiPromise, n: number): Promise<string | undefined> {
  const hash = await api.rpc.chain.getBlockHash(n);
  const header = await api.rpc.chain.getHeader(hash);
  const authorities = ((await (await api.at(header.parentHash)).query.aura.authorities()).toJSON() as string[]).map((a) =>
    encodeAddress(a, 42),
  );
  for (const log of header.digest.logs) {
    if (log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura') {
      const slot = api.createType('u64', log.asPreRuntime[1]).toBigInt();
      return authorities[Number(slot % BigInt(authorities.length))];
    }
  }
  return undefined;
}

/** New session keys made in `node`'s keystore, and the proof that they are `owner`'s. */
async function rotateKeys(node: RunningNode, owner: Uint8Array): Promise<{ keys: string; proof: string }> {
  const rpc = new WsProvider(node.wsUrl);
  await rpc.isReady;
  try {
    return await rpc.send('author_rotateKeysWithOwner', [u8aToHex(owner)]);
  } finally {
    await rpc.disconnect();
  }
}

/** The GRANDPA keys whose precommits finalized block `n` (from its justification). */
async function precommitters(api: ApiPromise, n: number): Promise<string[]> {
  const block = await api.rpc.chain.getBlock(await api.rpc.chain.getBlockHash(n));
  if (block.justifications.isNone) return [];
  const grandpa = block.justifications.unwrap().find(([engine]) => engine.toString() === 'FRNK');
  if (!grandpa) return [];
  // `GrandpaJustification { round, commit: { target, precommits: [(precommit, signature, id)] }, .. }`
  const [, commit] = api.createType('(u64, (H256, u32, Vec<((H256, u32), [u8; 64], [u8; 32])>))', grandpa[1].toU8a(true)) as any;
  return commit[2].map((signed: any) => encodeAddress(signed[2].toU8a(), 42));
}

/** A weight as a multiple of a plain transfer's (`balances.transferKeepAlive`), for the measurements. */
async function inTransfers(api: ApiPromise, refTime: bigint): Promise<string> {
  const transfer = (await api.tx.balances.transferKeepAlive(acc.bob.address, 1n).paymentInfo(acc.alice.address)).weight.refTime.toBigInt();
  return (Number(refTime) / Number(transfer)).toFixed(1);
}

async function sessionValidators(api: ApiPromise): Promise<string[]> {
  return ((await api.query.session.validators()).toJSON() as string[]).map((a) => encodeAddress(a, 42));
}

test('validators peer, produce blocks and finalize them', async () => {
  await waitUntil('every node to see the 4 others', 60_000, async () => {
    const health = await Promise.all(apis.map((a) => a.rpc.system.health()));
    return health.every((h) => h.peers.toNumber() >= NODES.length - 1);
  });
  await waitUntil('finalized height >= 3 on every node', 90_000, async () =>
    (await Promise.all(apis.map(finalizedNumber))).every((n) => n >= 3),
  );
  // Blocks come from more than one author.
  const api = apis[0];
  const authors = new Set<string>();
  const best = await bestNumber(api);
  for (let n = 1; n <= best; n++) authors.add((await author(api, n)) ?? '');
  assert.ok(authors.size >= 2, `blocks by ${authors.size} validator(s)`);
  // Eve runs a validator node but is not in the set.
  assert.deepEqual((await sessionValidators(api)).sort(), GENESIS_VALIDATORS.map((v) => (acc as any)[v].address).sort());
});

test('a runtime upgrade enacted by a council motion: every node moves to the new runtime, blocks and finality go on', async () => {
  const [api] = apis;
  for (const a of apis) assert.equal(await specVersion(a), RELEASED_SPEC_VERSION, 'the network runs the released runtime');
  // `system.authorizeUpgrade` is root-only: the council whitelists it and dispatches it as root
  // in one motion; then anyone submits the code (so the motion carries a hash, not 1 MB).
  const code = readFileSync(RUNTIME_WASM);
  const authorize = api.tx.system.authorizeUpgrade(blake2AsHex(code));
  const motion = api.tx.utility.batchAll([
    api.tx.whitelist.whitelistCall(authorize.method.hash),
    api.tx.whitelist.dispatchWhitelistedCallWithPreimage(authorize),
  ]);
  // Not by sudo: the network has no sudo key.
  assert.ok(((await api.query.sudo.key()) as any).isNone, 'no sudo key');
  const enacted = await councilEnacts(api, motion, [acc.alice, acc.bob]);
  assert.equal(enacted.error, undefined);
  eventData(enacted.outcome, 'whitelist', 'WhitelistedCallDispatched');
  eventData(enacted.outcome, 'system', 'UpgradeAuthorized');
  // Only the authorized code is accepted.
  const other = await send(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code.subarray(0, code.length - 1))), acc.ferdie);
  assert.equal(other.error, 'system.Unauthorized', 'other code is refused');

  const applied = await send(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), acc.ferdie);
  const events = await upgradeBlockEvents(api, applied.blockHash);
  const seen = events.map(({ event }) => `${event.section}.${event.method}`).join(', ');
  assert.ok(seen.includes('system.CodeUpdated'), `CodeUpdated among: ${seen}`);
  const upgraded = (await api.rpc.chain.getHeader(applied.blockHash)).number.toNumber();
  const finalizedAtUpgrade = await finalizedNumber(api);

  await waitUntil('every node on the new runtime', 60_000, async () =>
    (await Promise.all(apis.map(specVersion))).every((v) => v > RELEASED_SPEC_VERSION),
  );
  const newSpec = await specVersion(api);
  await waitUntil('polkadot.js on the new runtime', 30_000, async () => apis.every((a) => a.runtimeVersion.specVersion.toNumber() === newSpec));
  await waitUntil('blocks and finality after the upgrade on every node', 90_000, async () =>
    (await Promise.all(apis.map(finalizedNumber))).every((n) => n >= upgraded + 3),
  );
  assert.ok((await finalizedNumber(api)) > finalizedAtUpgrade);
  console.log(`[measure] runtime upgrade ${RELEASED_SPEC_VERSION} -> ${newSpec}: motion approved in block ${enacted.block}, code applied in block ${upgraded}`);
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

test('bad governance inputs are refused by name: a non-member motion, a lone member, keys for another account', async () => {
  const api = apis[0];
  const setLength = api.tx.parameters.setParameter({ Validators: { SessionLength: [null, SESSION_LENGTH] } } as any);
  const eve = await api.tx.council.propose(2, setLength, setLength.method.encodedLength);
  const out = await send(api, eve, acc.eve);
  assert.equal(out.error, 'council.NotMember');
  // One aye of three is below the two thirds a parameter needs: the motion runs and is refused.
  const lone = await councilEnacts(api, setLength, [acc.alice]);
  assert.equal(lone.error, 'BadOrigin');
  // Keys whose proof names Eve, registered by Ferdie.
  const generated = await rotateKeys(nodes[4], acc.eve.publicKey);
  const ferdie = await send(api, api.tx.session.setKeys(generated.keys, generated.proof), acc.ferdie);
  assert.equal(ferdie.error, 'session.InvalidProof');
  // Nor can anyone add a validator directly.
  const direct = await send(api, api.tx.validatorSet.addValidator(acc.eve.address), acc.alice);
  assert.equal(direct.error, 'BadOrigin');
});

test('council motions add Eve and remove Charlie: after the session change she authors blocks and votes in GRANDPA, and finality continues', async () => {
  const [api] = apis;
  // Eve's node makes her keys; she registers them with the proof that they are hers.
  const generated = await rotateKeys(nodes[4], acc.eve.publicKey);
  const keys = hexToU8a(generated.keys);
  const aura = encodeAddress(keys.slice(0, 32), 42);
  const grandpa = encodeAddress(keys.slice(32, 64), 42);
  await submitOk(api, api.tx.session.setKeys(generated.keys, generated.proof), acc.eve);

  const motion = api.tx.utility.batchAll([
    api.tx.parameters.setParameter({ Validators: { SessionLength: [null, SESSION_LENGTH] } } as any),
    api.tx.validatorSet.addValidator(acc.eve.address),
  ]);
  const enacted = await councilEnacts(api, motion, [acc.alice, acc.bob]);
  assert.equal(enacted.error, undefined);
  eventData(enacted.outcome, 'validatorSet', 'ValidatorAdded');
  // Another motion removes Charlie; both changes are waited for together.
  const removal = await councilEnacts(api, api.tx.validatorSet.removeValidator(acc.charlie.address), [acc.alice, acc.bob]);
  assert.equal(removal.error, undefined);
  eventData(removal.outcome, 'validatorSet', 'ValidatorRemoved');

  await waitUntil('Eve in and Charlie out of the session validators', 180_000, async () => {
    const validators = await sessionValidators(api);
    return validators.includes(acc.eve.address) && !validators.includes(acc.charlie.address);
  });
  let firstAuthored = 0;
  let next = enacted.block + 1;
  await waitUntil('a block authored by Eve', 120_000, async () => {
    for (const best = await bestNumber(api); next <= best; next++) {
      if ((await author(api, next)) === aura) {
        firstAuthored = next;
        return true;
      }
    }
    return false;
  });
  // GRANDPA's set includes her key, and the justification of a finalized block carries her
  // precommit (the node keeps a justification for every finalized block).
  let firstVote = 0;
  let nextFinalized = enacted.block + 1;
  await waitUntil("Eve's GRANDPA precommit in a justification", 120_000, async () => {
    for (const finalized = await finalizedNumber(api); nextFinalized <= finalized; nextFinalized++) {
      if ((await precommitters(api, nextFinalized)).includes(grandpa)) {
        firstVote = nextFinalized;
        return true;
      }
    }
    return false;
  });
  const finalized = await finalizedNumber(api);
  await waitUntil('finality to go on without Charlie', 60_000, async () => (await finalizedNumber(api)) >= finalized + 3);
  console.log(
    `[measure] validator added by a motion approved in block ${enacted.block}: first block authored ${firstAuthored - enacted.block} blocks later, ` +
      `first block finalized with her GRANDPA precommit ${firstVote - enacted.block} blocks later (sessions of ${SESSION_LENGTH} blocks)`,
  );
});

test('a validator running two nodes with the same keys double-signs: another node reports it, the chain verifies the report and removes him', async () => {
  const [api] = apis;
  const from = await finalizedNumber(api);
  // Dave's keys in a second node: in each of Dave's Aura slots both nodes seal a block of their
  // own. The other nodes import both, and report the equivocation themselves (unsigned): nobody
  // here builds a report. The second node does not vote in GRANDPA
  // (`--no-grandpa`): while it catches up its votes can differ from the first node's too, and
  // that equivocation, also reported by the other nodes, would remove Dave first. GRANDPA's
  // report is the next test's.
  const twin = await RunningNode.start({
    name: 'net-dave-twin',
    args: ['--chain', specPath, '--dave', '--no-grandpa', '--base-path', join(dir, 'dave-twin'), '--node-key', 'ff'.padStart(64, '0'), '--bootnodes', bootnode],
  });
  nodes.push(twin);

  let reported = 0;
  let next = from + 1;
  await waitUntil('an equivocation report in a finalized block', 180_000, async () => {
    for (const finalized = await finalizedNumber(api); next <= finalized; next++) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(next))).query.system.events();
      if (events.some(({ event }) => event.section === 'auraEquivocation' && event.method === 'EquivocationReported')) {
        reported = next;
        return true;
      }
    }
    return false;
  });
  const hash = await api.rpc.chain.getBlockHash(reported);
  const block = await api.rpc.chain.getBlock(hash);
  const events = await (await api.at(hash)).query.system.events();
  const index = block.block.extrinsics.findIndex((x) => x.method.section === 'auraEquivocation' && x.method.method === 'reportEquivocation');
  assert.ok(index >= 0, `an auraEquivocation.reportEquivocation in block ${reported}`);
  assert.ok(!block.block.extrinsics[index].isSigned, 'submitted by a node, unsigned');
  const own = events.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index);
  const names = own.map(({ event }) => `${event.section}.${event.method}`).join(', ');
  const offence = own.find(({ event }) => event.section === 'offences' && event.method === 'Offence');
  assert.ok(offence, `offences.Offence among ${names}`);
  assert.equal(Buffer.from((offence.event.data[0] as any).toU8a()).toString(), 'aura:equivocatio');
  const removed = own.find(({ event }) => event.section === 'validatorSet' && event.method === 'ValidatorRemovedForOffence');
  assert.ok(removed, `validatorSet.ValidatorRemovedForOffence among ${names}`);
  assert.equal(removed.event.data[0].toString(), acc.dave.address);
  const success = own.find(({ event }) => event.section === 'system' && event.method === 'ExtrinsicSuccess');
  assert.ok(success, `the report succeeded: ${names}`);
  const reportWeight = await inTransfers(api, (success.event.data[0] as any).weight.refTime.toBigInt());
  console.log(
    `[measure] double-signing by two nodes with Dave's keys reported in block ${reported} (the second node started after block ${from}); ` +
      `Aura equivocation report weight ${reportWeight} x a transfer`,
  );

  await waitUntil('Dave out of the session validators', 180_000, async () => !(await sessionValidators(api)).includes(acc.dave.address));
  const finalized = await finalizedNumber(api);
  await waitUntil('finality to go on without Dave', 90_000, async () => (await finalizedNumber(api)) >= finalized + 3);
});

test("a GRANDPA equivocation by Bob, reported with a key-ownership proof from a node, is verified on chain and removes him", async () => {
  const [api] = apis;
  const bob = new Keyring({ type: 'ed25519' }).addFromUri('//Bob');
  // Two prevotes for different blocks in the same round of the current set, both signed by Bob:
  // what a second node running with his keys may sign when its view differs at a vote.
  let report: any;
  for (let attempt = 0; attempt < 3 && !report; attempt++) {
    const at = await api.rpc.chain.getFinalizedHead();
    const setId = (await (await api.at(at)).call.grandpaApi.currentSetId()).toNumber();
    // The runtime API's raw result (polkadot.js's decoded one keeps a length prefix too many).
    const args = u8aConcat(api.createType('u64', setId).toU8a(), bob.publicKey);
    const wire = await api.rpc.state.call('GrandpaApi_generate_key_ownership_proof', u8aToHex(args), at);
    const proof = api.createType('Option<Bytes>', wire.toU8a(true));
    if (proof.isNone) continue;
    const round = 1;
    const prevote = (target: number) => {
      const vote = { targetHash: u8aToHex(new Uint8Array(32).fill(target)), targetNumber: 1 };
      const payload = u8aConcat(
        new Uint8Array([0]), // `Message::Prevote`
        api.createType('FinalityGrandpaPrevote', vote).toU8a(),
        api.createType('u64', round).toU8a(),
        api.createType('u64', setId).toU8a(),
      );
      return [vote, bob.sign(payload)];
    };
    const equivocation = {
      setId,
      equivocation: { Prevote: { roundNumber: round, identity: bob.publicKey, first: prevote(1), second: prevote(2) } },
    };
    const keyOwnerProof = api.createType('SpSessionMembershipProof', proof.unwrap().toU8a(true));
    const out = await send(api, api.tx.grandpa.reportEquivocation(equivocation, keyOwnerProof), acc.ferdie);
    if (out.error === 'grandpa.InvalidKeyOwnershipProof') continue; // a session changed in between
    assert.equal(out.error, undefined);
    report = out;
  }
  assert.ok(report, 'the report was accepted');
  eventData(report, 'offences', 'Offence');
  const [who] = eventData(report, 'validatorSet', 'ValidatorRemovedForOffence');
  assert.equal(who.toString(), acc.bob.address);
  const success = report.events.find(({ event }: any) => event.section === 'system' && event.method === 'ExtrinsicSuccess');
  console.log(`[measure] GRANDPA equivocation report weight: ${await inTransfers(api, success.event.data[0].weight.refTime.toBigInt())} x a transfer`);

  // Bob leaves the set from the session after next, as Dave did above; finality goes on.
  const finalized = await finalizedNumber(api);
  await waitUntil('finality to go on after the report', 60_000, async () => (await finalizedNumber(api)) >= finalized + 3);
});
