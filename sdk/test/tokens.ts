// Tokens through the SDK: a stablecoin from a governance template, minting, the pre-check, and
// a regulated security token whose transfers are allowed, held for review or refused by rule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransferRefused, TxFailed, eventData, parseUnits } from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';

const EURC = 7001;
const BOND = 7002;
const SHARES = 7003;
const DOC = '0x' + '11'.repeat(32);
/** An ISO 3166-1 alpha-2 code as the runtime's `[u8; 2]`. */
const country = (code: string) => Array.from(Buffer.from(code, 'ascii'));

export function tokenTests(chain: () => DevChain) {
  describe('tokens', () => {
    test('a stablecoin: template, issue, mint, check then transfer; refusals by name', async () => {
      const { sdk, acc, root, registerTemplate } = chain();
      const { api } = sdk;
      const { alice, bob, charlie, dave } = acc;
      const template = await registerTemplate({ class: 'Stablecoin', decimals: 6, policy: 'Open' });

      // The issuer's input is checked before anything is signed.
      await assert.rejects(
        sdk.tokens.create(alice, { id: EURC, template, name: 'Euro Coin', symbol: 'EURC', documentHash: '0x11' }),
        RangeError,
      );
      const created = await sdk.tokens.create(alice, { id: EURC, template, name: 'Euro Coin', symbol: 'EURC', documentHash: DOC });
      assert.deepEqual([created.token, created.class], [EURC, 'Stablecoin']);
      // The same id again is refused by name, with the runtime's explanation.
      const taken = await rejectsWith(
        sdk.tokens.create(alice, { id: EURC, template, name: 'Again', symbol: 'EUR2', documentHash: DOC }),
        TxFailed,
      );
      assert.match(taken.code, /^tokenization\./);
      assert.deepEqual(await sdk.tokens.roles(EURC, alice.address), ['Admin', 'Minter', 'Freezer', 'Controller']);

      const info = await sdk.tokens.info(EURC);
      assert.ok(info);
      assert.deepEqual(
        [info.class, info.issuer, info.symbol, info.decimals, info.supply, info.cap, info.policy, info.paused],
        ['Stablecoin', alice.address, 'EURC', 6, 0n, null, 'Open', false],
      );
      assert.equal(await sdk.tokens.info(424242), null);

      // A stablecoin mints within its attested reserves only.
      await rejectsWith(sdk.tokens.mint(alice, EURC, alice.address, 1n), TxFailed, 'tokenization.InsufficientReserves');
      await root(api.tx.tokenization.setReserveAttestor(EURC, dave.address));
      const attested = await sdk.tokens.attestReserves(dave, EURC, parseUnits('1000', 6), '0x' + '33'.repeat(32));
      assert.equal(attested.shortfall, false);
      await sdk.tokens.mint(alice, EURC, alice.address, parseUnits('1000', 6));
      await rejectsWith(sdk.tokens.mint(alice, EURC, alice.address, 1n), TxFailed, 'tokenization.InsufficientReserves');
      await rejectsWith(sdk.tokens.mint(bob, EURC, bob.address, 5n), TxFailed, 'tokenization.MissingRole');
      await assert.rejects(sdk.tokens.mint(alice, EURC, bob.address, -1n), RangeError);
      assert.equal((await sdk.tokens.info(EURC))!.supply, 1_000_000_000n);

      assert.deepEqual(await sdk.tokens.check(EURC, alice.address, bob.address, parseUnits('250.5', 6)), {
        outcome: 'allowed',
        rule: null,
      });
      const sent = await sdk.tokens.transfer(alice, EURC, bob.address, parseUnits('250.5', 6));
      assert.equal(sent.status, 'transferred');
      assert.deepEqual(await sdk.tokens.balance(EURC, bob.address), {
        total: 250_500_000n,
        locked: 0n,
        transferable: 250_500_000n,
        frozen: false,
      });
      // More than Bob has: the pre-check refuses it before anything is signed or paid.
      const before = (await sdk.nativeBalance(bob.address)).free;
      const refused = await rejectsWith(sdk.tokens.transfer(bob, EURC, charlie.address, parseUnits('300', 6)), TransferRefused);
      assert.equal(refused.check.outcome, 'rejected');
      assert.ok(refused.check.rule, 'the rule is named');
      assert.equal((await sdk.nativeBalance(bob.address)).free, before, 'no fee was paid');
      // Without the pre-check the chain refuses it, by name, and the fee is spent.
      const onChain = await rejectsWith(
        sdk.tokens.transfer(bob, EURC, charlie.address, parseUnits('300', 6), { precheck: false }),
        TxFailed,
      );
      assert.equal(onChain.result.failures[0].at, 'transaction');
      assert.ok(onChain.result.fee > 0n);
      // A travel-rule digest is carried by the transfer that needs one.
      const withRecord = await sdk.tokens.transfer(bob, EURC, charlie.address, 1_000_000n, { travelRule: '0x' + '22'.repeat(32) });
      assert.equal(withRecord.status, 'transferred');
      await assert.rejects(sdk.tokens.transfer(bob, EURC, charlie.address, 1n, { travelRule: '0x22' }), RangeError);
    });

    test('a security token: a lock-up, then a dividend claimed pro rata', async () => {
      const { sdk, acc, bestAtLeast, registerTemplate } = chain();
      const { api } = sdk;
      const { alice, bob, charlie } = acc;
      const template = await registerTemplate({ class: 'SecurityToken', decimals: 0, policy: 'Open' });
      await sdk.tokens.create(alice, { id: SHARES, template, name: 'Acme Shares', symbol: 'ACME', documentHash: DOC });
      await sdk.tokens.mint(alice, SHARES, bob.address, 300n);
      await sdk.tokens.mint(alice, SHARES, charlie.address, 100n);

      // 200 of Bob's 300 locked: nothing before 3 blocks, everything after 5.
      const locked = await sdk.tokens.addLockup(alice, SHARES, bob.address, 200n, { cliff: 3, duration: 5 });
      assert.deepEqual(await sdk.tokens.balance(SHARES, bob.address), { total: 300n, locked: 200n, transferable: 100n, frozen: false });
      await rejectsWith(sdk.tokens.addLockup(bob, SHARES, bob.address, 1n, { cliff: 1, duration: 2 }), TxFailed, 'tokenization.MissingRole');
      const refused = await rejectsWith(sdk.tokens.transfer(bob, SHARES, charlie.address, 150n), TransferRefused);
      assert.equal(refused.check.rule, 'InsufficientTransferable');
      await bestAtLeast(locked.blockNumber + 5);
      assert.equal((await sdk.tokens.balance(SHARES, bob.address))!.locked, 0n);

      // A dividend of 40 TPW on 400 shares: Bob's 300 earn 30, Charlie's 100 earn 10.
      const { distribution } = await sdk.tokens.createDistribution(alice, SHARES, 'TPW', 40n * UNIT, 100);
      assert.deepEqual(await sdk.tokens.claimable(SHARES, bob.address), [{ distribution, payout: 'Native', amount: 30n * UNIT }]);
      const claimed = await sdk.tokens.claimDistribution(bob, distribution);
      assert.equal(claimed.amount, 30n * UNIT);
      assert.deepEqual(await sdk.tokens.claimable(SHARES, bob.address), []);
      await rejectsWith(sdk.tokens.claimDistribution(bob, distribution), TxFailed);
      assert.equal((await sdk.tokens.claimDistribution(charlie, distribution)).amount, 10n * UNIT);
    });

    test('a regulated bond: allowed, held for review with its case, refused by jurisdiction', async () => {
      const { sdk, acc, root, registerTemplate } = chain();
      const { api } = sdk;
      const { alice, bob, charlie, ferdie } = acc;
      // Governance: Ferdie attests KYC for DE, FR and US; a rule set that blocks US persons.
      await root(api.tx.compliance.addTrustedIssuer(ferdie.address, [country('DE'), country('FR'), country('US')]));
      const party = { claimRequired: true, minTier: 1, accreditedOnly: false, sanctionsScreened: false };
      const ruleSetOut = await root(
        api.tx.compliance.registerRuleSet({
          jurisdiction: country('DE'),
          sender: party,
          receiver: party,
          allowedJurisdictions: [],
          blockedJurisdictions: [country('US')],
          travelRuleThreshold: null,
          reviewRiskScore: null,
          rejectRiskScore: null,
        }),
      );
      const ruleSet = eventData(ruleSetOut, 'compliance', 'RuleSetRegistered').ruleSet.toNumber();
      const template = await registerTemplate({ class: 'SecurityToken', decimals: 0, policy: 'Open' });
      await sdk.tokens.create(alice, { id: BOND, template, name: 'Acme Bond', symbol: 'ABND', documentHash: DOC });
      const limits = { maxHolders: null, maxBalance: null, maxTransfer: null, velocity: null, reviewThreshold: 500 };
      await sdk.submitOk(api.tx.compliance.setTokenRules(BOND, { ruleSet, limits }), alice);
      const claim = (jurisdiction: string) => ({
        tier: 1,
        jurisdiction: country(jurisdiction),
        accredited: false,
        sanctionsScreened: true,
        expiresAt: 1_000_000,
        commitment: '0x' + 'ab'.repeat(32),
      });
      await sdk.submitOk(
        api.tx.utility.batchAll([
          api.tx.compliance.attestClaim(alice.address, claim('DE')),
          api.tx.compliance.attestClaim(bob.address, claim('FR')),
          api.tx.compliance.attestClaim(charlie.address, claim('US')),
        ]),
        ferdie,
      );
      await sdk.tokens.mint(alice, BOND, alice.address, 10_000n);

      assert.equal((await sdk.tokens.transfer(alice, BOND, bob.address, 100n)).status, 'transferred');
      const held = await sdk.tokens.transfer(alice, BOND, bob.address, 600n);
      assert.equal(held.status, 'held');
      if (held.status !== 'held') return;
      assert.equal(held.rule, 'ReviewThreshold');
      assert.ok(held.expiresAt > held.result.blockNumber);
      assert.equal((await sdk.tokens.balance(BOND, bob.address))!.total, 100n, 'held units have not moved');
      await sdk.submitOk(api.tx.compliance.approveCase(held.case), alice);
      assert.equal((await sdk.tokens.balance(BOND, bob.address))!.total, 700n);

      const refused = await rejectsWith(sdk.tokens.transfer(alice, BOND, charlie.address, 10n), TransferRefused);
      assert.deepEqual(refused.check, { outcome: 'rejected', rule: 'JurisdictionBlocked' });
      await rejectsWith(
        sdk.tokens.transfer(alice, BOND, charlie.address, 10n, { precheck: false }),
        TxFailed,
        'compliance.JurisdictionBlocked',
      );
      assert.equal((await sdk.tokens.balance(BOND, charlie.address))!.total, 0n);
    });
  });
}
