// The payment request the link tests and the shared vectors start from: a chain, a clock and a
// request that are the same in every run.
import type { PaymentRequest } from '../src/index.ts';

export const CHAIN = '0x' + '77'.repeat(32);
export const NOW = 1_800_000_000;

/** 2.5 TPW on chain, valid an hour from `NOW`, with a memo that needs percent-encoding. */
export const request = (over: Partial<PaymentRequest> = {}) => ({
  chain: CHAIN,
  asset: 'TPW' as const,
  amount: 2_500_000_000_000n,
  expiresAt: NOW + 3600,
  method: 'chain' as const,
  memo: 'Invoice #42 — café & co. 100%',
  ...over,
});
