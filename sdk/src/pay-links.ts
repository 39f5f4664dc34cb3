// Creating and paying payment links against a connected chain: the chain is the one the API is
// connected to, and paying verifies the link (signature, chain, expiry) before anything is signed.
import type { ApiPromise } from '@polkadot/api';
import { addressOf, type Account } from './account.ts';
import { createLink, verifyLink, LINK_SCHEME, type LinkSigner, type PaymentMethod, type PaymentRequest } from './links.ts';
import { findEvent, submitOk, type SubmitOptions, type TxResult } from './submit.ts';
import type { Tokens } from './tokens.ts';

export interface LinkRequest {
  asset: 'TPW' | number;
  amount: bigint;
  /** Seconds from now until the request expires. */
  expiresIn: number;
  memo?: string;
  /** Default `chain`; `channel` needs the invoice's hash lock (`tpw invoice` makes one). */
  method?: PaymentMethod;
  hashLock?: string;
}

export class PaymentLinks {
  constructor(
    private readonly api: ApiPromise,
    private readonly tokens: Tokens,
    private readonly defaults: SubmitOptions,
  ) {}

  /** A signed link asking for `request` to be paid to `payee` on this chain. */
  create(payee: LinkSigner, request: LinkRequest): Promise<string> {
    if (!Number.isSafeInteger(request.expiresIn) || request.expiresIn <= 0) {
      throw new RangeError('expiresIn is a positive number of seconds');
    }
    return createLink(payee, {
      chain: this.api.genesisHash.toHex(),
      asset: request.asset,
      amount: request.amount,
      expiresAt: Math.floor(Date.now() / 1000) + request.expiresIn,
      method: request.method ?? 'chain',
      hashLock: request.hashLock,
      memo: request.memo,
    });
  }

  /** The request `link` carries, verified for this chain and now. */
  verify(link: string, now?: number): PaymentRequest {
    return verifyLink(link, { chain: this.api.genesisHash.toHex(), now });
  }

  /**
   * Pays `link` on chain, after verifying it: TPW by a keep-alive transfer, a token through its
   * rules (pre-checked: a refused one throws `TransferRefused` with nothing spent), another asset
   * by `assets.transferKeepAlive` (`held`: a token's rules hold it for review). The payment and a remark `tpwallet:<id>` are one batch, so the
   * payee finds the payment by the request's id. A `channel` link is paid over a channel: `tpw link pay`.
   */
  async pay(
    payer: Account,
    link: string,
    options: SubmitOptions = {},
  ): Promise<{ request: PaymentRequest; held: boolean; result: TxResult }> {
    const request = this.verify(link);
    if (request.method !== 'chain') {
      throw new Error('a channel payment link is paid over a payment channel, by a channel client (tpw link pay)');
    }
    const { api } = this;
    let payment;
    if (request.asset === 'TPW') {
      payment = api.tx.balances.transferKeepAlive(request.payee, request.amount);
    } else if ((await this.tokens.info(request.asset)) !== null) {
      await this.tokens.refuseRejected(request.asset, addressOf(payer), request.payee, request.amount);
      payment = api.tx.tokenization.transfer(request.asset, request.payee, request.amount);
    } else {
      payment = api.tx.assets.transferKeepAlive(request.asset, request.payee, request.amount);
    }
    const tx = api.tx.utility.batchAll([payment, api.tx.system.remarkWithEvent(`${LINK_SCHEME}:${request.id}`)]);
    const result = await submitOk(api, tx, payer, { ...this.defaults, ...options });
    // A token's rules may hold the transfer for review: paid once a compliance officer approves.
    return { request, held: findEvent(result, 'compliance', 'TransferHeld') !== undefined, result };
  }
}
