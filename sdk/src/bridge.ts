// Bridge transfers: tokens sent to an account on the bridged chain. The transfer is a message
// queued on this chain; the relayer proves it to the other chain, which credits the beneficiary.
import type { ApiPromise } from '@polkadot/api';
import type { Account } from './account.ts';
import { eventData, submitOk, type SubmitOptions } from './submit.ts';
import { assetKind } from './units.ts';

export class Bridge {
  constructor(
    private readonly api: ApiPromise,
    private readonly defaults: SubmitOptions,
  ) {}

  /**
   * Sends `amount` of `asset` to `beneficiary` on the bridged chain (a listed local asset is
   * locked in the vault, a wrapped one burned). Returns the message's nonce on the lane and the
   * delivery fee held from the sender until a relayer earns it.
   */
  async transfer(sender: Account, asset: 'TPW' | number, amount: bigint, beneficiary: string, options: SubmitOptions = {}) {
    const tx = this.api.tx.bridge.transfer(assetKind(asset), amount, beneficiary);
    const result = await submitOk(this.api, tx, sender, { ...this.defaults, ...options });
    const sent = eventData(result, 'bridge', 'TransferSent');
    const queued = eventData(result, 'bridge', 'MessageQueued');
    return {
      nonce: sent.nonce.toBigInt() as bigint,
      destination: queued.destination.toHex() as string,
      deliveryFee: queued.deliveryFee.toBigInt() as bigint,
      result,
    };
  }
}
