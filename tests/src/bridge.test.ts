// End-to-end: the bridge pallets as a dApp sees them on a real `--dev` node, through polkadot.js:
// the chain's identity, the refusals before governance configures the bridge, a transfer queued
// as a message in state (exactly what the other chain will prove), the rate limit, and deliveries
// refused without a light-client header. Two chains with a relayer: relayer/e2e.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { useDevChain, type DevChain } from './lib/dev-chain.ts';
import { eventData, submitFails, submitOk, waitUntil } from './lib/chain.ts';

const UNIT = 10n ** 12n;
const OTHER_CHAIN = '0x' + '42'.repeat(32);
const NATIVE = { Native: null };

let api: ApiPromise;
let acc: DevChain['acc'];
useDevChain('bridge', (chain) => ({ api, acc } = chain));

const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const fails = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, error: string) =>
  submitFails(api, tx, signer, error);

test('bridge: identity, governance set-up, a transfer queued as a message, refusals', async () => {
  const { alice, bob, charlie } = acc;
  const sudo = (call: SubmittableExtrinsic<'promise'>) => ok(api.tx.sudo.sudo(call), alice);
  const genesis = api.genesisHash.toHex();

  // The chain names itself by its genesis hash (recorded in block 1).
  await waitUntil('block 1', 30_000, async () => ((await api.query.bridge.thisChain()) as any).isSome);
  assert.equal((await api.query.bridge.thisChain()).toString(), genesis);

  // Nothing moves, and no header is imported, before governance sets the bridge up.
  await fails(api.tx.bridge.transfer(NATIVE, 5n * UNIT, bob.address), alice, 'bridge.NotConfigured');
  const header = await api.rpc.chain.getHeader();
  const justification = { round: 1, commit: { targetHash: header.hash, targetNumber: header.number, precommits: [] }, votesAncestries: [] };
  await fails(
    api.tx.bridgeGrandpa.submitFinalityProofEx(header, justification, 0, false),
    charlie,
    // An uninitialised light client is halted (`BridgeModule(Halted)`).
    'bridgeGrandpa.BridgeModule',
  );
  await fails(api.tx.bridge.setBridgedChain(OTHER_CHAIN), alice, 'BadOrigin');

  await sudo(api.tx.bridge.setBridgedChain(OTHER_CHAIN));
  await sudo(api.tx.bridge.listAsset(NATIVE, { maxPerWindow: 50n * UNIT, window: 100 }));
  assert.equal((await api.query.bridge.bridgedChain()).toString(), OTHER_CHAIN);

  // Alice sends 20 TPW to Bob on the other chain: locked here, queued under nonce 1.
  const sent = await ok(api.tx.bridge.transfer(NATIVE, 20n * UNIT, bob.address), alice);
  const data = eventData(sent, 'bridge', 'TransferSent');
  assert.equal(data.nonce.toNumber(), 1);
  assert.equal(data.amount.toBigInt(), 20n * UNIT);
  const lane = ((await api.query.bridge.outboundLanes(OTHER_CHAIN)) as any).unwrap();
  assert.equal(lane.latestGenerated.toNumber(), 1);
  assert.equal(lane.latestConfirmed.toNumber(), 0);
  const message = ((await api.query.bridge.outboundMessages(OTHER_CHAIN, 1)) as any).unwrap();
  assert.equal(message.source.toString(), genesis);
  assert.equal(message.destination.toString(), OTHER_CHAIN);
  const mint = message.payload.asMint;
  assert.equal(mint.amount.toBigInt(), 20n * UNIT);
  assert.equal(mint.beneficiary.toString(), bob.address);
  assert.equal(((await api.query.bridge.listedAssets(NATIVE)) as any).unwrap().toBigInt(), 20n * UNIT);

  // The outbound rate limit: 50 per window, 20 used.
  await fails(api.tx.bridge.transfer(NATIVE, 31n * UNIT, bob.address), alice, 'bridge.RateLimitExceeded');
  // An asset nobody listed.
  await fails(api.tx.bridge.transfer({ WithId: 999 }, 5n, bob.address), alice, 'bridge.AssetNotBridgeable');

  // Deliveries: a lane for another chain, and a header the light client never finalized.
  const deliver = (source: string, destination: string) =>
    api.tx.bridge.deliverMessages(header.hash, { source, destination }, 1, 1, []);
  await fails(deliver(OTHER_CHAIN, OTHER_CHAIN), charlie, 'bridge.WrongDestination');
  await fails(deliver(genesis, genesis), charlie, 'bridge.UnknownSourceChain');
  await fails(deliver(OTHER_CHAIN, genesis), charlie, 'bridge.UnknownBridgedHeader');

  // The emergency brake.
  await sudo(api.tx.bridge.setPaused(true));
  await fails(api.tx.bridge.transfer(NATIVE, 5n * UNIT, bob.address), alice, 'bridge.BridgePaused');
});
