// @tpwallet/sdk: polkadot.js for tpwallet. `Tpwallet.connect(url)` gives an `ApiPromise` with
// tpwallet's RPC methods decorated and typed helpers for each flow; every helper takes the
// account that signs (a keyring pair or an injected signer) and returns results that count a
// failure nested in a batch, proxy or multisig as a failure.
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic, ApiOptions } from '@polkadot/api/types';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import type { Account } from './account.ts';
import { Bridge } from './bridge.ts';
import { Channels } from './channels.ts';
import { connect } from './connect.ts';
import { submit, submitOk, type SubmitOptions, type TxResult } from './submit.ts';
import { PaymentLinks } from './pay-links.ts';
import { Swaps } from './swaps.ts';
import { Tokens } from './tokens.ts';

import './augment-rpc.ts';

export * from './account.ts';
export type * from './augment-rpc.ts';
export * from './bridge.ts';
export * from './channels.ts';
export * from './connect.ts';
export * from './links.ts';
export * from './pay-links.ts';
export * from './qr.ts';
export { rpc, types } from './definitions.ts';
export * from './submit.ts';
export * from './swaps.ts';
export * from './tokens.ts';
export * from './units.ts';

export class Tpwallet {
  readonly tokens: Tokens;
  readonly channels: Channels;
  readonly swaps: Swaps;
  readonly bridge: Bridge;
  readonly links: PaymentLinks;

  /** `api` must have been created with `apiOptions` (or by `connect`) for the RPC helpers to work. */
  constructor(
    readonly api: ApiPromise,
    readonly defaults: SubmitOptions = {},
  ) {
    this.tokens = new Tokens(api, defaults);
    this.channels = new Channels(api, defaults);
    this.swaps = new Swaps(api, defaults);
    this.bridge = new Bridge(api, defaults);
    this.links = new PaymentLinks(api, this.tokens, defaults);
  }

  /** Connects to a node (`ws://…` or a provider). `defaults.until` sets when submissions count as done. */
  static async connect(endpoint: string | ProviderInterface, defaults: SubmitOptions = {}, extra: ApiOptions = {}) {
    return new Tpwallet(await connect(endpoint, extra), defaults);
  }

  /** Submits any call (a batch, a proxied call, governance); see `TxResult.ok`. */
  submit(tx: SubmittableExtrinsic<'promise'>, account: Account, options: SubmitOptions = {}): Promise<TxResult> {
    return submit(this.api, tx, account, { ...this.defaults, ...options });
  }

  /** As `submit`, throwing `TxFailed` if anything in the transaction failed. */
  submitOk(tx: SubmittableExtrinsic<'promise'>, account: Account, options: SubmitOptions = {}): Promise<TxResult> {
    return submitOk(this.api, tx, account, { ...this.defaults, ...options });
  }

  /** `who`'s TPW: free, reserved and on hold (`reserved`), and frozen, in planck. */
  async nativeBalance(who: string): Promise<{ free: bigint; reserved: bigint; frozen: bigint }> {
    const { data } = (await this.api.query.system.account(who)) as any;
    return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt(), frozen: data.frozen.toBigInt() };
  }

  disconnect(): Promise<void> {
    return this.api.disconnect();
  }
}
