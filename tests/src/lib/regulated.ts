// Governance set-up shared by the tests of regulated tokens: a security-token template and a
// KYC rule set, registered through a root origin (`sudo`).
import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { eventData, type TxOutcome } from './chain.ts';

/** Submits a call as root (sudo, on a dev chain). */
export type Root = (call: SubmittableExtrinsic<'promise'>) => Promise<TxOutcome>;

/** Every issuer role (admin, minter, freezer, controller). */
export const ALL_ROLES = 15;

/** An ISO 3166-1 alpha-2 code as the runtime's `[u8; 2]`. */
export const j = (code: string) => Array.from(Buffer.from(code, 'ascii'));

/** A KYC claim a trusted issuer attests: tier `tier` in `jurisdiction`, sanctions-screened,
 * until block 1,000,000, with a commitment to the (off-chain) personal data instead of the data. */
export const kycClaim = (jurisdiction: string, tier = 1) => ({
  tier,
  jurisdiction: j(jurisdiction),
  accredited: false,
  sanctionsScreened: true,
  expiresAt: 1_000_000,
  commitment: '0x' + 'ab'.repeat(32),
});

/** An open security-token template (no cap, no lock-up, every issuer role); returns its id.
 * `tokenClass` may name another token class with the same terms (`NftCollection`). */
export async function registerSecurityTemplate(
  api: ApiPromise,
  root: Root,
  tokenClass: 'SecurityToken' | 'NftCollection' = 'SecurityToken',
): Promise<number> {
  const out = await root(
    api.tx.tokenization.registerTemplate({
      class: tokenClass,
      decimals: 0,
      maxCap: null,
      policy: 'Open',
      defaultLockup: null,
      issuerRoles: ALL_ROLES,
    }),
  );
  return eventData(out, 'tokenization', 'TemplateRegistered').template.toNumber();
}

/** A German rule set asking a KYC claim of tier 1 on both sides and blocking `blocked`; returns
 * its id. */
export async function registerKycRuleSet(api: ApiPromise, root: Root, blocked: string[] = []): Promise<number> {
  const party = { claimRequired: true, minTier: 1, accreditedOnly: false, sanctionsScreened: false };
  const out = await root(
    api.tx.compliance.registerRuleSet({
      jurisdiction: j('DE'),
      sender: party,
      receiver: party,
      allowedJurisdictions: [],
      blockedJurisdictions: blocked.map(j),
      travelRuleThreshold: null,
      reviewRiskScore: null,
      rejectRiskScore: null,
    }),
  );
  return eventData(out, 'compliance', 'RuleSetRegistered').ruleSet.toNumber();
}
