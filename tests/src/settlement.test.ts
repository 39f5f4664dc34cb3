// End-to-end: the settlement pallet on a real `--dev` node, through polkadot.js.
// - A three-leg DvP (a regulated security token against a stablecoin, with a venue fee) settles
//   atomically when the last party affirms; the runtime API predicted it would.
// - One delivering to a receiver without KYC is reported before anything is submitted, with the
//   compliance error, stays pending (not half-settled) when all affirm, and is rejected with
//   every hold released.
// - A cross-chain DvP: a delivery here, hash-locked, settles against an HTLC payment on a
//   second chain (another node) locked to the same SHA-256 digest.
// - An NFT (a deed of a regulated collection) against cash, in a venue whose receivers must
//   affirm: the buyer pre-approved the venue, so only the seller affirms; the deed is in escrow
//   meanwhile; `settlement_executionFailures` (JSON-RPC) reports what is missing.
// - A clearing cycle among four members with a defaulter: payments clear at once, the cycle
//   settles in one transfer per member, the defaulter's collateral covers part of its debt and
//   the creditors share the rest; a bilateral credit limit refuses a payment within the cap,
//   and `settlement_member` (JSON-RPC) reports its use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { createHash, randomBytes } from 'node:crypto';
import { useDevChain, type DevChain } from './lib/dev-chain.ts';
import { connect, eventData, freeBalance, submitFails, submitOk, waitUntil } from './lib/chain.ts';
import { RunningNode, freePort } from './lib/node.ts';
import { j, registerKycRuleSet, kycClaim, registerSecurityTemplate } from './lib/regulated.ts';

const SECURITY = 5001;
const CASH = 5002;
const DEEDS = 5003;

let api: ApiPromise;
let rpc: WsProvider;
let acc: DevChain['acc'];
useDevChain('settlement', (chain) => ({ api, rpc, acc } = chain));

const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);


async function units(asset: number, who: string): Promise<bigint> {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

/** The runtime API's report, with module errors named `section.Name`. */
async function failures(id: number): Promise<string[]> {
  const report = (await (api.call as any).settlementApi.executionFailures(id)) as any[];
  return report.map((failure: any) => {
    const kind = failure.type as string;
    if (kind !== 'Refused') return kind;
    const { leg, error } = failure.asRefused;
    const name = error.isModule
      ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(error.asModule))
      : error.type;
    return `Refused(leg ${leg.toNumber()}: ${name})`;
  });
}

const leg = (from: KeyringPair, to: KeyringPair, asset: number, amount: number) => ({
  from: from.address,
  to: to.address,
  asset: { Fungible: { asset: { WithId: asset }, amount } },
  hashLock: null,
});

const nftLeg = (from: KeyringPair, to: KeyringPair, collection: number, item: number) => ({
  from: from.address,
  to: to.address,
  asset: { Nft: { collection, item } },
  hashLock: null,
});

/** `settlement_executionFailures` over JSON-RPC: `reason` (and the leg) of each failure. */
async function rpcFailures(id: number): Promise<string[]> {
  const report = (await rpc.send('settlement_executionFailures', [id])) as any[];
  return report.map((f) => (f.leg === null ? f.reason : `${f.reason}(${f.leg})`));
}

