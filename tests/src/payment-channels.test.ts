// End-to-end: payment channels on a real `--dev` node, through polkadot.js. States are signed over
// the exact bytes the runtime API (`PaymentChannelsApi.state_payload`) gives; a cooperative close
// settles at once; a stale unilateral close is defeated by a newer state that a third account
// (a watchtower) submits; forged, misdirected and early submissions are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WsProvider, ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex, compactStripLength } from '@polkadot/util';
import { useDevChain, type DevChain } from './lib/dev-chain.ts';
import { bestNumber, eventData, freeBalance, submitFails, submitOk, waitUntil } from './lib/chain.ts';

const UNIT = 10n ** 12n;
/** A short challenge period for the test (blocks); governance sets it through sudo. */
const CHALLENGE_PERIOD = 4;

let api: ApiPromise;
let rpc: WsProvider;
let acc: DevChain['acc'];
useDevChain('channels', (chain) => ({ api, rpc, acc } = chain));

const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const fails = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, error: string) =>
  submitFails(api, tx, signer, error);

interface State {
  channel: number;
  nonce: number;
  balances: [bigint, bigint];
  deposits: [bigint, bigint];
  pending: [bigint, bigint];
  conditionsRoot: Uint8Array;
}

function state(channel: number, nonce: number, balances: [bigint, bigint], deposits: [bigint, bigint]): State {
  return { channel, nonce, balances, deposits, pending: [0n, 0n], conditionsRoot: new Uint8Array(32) };
}

/** `signer`'s signature over the payload the runtime says `state` is signed as. */
async function sign(kind: 'Update' | 'Close', s: State, signer: KeyringPair) {
  const result = await api.call.paymentChannelsApi.statePayload(kind, s);
  // polkadot.js keeps the `Vec<u8>` result SCALE-encoded: drop its length prefix.
  const [, payload] = compactStripLength((result as any).toU8a(true));
  return { Sr25519: u8aToHex(signer.sign(payload)) };
}

async function signedState(s: State, a: KeyringPair, b: KeyringPair) {
  return { state: s, sigA: await sign('Update', s, a), sigB: await sign('Update', s, b) };
}

/** Storage deposits held from each channel's opener (native), by channel id. */
const storageDeposits = new Map<number, bigint>();

async function open(a: KeyringPair, b: KeyringPair, depositA: bigint, depositB: bigint): Promise<number> {
  const heldBefore = await storageHeld(a.address);
  const out = await ok(api.tx.paymentChannels.open(b.address, { Native: null }, depositA), a);
  const opened = eventData(out, 'paymentChannels', 'ChannelOpened') as any;
  const channel = opened.channel.toNumber();
  // The opener holds the channel's storage deposit, as the event says, until settlement.
  const storageDeposit = opened.storageDeposit.toBigInt() as bigint;
  assert.ok(storageDeposit > 0n, 'a channel is not free to store');
  assert.equal(await storageHeld(a.address), heldBefore + storageDeposit);
  storageDeposits.set(channel, storageDeposit);
  await ok(api.tx.paymentChannels.topUp(channel, depositB), b);
  return channel;
}

/** Native held from `who` for channels' storage. */
async function storageHeld(who: string): Promise<bigint> {
  const holds = (await api.query.balances.holds(who)) as any;
  const entry = holds.find((h: any) => h.id.isPaymentChannels && h.id.asPaymentChannels.isStorageDeposit);
  return entry ? entry.amount.toBigInt() : 0n;
}

test('a channel below the asset minimum is refused', async () => {
  // 1 planck used to open a channel: now the opening deposit must reach the minimum balance.
  await fails(api.tx.paymentChannels.open(acc.bob.address, { Native: null }, 1), acc.alice, 'paymentChannels.DepositBelowMinimum');
});

async function channelJson(id: number): Promise<any> {
  return rpc.send('paymentChannels_channel', [id]);
}

test('governance shortens the challenge period for this test network', async () => {
  const out = await ok(
    api.tx.sudo.sudo(api.tx.parameters.setParameter({ PaymentChannels: { ChallengePeriod: [null, CHALLENGE_PERIOD] } } as any)),
    acc.alice,
  );
  const updated = eventData(out, 'parameters', 'Updated') as any;
  assert.ok(updated, 'parameters.Updated');
  assert.deepEqual(updated.newValue.toJSON(), { paymentChannels: { challengePeriod: CHALLENGE_PERIOD } });
  const stored = await api.query.parameters.parameters({ PaymentChannels: { ChallengePeriod: null } });
  assert.deepEqual((stored as any).toJSON(), { paymentChannels: { challengePeriod: CHALLENGE_PERIOD } });
});

