// polkadot.js definitions of tpwallet's own JSON-RPC methods, so that `api.rpc.tokenization.*`,
// `api.rpc.paymentChannels.*` and `api.rpc.settlement.*` exist (polkadot.js decorates only the
// methods it has definitions for). The node answers balances as decimal strings (JSON numbers
// lose precision above 2^53): they are `Text` here, and the typed readers in `reads.ts` turn them
// into `bigint`. An asset kind is `TpwAssetKind` (`Native` or `WithId(id)`).
import type { DefinitionRpc, DefinitionRpcParam, RegistryTypes } from '@polkadot/types/types';

const at: DefinitionRpcParam = { name: 'at', type: 'BlockHash', isOptional: true };

/** Result types of the RPC methods (prefixed `Tpw` so they never shadow the metadata's types). */
export const types: RegistryTypes = {
  TpwAssetKind: { _enum: { Native: 'Null', WithId: 'u32' } },
  TpwTokenInfo: {
    class: 'Text',
    issuer: 'AccountId',
    template: 'u32',
    name: 'Text',
    symbol: 'Text',
    decimals: 'u8',
    cap: 'Option<Text>',
    supply: 'Text',
    policy: 'Text',
    paused: 'bool',
    documentHash: 'Text',
    reserves: 'Option<Text>',
  },
  TpwHolderBalance: { total: 'Text', locked: 'Text', transferable: 'Text', frozen: 'bool' },
  TpwClaimable: { distribution: 'u64', payoutAsset: 'TpwAssetKind', amount: 'Text' },
  TpwTransferCheck: { outcome: 'Text', rule: 'Option<Text>' },
  TpwChannel: {
    partyA: 'AccountId',
    partyB: 'AccountId',
    asset: 'TpwAssetKind',
    depositA: 'Text',
    depositB: 'Text',
    status: 'Text',
    closer: 'Option<AccountId>',
    nonce: 'Option<u64>',
    closesAt: 'Option<u32>',
    resolved: 'Option<u32>',
  },
  TpwSettledCycle: {
    cycle: 'u32',
    gross: 'Text',
    net: 'Text',
    shortfall: 'Text',
    transfers: 'u32',
    settledAt: 'u32',
  },
  TpwCycle: {
    cycle: 'u32',
    startedAt: 'u32',
    closesAt: 'u32',
    gross: 'Text',
    net: 'Text',
    settling: 'Option<u32>',
    lastSettled: 'Option<TpwSettledCycle>',
  },
  TpwCreditLine: { creditor: 'AccountId', limit: 'Text', used: 'Text' },
  TpwMember: {
    netDebitCap: 'Text',
    collateral: 'Text',
    suspended: 'bool',
    paid: 'Text',
    received: 'Text',
    unclaimed: 'Text',
    creditLimits: 'Vec<TpwCreditLine>',
  },
};

/** The RPC methods, by section, as polkadot.js `ApiOptions.rpc` takes them. */
export const rpc: Record<string, Record<string, DefinitionRpc>> = {
  tokenization: {
    tokenInfo: {
      description: "A managed token's class, issuer, cap, supply, policy and reserves; null if unknown.",
      params: [{ name: 'token', type: 'u32' }, at],
      type: 'Option<TpwTokenInfo>',
    },
    holderBalance: {
      description: "An account's total, locked and transferable balance of a token; null if the token is unknown or an NFT collection.",
      params: [{ name: 'token', type: 'u32' }, { name: 'who', type: 'AccountId' }, at],
      type: 'Option<TpwHolderBalance>',
    },
    claimable: {
      description: "What an account can claim now from a token's open distributions.",
      params: [{ name: 'token', type: 'u32' }, { name: 'who', type: 'AccountId' }, at],
      type: 'Vec<TpwClaimable>',
    },
    roles: {
      description: 'The roles an account holds on a token: any of Admin, Minter, Freezer, Controller.',
      params: [{ name: 'token', type: 'u32' }, { name: 'who', type: 'AccountId' }, at],
      type: 'Vec<Text>',
    },
    checkTransfer: {
      description:
        'Whether a transfer would go through (allowed), be held for review (held) or be refused (rejected), and by which rule. The amount is a decimal string. Nothing is submitted.',
      params: [
        { name: 'token', type: 'u32' },
        { name: 'from', type: 'AccountId' },
        { name: 'to', type: 'AccountId' },
        { name: 'amount', type: 'Text' },
        { name: 'travelRule', type: 'H256', isOptional: true },
        at,
      ],
      type: 'TpwTransferCheck',
    },
  },
  paymentChannels: {
    channel: {
      description: "A channel's parties, asset, deposits and status; null if unknown or settled.",
      params: [{ name: 'id', type: 'u64' }, at],
      type: 'Option<TpwChannel>',
    },
  },
  settlement: {
    executionFailures: {
      description: 'Every reason a settlement instruction would not settle if executed now; empty if it would.',
      params: [{ name: 'id', type: 'u64' }, at],
      type: 'Vec<Json>',
    },
    openCycle: {
      description: "A clearing scheme's open cycle; null for an unknown scheme.",
      params: [{ name: 'scheme', type: 'u32' }, at],
      type: 'Option<TpwCycle>',
    },
    member: {
      description: "An account's standing in a clearing scheme; null if not a member.",
      params: [{ name: 'scheme', type: 'u32' }, { name: 'who', type: 'AccountId' }, at],
      type: 'Option<TpwMember>',
    },
  },
};