test('set-up: a regulated security token for KYC’d holders, and a stablecoin', async () => {
  const { alice, bob, charlie, ferdie } = acc;
  const sudo = (call: SubmittableExtrinsic<'promise'>) => ok(api.tx.sudo.sudo(call), alice);
  await sudo(api.tx.compliance.addTrustedIssuer(ferdie.address, [j('DE'), j('FR')]));
  const ruleSet = await registerKycRuleSet(api, sudo);
  const template = await registerSecurityTemplate(api, sudo);
  await ok(api.tx.tokenization.createToken(SECURITY, template, 'Acme Share', 'ACME', null, '0x' + '77'.repeat(32)), alice);
  const noLimits = { maxHolders: null, maxBalance: null, maxTransfer: null, velocity: null, reviewThreshold: null };
  await ok(api.tx.compliance.setTokenRules(SECURITY, { ruleSet, limits: noLimits }), alice);
  // A collection of property deeds under the same rules; Alice holds deed 1.
  const nftTemplate = await registerSecurityTemplate(api, sudo, 'NftCollection');
  await ok(api.tx.tokenization.createToken(DEEDS, nftTemplate, 'Acme Deeds', 'DEED', null, '0x' + '78'.repeat(32)), alice);
  await ok(api.tx.compliance.setTokenRules(DEEDS, { ruleSet, limits: noLimits }), alice);
  await ok(
    api.tx.utility.batchAll([
      api.tx.compliance.attestClaim(alice.address, kycClaim('DE')),
      api.tx.compliance.attestClaim(bob.address, kycClaim('FR')),
    ]),
    ferdie,
  );
  await ok(api.tx.tokenization.mint(SECURITY, alice.address, 1_000), alice);
  await ok(api.tx.tokenization.mintNft(DEEDS, 1, alice.address, 'deed: 1 Main St'), alice);

  // The stablecoin: a plain `pallet-assets` token Charlie issues (no transfer rules).
  await ok(api.tx.assets.create(CASH, charlie.address, 1), charlie);
  await ok(
    api.tx.utility.batchAll(
      [alice, bob, charlie, acc.dave, acc.eve].map((who) => api.tx.assets.mint(CASH, who.address, 100_000)),
    ),
    charlie,
  );
});

test('a three-leg DvP settles atomically on the last affirmation', async () => {
  const { alice, bob, charlie } = acc;
  // Charlie, the venue, proposes: Alice delivers 100 shares to Bob against 5_000 cash, and Bob
  // pays Charlie a fee of 50.
  const created = await ok(
    api.tx.settlement.createInstruction(
      null,
      [leg(alice, bob, SECURITY, 100), leg(bob, alice, CASH, 5_000), leg(bob, charlie, CASH, 50)],
      'OnAffirmation',
      false,
      (await api.rpc.chain.getHeader()).number.toNumber() + 100,
    ),
    charlie,
  );
  const id = eventData(created, 'settlement', 'InstructionCreated').id.toNumber();
  assert.deepEqual(await failures(id), ['SenderNotAffirmed', 'SenderNotAffirmed', 'SenderNotAffirmed']);

  await ok(api.tx.settlement.affirm(id), alice);
  assert.deepEqual(await failures(id), ['SenderNotAffirmed', 'SenderNotAffirmed']);
  const before = { aliceCash: await units(CASH, alice.address), bobCash: await units(CASH, bob.address) };
  const settled = await ok(api.tx.settlement.affirm(id), bob);
  eventData(settled, 'settlement', 'Executed');
  assert.equal(await units(SECURITY, bob.address), 100n);
  assert.equal(await units(SECURITY, alice.address), 900n);
  assert.equal(await units(CASH, alice.address), before.aliceCash + 5_000n);
  assert.equal(await units(CASH, bob.address), before.bobCash - 5_050n);
  assert.equal(await units(CASH, charlie.address), 100_050n);
  assert.ok(((await api.query.settlement.instructions(id)) as any).isNone, 'a settled instruction is removed');
});

test('a delivery to a receiver without KYC is reported before submission and never half-settles', async () => {
  const { alice, charlie, dave } = acc;
  const created = await ok(
    api.tx.settlement.createInstruction(
      null,
      [leg(alice, dave, SECURITY, 10), leg(dave, alice, CASH, 500)],
      'OnAffirmation',
      false,
      (await api.rpc.chain.getHeader()).number.toNumber() + 100,
    ),
    charlie,
  );
  const id = eventData(created, 'settlement', 'InstructionCreated').id.toNumber();
  const report = await failures(id);
  assert.ok(report.includes('Refused(leg 0: compliance.ClaimMissing)'), report.join(', '));

  await ok(api.tx.settlement.affirm(id), alice);
  const affirmed = await ok(api.tx.settlement.affirm(id), dave);
  const failed = eventData(affirmed, 'settlement', 'ExecutionFailed');
  assert.equal(failed.error.isModule, true);
  assert.equal(api.registry.findMetaError(failed.error.asModule).name, 'ClaimMissing');
  // Nothing moved; both sides' units are held for the instruction.
  assert.equal(await units(SECURITY, dave.address), 0n);
  assert.equal(await units(CASH, dave.address), 100_000n - 500n, 'Dave’s cash is on hold, not paid');

  await ok(api.tx.settlement.reject(id), dave);
  assert.equal(await units(CASH, dave.address), 100_000n);
  assert.equal(await units(SECURITY, alice.address), 900n);
});

