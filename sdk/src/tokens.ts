// Tokens: issuing from a governance template, minting, the pre-check a wallet shows before a
// transfer, and transfers that say whether they completed or were held for review.
import type { ApiPromise } from '@polkadot/api';
import { isHex } from '@polkadot/util';
import { addressOf, type Account } from './account.ts';
import { assetKind, assetKindOf, type AssetKind } from './units.ts';
import { eventData, findEvent, submit, submitOk, TxFailed, type SubmitOptions, type TxResult } from './submit.ts';

export interface NewToken {
  /** The token's id, chosen by the issuer (a free `pallet-assets` id). */
  id: number;
  /** A template governance registered (`tokenization.registerTemplate`): class, decimals, cap limit, policy, roles. */
  template: number;
  name: string;
  symbol: string;
  /** Supply cap in the smallest unit; `null` takes the template's limit. */
  cap?: bigint | null;
  /** 32-byte digest (0x hex) of the governing document (prospectus, reserve policy). */
  documentHash: string;
}

export interface TokenInfo {
  class: 'Stablecoin' | 'SecurityToken' | 'UtilityToken' | 'NftCollection';
  issuer: string;
  template: number;
  name: string;
  symbol: string;
  decimals: number;
  /** `null`: uncapped. */
  cap: bigint | null;
  supply: bigint;
  policy: 'Open' | 'Allowlisted';
  paused: boolean;
  documentHash: string;
  reserves: bigint | null;
}

export interface HolderBalance {
  total: bigint;
  /** Under lock-up schedules. */
  locked: bigint;
  /** What a transfer may move now. */
  transferable: bigint;
  frozen: boolean;
}

/** What a transfer would meet now, as the runtime's own check says. */
export interface TransferCheck {
  outcome: 'allowed' | 'held' | 'rejected';
  /** The rule that holds or rejects it, as an error name (`JurisdictionBlocked`, `NotAllowlisted`, `ReviewThreshold`, ...). */
  rule: string | null;
}

/** A transfer the pre-check refused: nothing was submitted, nothing was paid. */
export class TransferRefused extends Error {
  constructor(readonly check: TransferCheck) {
    super(`the transfer would be refused: ${check.rule ?? 'no rule named'}`);
    this.name = 'TransferRefused';
  }
}

export type TransferOutcome =
  | { status: 'transferred'; result: TxResult }
  /** Held for a compliance officer's review: the units are on hold on the sender's account until
   * the case is approved (transferred), rejected or expires (returned). */
  | { status: 'held'; case: bigint; rule: string; expiresAt: number; result: TxResult };

export interface TransferOptions extends SubmitOptions {
  /** 32-byte digest (0x hex) of the travel-rule record the transfer carries (sent with `transferWithTravelRule`). */
  travelRule?: string;
  /** Run the pre-check first and throw `TransferRefused` without submitting if it would be rejected (default true). */
  precheck?: boolean;
}

const hash32 = (value: string, what: string): string => {
  if (!isHex(value, 256)) throw new RangeError(`${what} must be 32 bytes of 0x-prefixed hex`);
  return value;
};

const amountText = (amount: bigint): string => {
  if (amount < 0n) throw new RangeError('an amount is not negative');
  return amount.toString();
};

export class Tokens {
  constructor(
    private readonly api: ApiPromise,
    private readonly defaults: SubmitOptions,
  ) {}

  /** Issues a token from a template; the issuer gets the template's roles and holds the token deposit. */
  async create(issuer: Account, token: NewToken, options: SubmitOptions = {}) {
    const tx = this.api.tx.tokenization.createToken(
      token.id,
      token.template,
      token.name,
      token.symbol,
      token.cap ?? null,
      hash32(token.documentHash, 'documentHash'),
    );
    const result = await submitOk(this.api, tx, issuer, { ...this.defaults, ...options });
    const created = eventData(result, 'tokenization', 'TokenCreated');
    return { token: created.token.toNumber() as number, class: created.class.toString() as TokenInfo['class'], result };
  }

