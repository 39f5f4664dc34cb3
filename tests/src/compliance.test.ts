// End-to-end: a regulated security token on a real `--dev` node, through polkadot.js. Two KYC'd
// holders in different jurisdictions; a transfer allowed, one rejected by jurisdiction, one held
// for review then approved, one blocked by velocity, and a bypass through `utility.batch` refused.
// Each outcome is also what the wallet pre-check (`tokenization_checkTransfer`) predicted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WsProvider, ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { useDevChain, type DevChain } from './lib/dev-chain.ts';
import { eventData, submitFails, submitOk } from './lib/chain.ts';
import { j, registerKycRuleSet, kycClaim, registerSecurityTemplate } from './lib/regulated.ts';

const TOKEN = 3001;

let api: ApiPromise;
let rpc: WsProvider;
let acc: DevChain['acc'];
useDevChain('compliance', (chain) => ({ api, rpc, acc } = chain));

const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const fails = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, error: string) =>
  submitFails(api, tx, signer, error);


async function balance(who: string): Promise<bigint> {
  const account = await api.query.assets.account(TOKEN, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

async function precheck(from: string, to: string, amount: number) {
  return (await rpc.send('tokenization_checkTransfer', [TOKEN, from, to, amount.toString()])) as {
    outcome: string;
    rule: string | null;
  };
}

test('regulated token: allowed, rejected by jurisdiction, held then approved, velocity, no bypass', async () => {
  const { alice, bob, charlie, ferdie } = acc;
  const sudo = (call: SubmittableExtrinsic<'promise'>) => ok(api.tx.sudo.sudo(call), alice);

  // Governance: Ferdie is a KYC provider for DE, FR and US; a German rule set that requires KYC
  // tier 1 on both sides and blocks US persons.
  await sudo(api.tx.compliance.addTrustedIssuer(ferdie.address, [j('DE'), j('FR'), j('US')]));
  const ruleSet = await registerKycRuleSet(api, sudo, ['US']);
  const template = await registerSecurityTemplate(api, sudo);

  // The issuer (Alice, also its compliance officer) issues the token and regulates it: transfers
  // of 500 or more are reviewed; at most 1_000 units or 3 transfers per sender per 100 blocks.
  await ok(api.tx.tokenization.createToken(TOKEN, template, 'Acme Bond', 'ABND', null, '0x' + '55'.repeat(32)), alice);
  await ok(
    api.tx.compliance.setTokenRules(TOKEN, {
      ruleSet,
      limits: {
        maxHolders: null,
        maxBalance: null,
        maxTransfer: null,
        velocity: { window: 100, maxAmount: 1_000, maxCount: 3 },
        reviewThreshold: 500,
      },
    }),
    alice,
  );

  // KYC: Alice in Germany, Bob in France, Charlie in the US; no personal data, a commitment only.
  await ok(
    api.tx.utility.batchAll([
      api.tx.compliance.attestClaim(alice.address, kycClaim('DE', 2)),
      api.tx.compliance.attestClaim(bob.address, kycClaim('FR', 1)),
      api.tx.compliance.attestClaim(charlie.address, kycClaim('US', 2)),
    ]),
    ferdie,
  );
  await ok(api.tx.tokenization.mint(TOKEN, alice.address, 10_000), alice);

  // Allowed: Germany to France.
  assert.deepEqual(await precheck(alice.address, bob.address, 100), { outcome: 'allowed', rule: null });
  await ok(api.tx.tokenization.transfer(TOKEN, bob.address, 100), alice);
  assert.equal(await balance(bob.address), 100n);

  // Rejected by jurisdiction: the receiver is a US person.
  assert.deepEqual(await precheck(alice.address, charlie.address, 10), {
    outcome: 'rejected',
    rule: 'JurisdictionBlocked',
  });
  await fails(api.tx.tokenization.transfer(TOKEN, charlie.address, 10), alice, 'compliance.JurisdictionBlocked');
  assert.equal(await balance(charlie.address), 0n);

  // Held for review: 600 is above the review threshold. The units stay with Alice, on hold.
  assert.deepEqual(await precheck(alice.address, bob.address, 600), { outcome: 'held', rule: 'ReviewThreshold' });
  const held = await ok(api.tx.tokenization.transfer(TOKEN, bob.address, 600), alice);
  const heldEvent = eventData(held, 'compliance', 'TransferHeld');
  assert.equal(heldEvent.rule.toString(), 'ReviewThreshold');
  assert.equal(await balance(bob.address), 100n);
  assert.equal(await balance(alice.address), 10_000n - 100n - 600n, 'held units leave the free balance');
  const holding = (await rpc.send('tokenization_holderBalance', [TOKEN, alice.address])) as any;
  assert.equal(holding.total, (10_000 - 100).toString(), 'held units are still Alice’s');
  await fails(api.tx.compliance.approveCase(heldEvent.case, ), bob, 'compliance.MissingRole');
  await ok(api.tx.compliance.approveCase(heldEvent.case), alice);
  assert.equal(await balance(bob.address), 700n);
  assert.ok(((await api.query.compliance.reviewCases(heldEvent.case)) as any).isNone);

  // Blocked by velocity: Alice has sent 700 in this window; 400 more exceeds 1_000.
  assert.deepEqual(await precheck(alice.address, bob.address, 400), {
    outcome: 'rejected',
    rule: 'VelocityLimitExceeded',
  });
  await fails(api.tx.tokenization.transfer(TOKEN, bob.address, 400), alice, 'compliance.VelocityLimitExceeded');
  assert.equal(await balance(bob.address), 700n);

  // No bypass: a direct pallet-assets transfer inside utility.batch is filtered, and a
  // tokenization transfer inside a batch meets the same rules.
  const bypass = await ok(api.tx.utility.batch([api.tx.assets.transfer(TOKEN, charlie.address, 10)]), bob);
  const interrupted = eventData(bypass, 'utility', 'BatchInterrupted');
  assert.equal(api.registry.findMetaError(interrupted.error.asModule).name, 'CallFiltered');
  const nested = await ok(api.tx.utility.batch([api.tx.tokenization.transfer(TOKEN, charlie.address, 10)]), bob);
  const nestedError = eventData(nested, 'utility', 'BatchInterrupted').error;
  assert.equal(api.registry.findMetaError(nestedError.asModule).name, 'JurisdictionBlocked');
  assert.equal(await balance(charlie.address), 0n);
  assert.equal(await balance(bob.address), 700n);
});