test('a cross-chain DvP: the delivery settles against an HTLC payment on a second chain', async () => {
  const { alice, bob } = acc;
  const chainB = await RunningNode.start({ name: 'settlement-chain-b', args: ['--dev', '--tmp'], prometheusPort: await freePort() });
  const apiB = await connect(chainB.wsUrl);
  try {
    // Alice, the seller, holds the secret.
    const secret = randomBytes(32);
    const digest = '0x' + createHash('sha256').update(secret).digest('hex');

    // Here: Alice delivers 20 shares to Bob, locked to the digest, for 1_200 blocks; both affirm.
    const expiresAt = (await api.rpc.chain.getHeader()).number.toNumber() + 1_200;
    const created = await ok(
      api.tx.settlement.createInstruction(
        null,
        [{ ...leg(alice, bob, SECURITY, 20), hashLock: digest }],
        'OnAffirmation',
        true,
        expiresAt,
      ),
      alice,
    );
    const id = eventData(created, 'settlement', 'InstructionCreated').id.toNumber();
    await ok(api.tx.settlement.affirm(id), alice);
    await ok(api.tx.settlement.affirm(id), bob);
    // Committed: Alice cannot back out once Bob may pay on the other chain.
    await submitFails(api, api.tx.settlement.withdrawAffirmation(id), alice, 'settlement.Committed');
    assert.deepEqual(await failures(id), ['PreimageMissing']);

    // There: Bob pays Alice 1_000 TPW through an HTLC on the same digest, for less time (600
    // blocks) than the instruction has left here.
    const amount = 1_000n * 10n ** 12n;
    const locked = await submitOk(
      apiB,
      apiB.tx.htlc.lock(alice.address, { Native: null }, amount, digest, 'Sha256', 600),
      bob,
    );
    const swapId = eventData(locked, 'htlc', 'Locked').swapId.toNumber();

    // Alice claims it there, which publishes the secret...
    const aliceBefore = await freeBalance(apiB, alice.address);
    const claimed = await submitOk(apiB, apiB.tx.htlc.claim(swapId, '0x' + secret.toString('hex')), alice);
    const preimage = eventData(claimed, 'htlc', 'Claimed').preimage.toHex();
    assert.ok((await freeBalance(apiB, alice.address)) > aliceBefore, 'Alice is paid on chain B');

    // ...which Bob reveals here: the delivery settles.
    const sharesBefore = await units(SECURITY, bob.address);
    const revealed = await ok(api.tx.settlement.revealPreimage(id, preimage), bob);
    eventData(revealed, 'settlement', 'Executed');
    assert.equal(await units(SECURITY, bob.address), sharesBefore + 20n);
  } finally {
    await apiB.disconnect();
    await chainB.stop();
  }
});

