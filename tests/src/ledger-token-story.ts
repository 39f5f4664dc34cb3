// A token story on a running dev node, for the ledger's end-to-end script (ledger/e2e.sh), which
// checks that its books match the chain afterwards: a regulated token issued and moved, a
// transfer held for review and approved (the held units reach the receiver without an event
// naming both sides), another held and rejected, units burned, and an HTLC locked and claimed on
// a plain asset; a lock-up and a freeze; a plain asset destroyed with units out; and a bridge transfer out, locked in the bridge's vault. Run: node --import tsx src/ledger-token-story.ts ws://127.0.0.1:9944 <token id>.
// Prints the token id and the transfers' extrinsic hashes as JSON.
import { createHash, randomBytes } from 'node:crypto';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { connect, devAccounts, eventData, submitOk } from './lib/chain.ts';
import { j, registerKycRuleSet, kycClaim, registerSecurityTemplate } from './lib/regulated.ts';

const [url, tokenArg] = process.argv.slice(2);
if (!url || !tokenArg) throw new Error('usage: ledger-token-story.ts <ws url> <token id>');
const TOKEN = Number(tokenArg);
const api = await connect(url);
const { alice, bob, ferdie } = await devAccounts();
const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const sudo = (call: SubmittableExtrinsic<'promise'>) => ok(api.tx.sudo.sudo(call), alice);

// Governance and the issuer: a KYC'd security token whose transfers of 500 or more are reviewed.
await sudo(api.tx.compliance.addTrustedIssuer(ferdie.address, [j('DE'), j('FR')]));
const ruleSet = await registerKycRuleSet(api, sudo);
const template = await registerSecurityTemplate(api, sudo);
await ok(api.tx.tokenization.createToken(TOKEN, template, 'Ledger Bond', 'LBND', null, '0x' + '66'.repeat(32)), alice);
const limits = { maxHolders: null, maxBalance: null, maxTransfer: null, velocity: null, reviewThreshold: 500 };
await ok(api.tx.compliance.setTokenRules(TOKEN, { ruleSet, limits }), alice);
await ok(
  api.tx.utility.batchAll([
    api.tx.compliance.attestClaim(alice.address, kycClaim('DE')),
    api.tx.compliance.attestClaim(bob.address, kycClaim('FR')),
  ]),
  ferdie,
);

// Issued, moved, held and approved, held and rejected, burned.
await ok(api.tx.tokenization.mint(TOKEN, alice.address, 10_000), alice);
const plainTx = api.tx.tokenization.transfer(TOKEN, bob.address, 100);
await ok(plainTx, alice);
const approvedTx = api.tx.tokenization.transfer(TOKEN, bob.address, 600);
const approved = await ok(approvedTx, alice);
await ok(api.tx.compliance.approveCase(eventData(approved, 'compliance', 'TransferHeld').case), alice);
const rejectedTx = api.tx.tokenization.transfer(TOKEN, bob.address, 700);
const rejected = await ok(rejectedTx, alice);
await ok(api.tx.compliance.rejectCase(eventData(rejected, 'compliance', 'TransferHeld').case, 1), alice);
await ok(api.tx.tokenization.burn(TOKEN, 50), alice);
// Terms the books keep beside balances: 300 of Bob's 700 locked up (a 5-block cliff, then
// unlocking over 2_000 blocks), and Alice frozen for the token.
await ok(api.tx.tokenization.addLockup(TOKEN, bob.address, 300, { cliff: 5, duration: 2_000 }, null), alice);
await ok(api.tx.tokenization.freezeAccount(TOKEN, alice.address, 7), alice);

// An HTLC on a plain asset (a managed token moves only through its rules): Alice creates it and
// mints 1_000 to Bob, who locks 30 for Alice, who claims them with the secret.
const PLAIN = TOKEN + 1;
await ok(api.tx.assets.create(PLAIN, alice.address, 1), alice);
await ok(api.tx.assets.mint(PLAIN, bob.address, 1_000), alice);
const secret = randomBytes(32);
const digest = '0x' + createHash('sha256').update(secret).digest('hex');
const locked = await ok(api.tx.htlc.lock(alice.address, { WithId: PLAIN }, 30, digest, 'Sha256', 600), bob);
const swapId = eventData(locked, 'htlc', 'Locked').swapId;
await ok(api.tx.htlc.claim(swapId, '0x' + secret.toString('hex')), alice);

// A plain asset destroyed with units still out: Bob's 500 go with its accounts, and the books
// write them off against its supply.
const DOOMED = TOKEN + 2;
await ok(api.tx.assets.create(DOOMED, alice.address, 1), alice);
await ok(api.tx.assets.mint(DOOMED, bob.address, 500), alice);
await ok(api.tx.assets.startDestroy(DOOMED), alice);
await ok(api.tx.assets.destroyAccounts(DOOMED), alice);
await ok(api.tx.assets.destroyApprovals(DOOMED), alice);
eventData(await ok(api.tx.assets.finishDestroy(DOOMED), alice), 'assets', 'Destroyed');

// A bridge transfer out: 20 units locked in the bridge's vault here, queued for the other chain.
await sudo(api.tx.bridge.setBridgedChain('0x' + '42'.repeat(32)));
await sudo(api.tx.bridge.listAsset({ Native: null }, { maxPerWindow: 50n * 10n ** 12n, window: 100 }));
const sent = await ok(api.tx.bridge.transfer({ Native: null }, 20n * 10n ** 12n, bob.address), alice);
eventData(sent, 'bridge', 'TransferSent');

// The transfers' extrinsic hashes, for their timelines.
console.log(
  JSON.stringify({
    token: TOKEN,
    asset: PLAIN,
    destroyed: DOOMED,
    plain: plainTx.hash.toHex(),
    approved: approvedTx.hash.toHex(),
    rejected: rejectedTx.hash.toHex(),
  }),
);
await api.disconnect();
