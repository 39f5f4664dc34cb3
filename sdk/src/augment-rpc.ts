// TypeScript types of tpwallet's RPC methods on `api.rpc`, for code that calls them through
// polkadot.js (the definitions in `definitions.ts` make them exist at run time; this makes them
// typed). Importing the SDK applies it.
import '@polkadot/rpc-core/types/jsonrpc';
import type { AugmentedRpc } from '@polkadot/rpc-core/types';
import type { Enum, Json, Null, Option, Struct, Text, Vec, bool, u8, u32, u64 } from '@polkadot/types-codec';
import type { AnyNumber } from '@polkadot/types-codec/types';
import type { AccountId, BlockHash, H256 } from '@polkadot/types/interfaces';
import type { Observable } from '@polkadot/types/types';

export interface TpwAssetKind extends Enum {
  readonly isNative: boolean;
  readonly asNative: Null;
  readonly isWithId: boolean;
  readonly asWithId: u32;
}

export interface TpwTokenInfo extends Struct {
  readonly class: Text;
  readonly issuer: AccountId;
  readonly template: u32;
  readonly name: Text;
  readonly symbol: Text;
  readonly decimals: u8;
  readonly cap: Option<Text>;
  readonly supply: Text;
  readonly policy: Text;
  readonly paused: bool;
  readonly documentHash: Text;
  readonly reserves: Option<Text>;
}

export interface TpwHolderBalance extends Struct {
  readonly total: Text;
  readonly locked: Text;
  readonly transferable: Text;
  readonly frozen: bool;
}

export interface TpwClaimable extends Struct {
  readonly distribution: u64;
  readonly payoutAsset: TpwAssetKind;
  readonly amount: Text;
}

export interface TpwTransferCheck extends Struct {
  /** `allowed`, `held` or `rejected`. */
  readonly outcome: Text;
  readonly rule: Option<Text>;
}

export interface TpwChannel extends Struct {
  readonly partyA: AccountId;
  readonly partyB: AccountId;
  readonly asset: TpwAssetKind;
  readonly depositA: Text;
  readonly depositB: Text;
  /** `open` or `closing`. */
  readonly status: Text;
  readonly closer: Option<AccountId>;
  readonly nonce: Option<u64>;
  readonly closesAt: Option<u32>;
  readonly resolved: Option<u32>;
}

export interface TpwSettledCycle extends Struct {
  readonly cycle: u32;
  readonly gross: Text;
  readonly net: Text;
  readonly shortfall: Text;
  readonly transfers: u32;
  readonly settledAt: u32;
}

export interface TpwCycle extends Struct {
  readonly cycle: u32;
  readonly startedAt: u32;
  readonly closesAt: u32;
  readonly gross: Text;
  readonly net: Text;
  readonly settling: Option<u32>;
  readonly lastSettled: Option<TpwSettledCycle>;
}

export interface TpwCreditLine extends Struct {
  readonly creditor: AccountId;
  readonly limit: Text;
  readonly used: Text;
}

export interface TpwMember extends Struct {
  readonly netDebitCap: Text;
  readonly collateral: Text;
  readonly suspended: bool;
  readonly paid: Text;
  readonly received: Text;
  readonly unclaimed: Text;
  readonly creditLimits: Vec<TpwCreditLine>;
}

type Id = AnyNumber;
type Who = AccountId | string | Uint8Array;
type At = BlockHash | string | Uint8Array;

declare module '@polkadot/rpc-core/types/jsonrpc' {
  interface RpcInterface {
    tokenization: {
      tokenInfo: AugmentedRpc<(token: Id, at?: At) => Observable<Option<TpwTokenInfo>>>;
      holderBalance: AugmentedRpc<(token: Id, who: Who, at?: At) => Observable<Option<TpwHolderBalance>>>;
      claimable: AugmentedRpc<(token: Id, who: Who, at?: At) => Observable<Vec<TpwClaimable>>>;
      roles: AugmentedRpc<(token: Id, who: Who, at?: At) => Observable<Vec<Text>>>;
      /** `amount` is a decimal string. */
      checkTransfer: AugmentedRpc<
        (token: Id, from: Who, to: Who, amount: string, travelRule?: H256 | string, at?: At) => Observable<TpwTransferCheck>
      >;
    };
    paymentChannels: {
      channel: AugmentedRpc<(id: Id, at?: At) => Observable<Option<TpwChannel>>>;
    };
    settlement: {
      executionFailures: AugmentedRpc<(id: Id, at?: At) => Observable<Vec<Json>>>;
      openCycle: AugmentedRpc<(scheme: Id, at?: At) => Observable<Option<TpwCycle>>>;
      member: AugmentedRpc<(scheme: Id, who: Who, at?: At) => Observable<Option<TpwMember>>>;
    };
  }
}
