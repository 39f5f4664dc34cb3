// Hash-time-locked swaps through the SDK: claimed with the preimage, refunded after expiry, and
// the refusals in between.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TxFailed, hashLock, newSecret } from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';

export function swapTests(chain: () => DevChain) {
  describe('swaps', () => {
    test('lock and claim with the preimage; a wrong preimage is refused', async () => {
      const { sdk, acc } = chain();
      const { alice, bob, charlie } = acc;
      const secret = newSecret();
      assert.equal(secret.hashLock, hashLock(secret.preimage, 'Sha256'));
      const locked = await sdk.swaps.lock(alice, {
        recipient: bob.address,
        asset: 'TPW',
        amount: 10n * UNIT,
        hashLock: secret.hashLock,
        duration: 600,
      });
      assert.ok(locked.deposit > 0n);
      const open = await sdk.swaps.info(locked.swap);
      assert.deepEqual(
        [open?.sender, open?.recipient, open?.amount, open?.hashLock, open?.expiresAt],
        [alice.address, bob.address, 10n * UNIT, secret.hashLock, locked.expiresAt],
      );
      await rejectsWith(sdk.swaps.claim(charlie, locked.swap, '0x' + '00'.repeat(32)), TxFailed, 'htlc.WrongPreimage');
      await rejectsWith(sdk.swaps.refund(charlie, locked.swap), TxFailed, 'htlc.SwapNotExpired');
      const bobBefore = (await sdk.nativeBalance(bob.address)).free;
      const claimed = await sdk.swaps.claim(charlie, locked.swap, secret.preimage);
      assert.equal(claimed.amount, 10n * UNIT);
      assert.equal((await sdk.nativeBalance(bob.address)).free - bobBefore, 10n * UNIT);
      assert.equal(await sdk.swaps.info(locked.swap), null);
      await rejectsWith(sdk.swaps.claim(charlie, locked.swap, secret.preimage), TxFailed, 'htlc.SwapNotFound');
      await assert.rejects(
        sdk.swaps.lock(alice, { recipient: bob.address, asset: 'TPW', amount: 1n, hashLock: '0x1234', duration: 600 }),
        RangeError,
      );
    });

    test('an expired lock is refunded; a too-short one is refused', async () => {
      const { sdk, acc, root, bestAtLeast } = chain();
      const { alice, bob, dave } = acc;
      await rejectsWith(
        sdk.swaps.lock(alice, { recipient: bob.address, asset: 'TPW', amount: UNIT, hashLock: newSecret().hashLock, duration: 2 }),
        TxFailed,
        'htlc.DurationTooShort',
      );
      // A test network shortens the minimum lock (governance's parameter).
      await root(sdk.api.tx.parameters.setParameter({ Htlc: { MinLockDuration: [null, 2] } } as any));
      const secret = newSecret('Blake2_256');
      const locked = await sdk.swaps.lock(alice, {
        recipient: bob.address,
        asset: 'TPW',
        amount: UNIT,
        hashLock: secret.hashLock,
        algorithm: 'Blake2_256',
        duration: 2,
      });
      await bestAtLeast(locked.expiresAt);
      await rejectsWith(sdk.swaps.claim(dave, locked.swap, secret.preimage), TxFailed, 'htlc.SwapExpired');
      const refunded = await sdk.swaps.refund(dave, locked.swap);
      assert.equal(refunded.amount, UNIT);
      assert.equal(await sdk.swaps.info(locked.swap), null);
    });
  });
}