test('a deed against cash in a venue: the pre-approved buyer need not affirm, the deed waits in escrow', async () => {
  const { alice, bob, charlie } = acc;
  // Charlie runs a venue whose receivers must affirm; Bob, a regular buyer, pre-approves it.
  const venueCreated = await ok(api.tx.settlement.createVenue(true), charlie);
  const venue = eventData(venueCreated, 'settlement', 'VenueCreated').venue.toNumber();
  await ok(api.tx.settlement.preapproveVenue(venue), bob);
  // Only the venue's owner creates instructions in it.
  const expiresAt = (await api.rpc.chain.getHeader()).number.toNumber() + 100;
  const legs = [nftLeg(alice, bob, DEEDS, 1), leg(bob, alice, CASH, 30_000)];
  await submitFails(
    api,
    api.tx.settlement.createInstruction(venue, legs, 'OnAffirmation', false, expiresAt),
    alice,
    'settlement.NotVenueOwner',
  );
  const created = await ok(api.tx.settlement.createInstruction(venue, legs, 'OnAffirmation', false, expiresAt), charlie);
  const id = eventData(created, 'settlement', 'InstructionCreated').id.toNumber();
  // Bob receives the deed without affirming; Alice must affirm the cash she receives.
  assert.deepEqual(await rpcFailures(id), ['senderNotAffirmed(0)', 'senderNotAffirmed(1)', 'receiverNotAffirmed(1)']);

  const escrowed = await ok(api.tx.settlement.affirm(id), alice);
  eventData(escrowed, 'tokenization', 'NftEscrowed');
  await submitFails(api, api.tx.tokenization.transferNft(DEEDS, 1, acc.dave.address), alice, 'tokenization.ItemEscrowed');
  assert.deepEqual(await rpcFailures(id), ['senderNotAffirmed(1)']);
  const cashBefore = await units(CASH, alice.address);
  const settled = await ok(api.tx.settlement.affirm(id), bob);
  const moved = eventData(settled, 'tokenization', 'NftTransferred');
  assert.equal(moved.to.toString(), bob.address);
  eventData(settled, 'settlement', 'Executed');
  assert.equal(await units(CASH, alice.address), cashBefore + 30_000n);
  assert.deepEqual(await rpcFailures(id), ['unknownInstruction']);
  // The deed is Bob's to move again.
  await ok(api.tx.tokenization.transferNft(DEEDS, 1, alice.address), bob);
});

