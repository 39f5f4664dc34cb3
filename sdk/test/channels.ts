// Payment channels through the SDK: states signed over the runtime's payload, a cooperative
// close, a stale unilateral close beaten by a watchtower's challenge, and the refusals.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hexToU8a } from '@polkadot/util';
import { TxFailed, channelState, nextState } from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';

/** A short challenge period for the test (blocks); governance sets it. */
const CHALLENGE_PERIOD = 3;

export function channelTests(chain: () => DevChain) {
  describe('payment channels', () => {
    test('open, top up, cooperative close at the final balances', async () => {
      const { sdk, acc } = chain();
      const { alice, bob, charlie } = acc;
      await rejectsWith(sdk.channels.open(alice, bob.address, 'TPW', 1n), TxFailed, 'paymentChannels.DepositBelowMinimum');
      const { channel, storageDeposit } = await sdk.channels.open(alice, bob.address, 'TPW', 100n * UNIT);
      assert.ok(storageDeposit > 0n);
      await sdk.channels.topUp(bob, channel, 50n * UNIT);
      const info = await sdk.channels.info(channel);
      assert.deepEqual(
        [info?.partyA, info?.partyB, info?.asset, info?.depositA, info?.depositB, info?.status],
        [alice.address, bob.address, 'Native', 100n * UNIT, 50n * UNIT, 'open'],
      );

      // Off chain: Alice pays Bob 10 three times, each state co-signed and kept by both.
      let latest = channelState(channel, 0n, [100n * UNIT, 50n * UNIT], [100n * UNIT, 50n * UNIT]);
      for (let i = 0; i < 3; i++) {
        latest = nextState(latest, 'A', 10n * UNIT);
        await sdk.channels.signState(latest, alice, bob);
      }
      assert.throws(() => nextState(latest, 'A', 71n * UNIT), RangeError, 'Alice has 70 left');
      assert.throws(() => nextState(latest, 'B', 0n), RangeError);
      const final = latest;
      assert.deepEqual([final.nonce, final.balances], [3n, [70n * UNIT, 80n * UNIT]]);
      // Signed under the update tag, a state cannot close cooperatively.
      await rejectsWith(
        sdk.channels.cooperativeClose(
          charlie,
          final,
          await sdk.channels.sign('Update', final, alice),
          await sdk.channels.sign('Close', final, bob),
        ),
        TxFailed,
        'paymentChannels.BadSignature',
      );
      const closed = await sdk.channels.cooperativeClose(
        charlie,
        final,
        await sdk.channels.sign('Close', final, alice),
        await sdk.channels.sign('Close', final, bob),
      );
      assert.deepEqual([closed.payoutA, closed.payoutB], [70n * UNIT, 80n * UNIT]);
      assert.equal(await sdk.channels.info(channel), null);
    });

    test('a stale unilateral close loses to the newer state a watchtower submits', async () => {
      const { sdk, acc, root, bestAtLeast } = chain();
      const { alice, bob, charlie, dave } = acc;
      await root(
        sdk.api.tx.parameters.setParameter({ PaymentChannels: { ChallengePeriod: [null, CHALLENGE_PERIOD] } } as any),
      );
      const deposits: [bigint, bigint] = [100n * UNIT, 100n * UNIT];
      const { channel } = await sdk.channels.open(alice, bob.address, 'TPW', deposits[0]);
      await sdk.channels.topUp(bob, channel, deposits[1]);
      const older = await sdk.channels.signState(channelState(channel, 1n, [140n * UNIT, 60n * UNIT], deposits), alice, bob);
      const newer = await sdk.channels.signState(channelState(channel, 2n, [50n * UNIT, 150n * UNIT], deposits), alice, bob);
      // A forged signature is refused.
      const forged = { ...newer, sigB: await sdk.channels.sign('Update', newer.state, alice) };
      await rejectsWith(sdk.channels.close(alice, channel, forged), TxFailed, 'paymentChannels.BadSignature');

      const { closesAt } = await sdk.channels.close(alice, channel, older);
      assert.equal((await sdk.channels.info(channel))?.nonce, 1n);
      await rejectsWith(sdk.channels.settle(dave, channel), TxFailed, 'paymentChannels.ChallengePeriodNotOver');
      const challenged = await sdk.channels.challenge(charlie, newer);
      assert.ok(challenged.closesAt >= closesAt);
      await rejectsWith(sdk.channels.challenge(charlie, older), TxFailed, 'paymentChannels.StaleState');
      const closing = await sdk.channels.info(channel);
      assert.deepEqual([closing?.status, closing?.nonce, closing?.closer], ['closing', 2n, alice.address]);

      await bestAtLeast(challenged.closesAt);
      const settled = await sdk.channels.settle(dave, channel);
      assert.deepEqual([settled.payoutA, settled.payoutB], [50n * UNIT, 150n * UNIT]);
      await rejectsWith(sdk.channels.settle(dave, channel), TxFailed, 'paymentChannels.UnknownChannel');
    });

    test('states are signed by raw signers, and the payload is the runtime’s', async () => {
      const { sdk, acc } = chain();
      const state = channelState(5n, 1n, [1n, 2n], [1n, 2n]);
      const payload = await sdk.channels.payload('Update', state);
      // A signer that is not a keyring pair (a key held elsewhere) signs the exact same bytes.
      let seen: Uint8Array | undefined;
      const external = {
        address: acc.alice.address,
        sign: async (bytes: Uint8Array) => {
          seen = bytes;
          return acc.alice.sign(bytes);
        },
      };
      const sig = await sdk.channels.sign('Update', state, external);
      assert.deepEqual(seen, payload);
      assert.ok(acc.alice.verify(payload, hexToU8a(sig.Sr25519), acc.alice.publicKey));
      // Update and Close payloads differ (domain separation), and so do two nonces.
      assert.notDeepEqual(await sdk.channels.payload('Close', state), payload);
      assert.notDeepEqual(await sdk.channels.payload('Update', { ...state, nonce: 2n }), payload);
    });
  });
}
