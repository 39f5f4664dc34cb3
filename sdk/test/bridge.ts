// Bridge transfers through the SDK: refused until governance sets the bridge up, then queued as a
// message with its nonce and fee, within the asset's rate limit. Delivery to another chain with the
// relayer is relayer/e2e.sh's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TxFailed } from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';

const OTHER_CHAIN = '0x' + '42'.repeat(32);

export function bridgeTests(chain: () => DevChain) {
  describe('bridge', () => {
    test('a transfer is queued as a message once governance lists the asset; over the limit it is refused', async () => {
      const { sdk, acc, root } = chain();
      const { alice, bob } = acc;
      await rejectsWith(sdk.bridge.transfer(alice, 'TPW', 5n * UNIT, bob.address), TxFailed, 'bridge.NotConfigured');
      await root(sdk.api.tx.bridge.setBridgedChain(OTHER_CHAIN));
      await root(sdk.api.tx.bridge.listAsset({ Native: null }, { maxPerWindow: 50n * UNIT, window: 100 }));
      const sent = await sdk.bridge.transfer(alice, 'TPW', 20n * UNIT, bob.address);
      assert.equal(sent.nonce, 1n);
      assert.equal(sent.destination, OTHER_CHAIN);
      assert.ok(sent.deliveryFee > 0n);
      await rejectsWith(sdk.bridge.transfer(alice, 'TPW', 31n * UNIT, bob.address), TxFailed, 'bridge.RateLimitExceeded');
      await rejectsWith(sdk.bridge.transfer(alice, 999, 5n, bob.address), TxFailed, 'bridge.AssetNotBridgeable');
    });
  });
}