test('a clearing cycle among four members, one of them defaulting', async () => {
  const { alice, bob, charlie, dave, eve } = acc;
  const CYCLE = 1_000; // Closed by hand below.
  const created = await ok(api.tx.sudo.sudo(api.tx.settlement.createScheme(charlie.address, { WithId: CASH }, CYCLE)), alice);
  const scheme = eventData(created, 'settlement', 'SchemeCreated').scheme.toNumber();
  await ok(api.tx.settlement.openScheme(scheme), charlie);
  await ok(
    api.tx.utility.batchAll([alice, bob, dave, eve].map((m) => api.tx.settlement.addMember(scheme, m.address, 50_000))),
    charlie,
  );
  // A bilateral limit: Dave lets Alice owe him at most 20_000 net. A payment of 25_000 is
  // within Alice's cap of 50_000 but beyond Dave's limit; Dave's own payment to Alice (below)
  // leaves room.
  await ok(api.tx.settlement.setCreditLimit(scheme, alice.address, 20_000), dave);
  await submitFails(api, api.tx.settlement.pay(scheme, dave.address, 25_000), alice, 'settlement.OverCreditLimit');
  // Eve posts 20_000 as collateral and will owe 150_000 net, which her cap does not allow...
  await ok(api.tx.settlement.postCollateral(scheme, 20_000), eve);
  await ok(api.tx.settlement.setNetDebitCap(scheme, eve.address, 200_000), charlie);
  // ...and then she moves most of her free cash away: the netting cannot collect it all.
  await ok(api.tx.assets.transfer(CASH, charlie.address, 75_000), eve);
  const cashBefore = Object.fromEntries(
    await Promise.all([alice, bob, dave, eve].map(async (m) => [m.address, await units(CASH, m.address)] as const)),
  );

  // Cleared at once: no units move. (Four payers at once, Eve's two payments in one batch.)
  const cleared = await Promise.all([
    ok(api.tx.settlement.pay(scheme, bob.address, 30_000), alice),
    ok(api.tx.settlement.pay(scheme, dave.address, 10_000), bob),
    ok(api.tx.settlement.pay(scheme, alice.address, 25_000), dave),
    ok(
      api.tx.utility.batchAll([
        api.tx.settlement.pay(scheme, alice.address, 100_000),
        api.tx.settlement.pay(scheme, bob.address, 50_000),
      ]),
      eve,
    ),
  ]);
  const clearedCount = cleared
    .flatMap((out) => out.events)
    .filter(({ event }) => event.section === 'settlement' && event.method === 'PaymentCleared').length;
  assert.equal(clearedCount, 5);
  // Alice owes Dave nothing net (he paid her 25_000): her line has room for 45_000 now.
  const standing = (await rpc.send('settlement_member', [scheme, alice.address])) as any;
  assert.deepEqual(standing.creditLimits, [{ creditor: dave.address, limit: '20000', used: '0' }]);
  assert.equal(standing.received, '125000');
  await ok(api.tx.settlement.pay(scheme, dave.address, 45_000), alice);
  assert.equal(await units(CASH, alice.address), cashBefore[alice.address]);
  const position = (await api.query.settlement.positions([scheme, 0], eve.address)) as any;
  assert.equal(position.paid.toBigInt(), 150_000n);

  // Nets: Alice +50_000, Bob +70_000, Dave +30_000, Eve -150_000 (she has 5_000 free and
  // 20_000 of collateral: a shortfall of 125_000, shared by the others 50:70:30).
  await ok(api.tx.settlement.closeCycle(scheme), dave);
  await waitUntil('the cycle to settle', 60_000, async () =>
    ((await api.query.settlement.lastSettled(scheme)) as any).isSome,
  );
  const summary = ((await api.query.settlement.lastSettled(scheme)) as any).unwrap();
  assert.equal(summary.gross.toBigInt(), 260_000n);
  assert.equal(summary.net.toBigInt(), 150_000n);
  assert.equal(summary.shortfall.toBigInt(), 125_000n);
  assert.ok(summary.transfers.toNumber() <= 4, `${summary.transfers} transfers for four members`);

  const collected = 25_000n;
  const share = (credit: bigint) => (credit * collected) / 150_000n;
  assert.equal(await units(CASH, alice.address), cashBefore[alice.address] + share(50_000n));
  assert.equal(await units(CASH, bob.address), cashBefore[bob.address] + share(70_000n));
  assert.equal(await units(CASH, dave.address), cashBefore[dave.address] + share(30_000n));
  assert.equal(await units(CASH, eve.address), 0n);
  const eveRecord = ((await api.query.settlement.members(scheme, eve.address)) as any).unwrap();
  assert.equal(eveRecord.suspended.isTrue, true);
  assert.equal(eveRecord.collateral.toBigInt(), 0n);

  // The scheme ends: not while it has members; then its float and the netting's rounding
  // residue go back to the operator, and it makes room for another.
  await submitFails(api, api.tx.settlement.dissolveScheme(scheme), charlie, 'settlement.SchemeHasMembers');
  await ok(
    api.tx.utility.batchAll([alice, bob, dave, eve].map((m) => api.tx.settlement.removeMember(scheme, m.address))),
    charlie,
  );
  const float = ((await api.query.settlement.schemes(scheme)) as any).unwrap().float.toBigInt();
  const schemes = ((await api.query.settlement.schemeCount()) as any).toNumber();
  const operatorCash = await units(CASH, charlie.address);
  const dissolved = eventData(await ok(api.tx.settlement.dissolveScheme(scheme), charlie), 'settlement', 'SchemeDissolved');
  const returned = dissolved.returned.toBigInt();
  // 25_000 shared 50:70:30 rounds down to 8_333 + 11_666 + 5_000: one unit of residue.
  assert.equal(returned, float + 1n);
  assert.equal(await units(CASH, charlie.address), operatorCash + returned);
  assert.ok(((await api.query.settlement.schemes(scheme)) as any).isNone);
  assert.equal(((await api.query.settlement.schemeCount()) as any).toNumber(), schemes - 1);
});
