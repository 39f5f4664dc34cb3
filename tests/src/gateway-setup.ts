// Chain set-up for the ISO 20022 gateway's end-to-end script (gateway/e2e.sh): a EUR stablecoin
// of 6 decimals whose transfers need a KYC claim on both sides and are held for review from
// 5,000 EUR, claims for Alice (the debtor, DE), Bob and Charlie (creditors, FR) but none for Eve, reserves
// attested and 10,000 EUR minted to Alice, and Ferdie (the institution running the gateway)
// made Alice's `TokenPayments` proxy (token transfers only). Safe to run after other stories on
// the same chain: what exists is kept.
// Run: node --import tsx src/gateway-setup.ts ws://127.0.0.1:9944 <token id>.
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { connect, devAccounts, eventData, submitOk } from './lib/chain.ts';
import { ALL_ROLES, j, kycClaim, registerKycRuleSet } from './lib/regulated.ts';

const [url, tokenArg] = process.argv.slice(2);
if (!url || !tokenArg) throw new Error('usage: gateway-setup.ts <ws url> <token id>');
const TOKEN = Number(tokenArg);
const EUR = 1_000_000n; // the token's units per euro
const api = await connect(url);
const { alice, bob, charlie, ferdie } = await devAccounts();
const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const sudo = (call: SubmittableExtrinsic<'promise'>) => ok(api.tx.sudo.sudo(call), alice);

// Ferdie attests KYC claims in DE and FR (if not already trusted for them).
const trusted = (await api.query.compliance.trustedIssuers(ferdie.address)) as any;
if (trusted.isNone) await sudo(api.tx.compliance.addTrustedIssuer(ferdie.address, [j('DE'), j('FR')]));
for (const [who, country] of [[alice, 'DE'], [bob, 'FR'], [charlie, 'FR']] as const) {
  const standing = (await api.query.compliance.standings(who.address)) as any;
  if (standing.isNone || standing.unwrap().claim.isNone) {
    await ok(api.tx.compliance.attestClaim(who.address, kycClaim(country)), ferdie);
  }
}

// The stablecoin: reserves attested by Alice (the issuer, for this story), KYC on both sides.
const template = eventData(
  await sudo(
    api.tx.tokenization.registerTemplate({
      class: 'Stablecoin',
      decimals: 6,
      maxCap: null,
      policy: 'Open',
      defaultLockup: null,
      issuerRoles: ALL_ROLES,
    }),
  ),
  'tokenization',
  'TemplateRegistered',
).template.toNumber();
await ok(api.tx.tokenization.createToken(TOKEN, template, 'tpwallet EUR', 'EURT', null, '0x' + '77'.repeat(32)), alice);
await sudo(api.tx.tokenization.setReserveAttestor(TOKEN, alice.address));
await ok(api.tx.tokenization.attestReserves(TOKEN, 1_000_000n * EUR, '0x' + '88'.repeat(32)), alice);
const ruleSet = await registerKycRuleSet(api, sudo);
const limits = { maxHolders: null, maxBalance: null, maxTransfer: null, velocity: null, reviewThreshold: 5_000n * EUR };
await ok(api.tx.compliance.setTokenRules(TOKEN, { ruleSet, limits }), alice);
await ok(api.tx.tokenization.mint(TOKEN, alice.address, 10_000n * EUR), alice);

// The institution pays from Alice's account as her proxy, allowed token transfers only. The
// bundled polkadot.js augmentation knows another runtime's proxy types, hence the cast; the
// encoding comes from this chain's metadata.
await ok(api.tx.proxy.addProxy(ferdie.address, 'TokenPayments' as any, 0), alice);
console.log(JSON.stringify({ token: TOKEN, alice: alice.address, institution: ferdie.address }));
await api.disconnect();