  /** Mints `amount` (smallest unit) to `to`; the signer needs the Minter role. */
  async mint(minter: Account, token: number, to: string, amount: bigint, options: SubmitOptions = {}): Promise<TxResult> {
    const tx = this.api.tx.tokenization.mint(token, to, amountText(amount));
    return submitOk(this.api, tx, minter, { ...this.defaults, ...options });
  }

  /**
   * Posts a stablecoin's attested reserves (the signer must be the attestor governance set for
   * it). A stablecoin mints only within its last attestation; reserves below the supply record a
   * shortfall, which stops minting (`shortfall` is then true).
   */
  async attestReserves(attestor: Account, token: number, amount: bigint, reportHash: string, options: SubmitOptions = {}) {
    const tx = this.api.tx.tokenization.attestReserves(token, amountText(amount), hash32(reportHash, 'reportHash'));
    const result = await submitOk(this.api, tx, attestor, { ...this.defaults, ...options });
    eventData(result, 'tokenization', 'ReservesAttested');
    return { shortfall: findEvent(result, 'tokenization', 'ReserveShortfall') !== undefined, result };
  }

  /** What a transfer of `amount` from `from` to `to` would meet now (nothing is submitted). */
  async check(token: number, from: string, to: string, amount: bigint, travelRule?: string): Promise<TransferCheck> {
    const digest = travelRule === undefined ? undefined : hash32(travelRule, 'travelRule');
    const check = await this.api.rpc.tokenization.checkTransfer(token, from, to, amountText(amount), digest);
    return {
      outcome: check.outcome.toString() as TransferCheck['outcome'],
      rule: check.rule.isSome ? check.rule.unwrap().toString() : null,
    };
  }

  /** Throws `TransferRefused` if the pre-check says the transfer would be rejected; returns the check. */
  async refuseRejected(token: number, from: string, to: string, amount: bigint, travelRule?: string): Promise<TransferCheck> {
    const check = await this.check(token, from, to, amount, travelRule);
    if (check.outcome === 'rejected') throw new TransferRefused(check);
    return check;
  }

  /**
   * Transfers `amount` of `token` to `to`, through every rule of the token. With the pre-check
   * (default), a transfer the chain would reject is refused here with the rule, without a fee.
   * A transfer the rules hold for review resolves as `held` with its case id; a refusal on chain
   * (the state changed after the check) throws `TxFailed`.
   */
  async transfer(
    sender: Account,
    token: number,
    to: string,
    amount: bigint,
    options: TransferOptions = {},
  ): Promise<TransferOutcome> {
    const { travelRule, precheck = true, ...submitOptions } = options;
    if (precheck) await this.refuseRejected(token, addressOf(sender), to, amount, travelRule);
    const tx =
      travelRule === undefined
        ? this.api.tx.tokenization.transfer(token, to, amountText(amount))
        : this.api.tx.tokenization.transferWithTravelRule(token, to, amountText(amount), hash32(travelRule, 'travelRule'));
    const result = await submit(this.api, tx, sender, { ...this.defaults, ...submitOptions });
    if (!result.ok) throw new TxFailed(result);
    const held = findEvent(result, 'compliance', 'TransferHeld');
    if (held) {
      return {
        status: 'held',
        case: held.case.toBigInt(),
        rule: held.rule.toString(),
        expiresAt: held.expiresAt.toNumber(),
        result,
      };
    }
    eventData(result, 'tokenization', 'Transferred');
    return { status: 'transferred', result };
  }