test('a cooperative close settles at once with the final balances', async () => {
  const { alice, bob, charlie } = acc;
  const id = await open(alice, bob, 100n * UNIT, 50n * UNIT);
  const info = await channelJson(id);
  assert.equal(info.status, 'open');
  assert.equal(info.depositA, (100n * UNIT).toString());
  assert.equal(info.depositB, (50n * UNIT).toString());

  // Off chain, Alice paid Bob 30 in many updates; the final state settles it.
  const final = state(id, 1000, [70n * UNIT, 80n * UNIT], [100n * UNIT, 50n * UNIT]);
  const [aliceBefore, bobBefore] = [await freeBalance(api, alice.address), await freeBalance(api, bob.address)];
  // A close signed under the update tag, or by someone else, is refused.
  await fails(
    api.tx.paymentChannels.cooperativeClose(id, final, await sign('Update', final, alice), await sign('Close', final, bob)),
    charlie,
    'paymentChannels.BadSignature',
  );
  await fails(
    api.tx.paymentChannels.cooperativeClose(id, final, await sign('Close', final, charlie), await sign('Close', final, bob)),
    charlie,
    'paymentChannels.BadSignature',
  );
  const out = await ok(
    api.tx.paymentChannels.cooperativeClose(id, final, await sign('Close', final, alice), await sign('Close', final, bob)),
    charlie,
  );
  const settled = eventData(out, 'paymentChannels', 'ChannelSettled') as any;
  assert.equal(settled.payoutA.toBigInt(), 70n * UNIT);
  assert.equal(settled.payoutB.toBigInt(), 80n * UNIT);
  // Charlie paid the fee: each party's free balance grew by exactly its payout, and Alice's by
  // the storage deposit too.
  assert.equal((await freeBalance(api, alice.address)) - aliceBefore, 70n * UNIT + storageDeposits.get(id)!);
  assert.equal((await freeBalance(api, bob.address)) - bobBefore, 80n * UNIT);
  assert.equal(await channelJson(id), null);
});

test('a stale unilateral close loses to the newer state a watchtower submits', async () => {
  const { alice, bob, charlie, dave } = acc;
  const id = await open(alice, bob, 100n * UNIT, 100n * UNIT);
  const deposits: [bigint, bigint] = [100n * UNIT, 100n * UNIT];
  // State 1: Bob has paid Alice 40; state 2: Alice then paid Bob 90 (Alice is down 50).
  const older = await signedState(state(id, 1, [140n * UNIT, 60n * UNIT], deposits), alice, bob);
  const newer = await signedState(state(id, 2, [50n * UNIT, 150n * UNIT], deposits), alice, bob);

  // A state for another channel, or with a forged signature, is refused.
  const other = await signedState(state(id + 100, 3, [100n * UNIT, 100n * UNIT], deposits), alice, bob);
  await fails(api.tx.paymentChannels.close(id, other), alice, 'paymentChannels.WrongChannel');
  const forged = { ...newer, sigB: await sign('Update', newer.state, alice) };
  await fails(api.tx.paymentChannels.close(id, forged), alice, 'paymentChannels.BadSignature');

  // Alice closes with the stale state that favours her.
  const closing = await ok(api.tx.paymentChannels.close(id, older), alice);
  const closesAt = (eventData(closing, 'paymentChannels', 'ChannelClosing') as any).closesAt.toNumber();
  assert.equal((await channelJson(id)).nonce, 1);
  await fails(api.tx.paymentChannels.close(id, newer), bob, 'paymentChannels.AlreadyClosing');
  await fails(api.tx.paymentChannels.settle(id), dave, 'paymentChannels.ChallengePeriodNotOver');

  // Charlie, watching for Bob, answers with the newer state; replaying the old one fails.
  const bobBefore = await freeBalance(api, bob.address);
  const challenged = await ok(api.tx.paymentChannels.challenge(id, newer), charlie);
  const newCloseAt = (eventData(challenged, 'paymentChannels', 'ClosingChallenged') as any).closesAt.toNumber();
  assert.ok(newCloseAt >= closesAt);
  await fails(api.tx.paymentChannels.challenge(id, older), charlie, 'paymentChannels.StaleState');
  await fails(api.tx.paymentChannels.challenge(id, newer), charlie, 'paymentChannels.StaleState');
  const info = await channelJson(id);
  assert.equal(info.status, 'closing');
  assert.equal(info.nonce, 2);

  await waitUntil('the challenge period to end', 60_000, async () => (await bestNumber(api)) >= newCloseAt);
  const out = await ok(api.tx.paymentChannels.settle(id), dave);
  const settled = eventData(out, 'paymentChannels', 'ChannelSettled') as any;
  assert.equal(settled.payoutA.toBigInt(), 50n * UNIT);
  assert.equal(settled.payoutB.toBigInt(), 150n * UNIT);
  assert.equal((await freeBalance(api, bob.address)) - bobBefore, 150n * UNIT);
  await fails(api.tx.paymentChannels.settle(id), dave, 'paymentChannels.UnknownChannel');
});
