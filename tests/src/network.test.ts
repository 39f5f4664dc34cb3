// End-to-end: a local multi-validator network, governed by its council.
//
// GRANDPA finalizes with more than 2/3 of the voters, so n validators tolerate f = (n-1)/3
// failures: the 3-validator `local` testnet tolerates none. This test therefore runs the `local`
// spec with a fourth genesis validator (Dave), the smallest set that survives one validator going
// down, and a fifth node (Eve) that runs as a validator but joins the set only through a council
// motion. Then: a council motion adds Eve, another removes Charlie, and a GRANDPA equivocation by
// Dave is reported and takes effect; blocks and finality go on throughout. A set change takes
// two session boundaries, so the sessions are shortened to 10 blocks by the first motion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring, WsProvider, type ApiPromise } from '@polkadot/api';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { RunningNode, runNode, TMP_DIR } from './lib/node.ts';
import { connect, finalizedNumber, bestNumber, waitUntil, devAccounts, send, submitOk, eventData } from './lib/chain.ts';
import { councilEnacts } from './lib/governance.ts';

const GENESIS_VALIDATORS = ['alice', 'bob', 'charlie', 'dave'] as const;
const NODES = [...GENESIS_VALIDATORS, 'eve'] as const;
/** Sessions this short make a set change take about a minute (it is active from the session after next). */
const SESSION_LENGTH = 10;
const nodes: RunningNode[] = [];
const apis: ApiPromise[] = [];
let specPath: string;
let acc: Awaited<ReturnType<typeof devAccounts>>;

before(async () => {
  await cryptoWaitReady();
  acc = await devAccounts();
  mkdirSync(TMP_DIR, { recursive: true });
  const dir = mkdtempSync(join(TMP_DIR, 'net-'));

  const res = runNode(['build-spec', '--chain', 'local', '--disable-default-bootnode']);
  assert.equal(res.status, 0, res.stderr);
  const spec = JSON.parse(res.stdout);
  const patch = spec.genesis.runtimeGenesis.patch;
  assert.equal(patch.validatorSet.initialValidators.length, 3, 'the local testnet has three validators');
  const dave = new Keyring({ type: 'sr25519' }).addFromUri('//Dave').address;
  const daveGrandpa = new Keyring({ type: 'ed25519' }).addFromUri('//Dave').address;
  patch.validatorSet.initialValidators.push(dave);
  patch.session.keys.push([dave, dave, { aura: dave, grandpa: daveGrandpa }]);
  specPath = join(dir, 'local-4.json');
  writeFileSync(specPath, JSON.stringify(spec));

  let bootnode: string | undefined;
  for (const [i, name] of NODES.entries()) {
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

test("a GRANDPA equivocation by Dave is reported, verified on chain, and removes him", async () => {
  const [api] = apis;
  const dave = new Keyring({ type: 'ed25519' }).addFromUri('//Dave');
  // Two prevotes for different blocks in the same round of the current set, both signed by Dave:
  // what a second node running with Dave's keys produces when it sees another best block.
  let report: any;
  for (let attempt = 0; attempt < 3 && !report; attempt++) {
    const at = await api.rpc.chain.getFinalizedHead();
    const setId = (await (await api.at(at)).call.grandpaApi.currentSetId()).toNumber();
    // The runtime API's raw result (polkadot.js's decoded one keeps a length prefix too many).
    const args = u8aConcat(api.createType('u64', setId).toU8a(), dave.publicKey);
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
      return [vote, dave.sign(payload)];
    };
    const equivocation = {
      setId,
      equivocation: { Prevote: { roundNumber: round, identity: dave.publicKey, first: prevote(1), second: prevote(2) } },
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
  assert.equal(who.toString(), acc.dave.address);
  const reportWeight = report.events.find(({ event }: any) => event.section === 'system' && event.method === 'ExtrinsicSuccess').event.data[0].weight.refTime.toBigInt();
  const transferWeight = (await api.tx.balances.transferKeepAlive(acc.bob.address, 1n).paymentInfo(acc.alice.address)).weight.refTime.toBigInt();
  console.log(`[measure] GRANDPA equivocation report weight: ${(Number(reportWeight) / Number(transferWeight)).toFixed(1)} x a transfer`);

  await waitUntil('Dave out of the session validators', 180_000, async () => !(await sessionValidators(api)).includes(acc.dave.address));
  const finalized = await finalizedNumber(api);
  await waitUntil('finality to go on without Dave', 90_000, async () => (await finalizedNumber(api)) >= finalized + 3);
});