  /**
   * Locks `amount` of `holder`'s `token` under a vesting schedule: nothing unlocks before `cliff`
   * blocks, all of it after `duration` blocks (linearly in between), counted from `start` (default:
   * now). The signer needs the Admin role.
   */
  async addLockup(
    admin: Account,
    token: number,
    holder: string,
    amount: bigint,
    terms: { cliff: number; duration: number; start?: number },
    options: SubmitOptions = {},
  ): Promise<TxResult> {
    const { cliff, duration, start } = terms;
    const tx = this.api.tx.tokenization.addLockup(token, holder, amountText(amount), { cliff, duration }, start ?? null);
    const result = await submitOk(this.api, tx, admin, { ...this.defaults, ...options });
    eventData(result, 'tokenization', 'LockupAdded');
    return result;
  }

  /**
   * Opens a distribution (a dividend, a coupon) of `amount` of `payout` (`'TPW'` or an asset id) to
   * `token`'s holders, pro rata to their balances now; claimable for `duration` blocks. The payer
   * (an Admin) holds the amount until it is claimed or the distribution closes. Returns its id.
   */
  async createDistribution(
    admin: Account,
    token: number,
    payout: 'TPW' | number,
    amount: bigint,
    duration: number,
    options: SubmitOptions = {},
  ) {
    const tx = this.api.tx.tokenization.createDistribution(token, assetKind(payout), amountText(amount), duration);
    const result = await submitOk(this.api, tx, admin, { ...this.defaults, ...options });
    const created = eventData(result, 'tokenization', 'DistributionCreated');
    return {
      distribution: created.distribution.toBigInt() as bigint,
      expiresAt: created.expiresAt.toNumber() as number,
      result,
    };
  }

  /** What `who` can claim now from `token`'s open distributions. */
  async claimable(token: number, who: string): Promise<{ distribution: bigint; payout: AssetKind; amount: bigint }[]> {
    const list = await this.api.rpc.tokenization.claimable(token, who);
    return list.map((c) => ({
      distribution: c.distribution.toBigInt(),
      payout: assetKindOf(c.payoutAsset),
      amount: BigInt(c.amount.toString()),
    }));
  }

  /** Claims the signer's share of `distribution`; returns what it received. */
  async claimDistribution(holder: Account, distribution: bigint, options: SubmitOptions = {}) {
    const tx = this.api.tx.tokenization.claimDistribution(distribution);
    const result = await submitOk(this.api, tx, holder, { ...this.defaults, ...options });
    return { amount: eventData(result, 'tokenization', 'DistributionClaimed').amount.toBigInt() as bigint, result };
  }

  /** The token's facts; `null` if no managed token has this id. */
  async info(token: number): Promise<TokenInfo | null> {
    const answer = await this.api.rpc.tokenization.tokenInfo(token);
    if (answer.isNone) return null;
    const t = answer.unwrap();
    const big = (text: { toString(): string }) => BigInt(text.toString());
    return {
      class: t.class.toString() as TokenInfo['class'],
      issuer: t.issuer.toString(),
      template: t.template.toNumber(),
      name: t.name.toString(),
      symbol: t.symbol.toString(),
      decimals: t.decimals.toNumber(),
      cap: t.cap.isSome ? big(t.cap.unwrap()) : null,
      supply: big(t.supply),
      policy: t.policy.toString() as TokenInfo['policy'],
      paused: t.paused.isTrue,
      documentHash: t.documentHash.toString(),
      reserves: t.reserves.isSome ? big(t.reserves.unwrap()) : null,
    };
  }

  /** `who`'s balance of `token`; `null` if the token is unknown or an NFT collection. */
  async balance(token: number, who: string): Promise<HolderBalance | null> {
    const answer = await this.api.rpc.tokenization.holderBalance(token, who);
    if (answer.isNone) return null;
    const b = answer.unwrap();
    return {
      total: BigInt(b.total.toString()),
      locked: BigInt(b.locked.toString()),
      transferable: BigInt(b.transferable.toString()),
      frozen: b.frozen.isTrue,
    };
  }

  /** The roles `who` holds on `token`. */
  async roles(token: number, who: string): Promise<string[]> {
    return (await this.api.rpc.tokenization.roles(token, who)).map((role) => role.toString());
  }
}

