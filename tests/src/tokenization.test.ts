// End-to-end: the life of a security token and of a stablecoin on a real `--dev` node, driven
// through polkadot.js, with the `tokenization_*` RPC methods a wallet reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WsProvider, ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { useDevChain, type DevChain } from './lib/dev-chain.ts';
import { eventData, submitFails, submitOk, waitUntil, type TxOutcome } from './lib/chain.ts';

const UNIT = 10n ** 12n;
const ALL_ROLES = 15; // admin | minter | freezer | controller
const SHARES = 2001;
const TUSD = 2002;

let api: ApiPromise;
let rpc: WsProvider;
let acc: DevChain['acc'];
useDevChain('tokenization', (chain) => ({ api, rpc, acc } = chain));

const ok = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair) => submitOk(api, tx, signer);
const fails = (tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, error: string) =>
  submitFails(api, tx, signer, error);
const tokenEvent = (out: TxOutcome, name: string) => eventData(out, 'tokenization', name);

async function registerTemplate(spec: Record<string, unknown>): Promise<number> {
  const out = await ok(api.tx.sudo.sudo(api.tx.tokenization.registerTemplate(spec)), acc.alice);
  return tokenEvent(out, 'TemplateRegistered').template.toNumber();
}

async function holderBalance(token: number, who: string) {
  return (await rpc.send('tokenization_holderBalance', [token, who])) as {
    total: string;
    locked: string;
    transferable: string;
    frozen: boolean;
  };
}

async function assetBalance(token: number, who: string): Promise<bigint> {
  const account = await api.query.assets.account(token, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

async function supply(token: number): Promise<bigint> {
  return (await api.query.assets.asset(token)).unwrap().supply.toBigInt();
}

test('security token: template, issue, allowlist, lock-up, dividend, claim, buyback, burn', async () => {
  const { alice, bob, charlie, dave } = acc;
  const template = await registerTemplate({
    class: 'SecurityToken',
    decimals: 0,
    maxCap: 10_000_000,
    policy: 'Allowlisted',
    defaultLockup: null,
    issuerRoles: ALL_ROLES,
  });

  // Issue: a pallet-assets asset owned by the pallet, metadata set for wallets.
  const created = await ok(
    api.tx.tokenization.createToken(SHARES, template, 'Acme Shares', 'ACME', 1_000_000, '0x' + '11'.repeat(32)),
    alice,
  );
  assert.equal(tokenEvent(created, 'TokenCreated').class.toString(), 'SecurityToken');
  const metadata = await api.query.assets.metadata(SHARES);
  assert.equal(metadata.symbol.toUtf8(), 'ACME');
  assert.deepEqual(await rpc.send('tokenization_roles', [SHARES, alice.address]), [
    'Admin',
    'Minter',
    'Freezer',
    'Controller',
  ]);

  // Allowlist and initial distribution of shares.
  await ok(
    api.tx.utility.batchAll([
      api.tx.tokenization.setAllowlisted(SHARES, alice.address, true),
      api.tx.tokenization.setAllowlisted(SHARES, bob.address, true),
      api.tx.tokenization.setAllowlisted(SHARES, charlie.address, true),
      api.tx.tokenization.mint(SHARES, alice.address, 1_000),
      api.tx.tokenization.transfer(SHARES, bob.address, 300),
      api.tx.tokenization.transfer(SHARES, charlie.address, 100),
    ]),
    alice,
  );
  assert.equal(await assetBalance(SHARES, bob.address), 300n);
  await fails(api.tx.tokenization.transfer(SHARES, dave.address, 1), alice, 'tokenization.NotAllowlisted');
  await fails(api.tx.tokenization.mint(SHARES, alice.address, 0), alice, 'tokenization.ZeroAmount');
  await fails(api.tx.tokenization.mint(SHARES, bob.address, 5), bob, 'tokenization.MissingRole');
  // No way around the rules: a direct pallet-assets transfer, alone or in a batch, is filtered.
  await fails(api.tx.assets.transfer(SHARES, dave.address, 1), bob, 'system.CallFiltered');
  await fails(api.tx.utility.batchAll([api.tx.assets.transfer(SHARES, dave.address, 1)]), bob, 'system.CallFiltered');
  assert.equal(await assetBalance(SHARES, dave.address), 0n);

  // Lock-up: 200 of Bob's 300 locked, cliff 4 blocks, fully unlocked after 6.
  await ok(api.tx.tokenization.addLockup(SHARES, bob.address, 200, { cliff: 4, duration: 6 }, null), alice);
  const locked = await holderBalance(SHARES, bob.address);
  assert.equal(locked.total, '300');
  assert.equal(locked.locked, '200');
  assert.equal(locked.transferable, '100');
  await fails(
    api.tx.tokenization.transfer(SHARES, charlie.address, 150),
    bob,
    'tokenization.InsufficientTransferable',
  );
  await waitUntil('the lock-up to expire', 60_000, async () => (await holderBalance(SHARES, bob.address)).locked === '0');
  await ok(api.tx.tokenization.transfer(SHARES, charlie.address, 150), bob);
  // Now: Alice 600, Bob 150, Charlie 250 of a supply of 1_000.

  // Dividend of 1_000 TPW, paid pro rata to balances at the record point.
  const dividend = 1_000n * UNIT;
  const opened = await ok(api.tx.tokenization.createDistribution(SHARES, 'Native', dividend, 200), alice);
  const distribution = tokenEvent(opened, 'DistributionCreated').distribution.toNumber();
  // A transfer after the record point does not change the shares.
  await ok(api.tx.tokenization.transfer(SHARES, alice.address, 50), charlie);
  const claimable = (await rpc.send('tokenization_claimable', [SHARES, charlie.address])) as any[];
  assert.equal(claimable.length, 1);
  assert.equal(claimable[0].distribution, distribution);
  assert.equal(BigInt(claimable[0].amount), (dividend * 250n) / 1_000n);
  const before = (await api.query.system.account(charlie.address)).data.free.toBigInt();
  const claimed = await ok(api.tx.tokenization.claimDistribution(distribution), charlie);
  assert.equal(tokenEvent(claimed, 'DistributionClaimed').amount.toBigInt(), (dividend * 250n) / 1_000n);
  const fee = claimed.events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
  const paidFee = (fee!.event.data[1] as any).toBigInt() as bigint;
  const after = (await api.query.system.account(charlie.address)).data.free.toBigInt();
  assert.equal(after, before + (dividend * 250n) / 1_000n - paidFee);
  await fails(api.tx.tokenization.claimDistribution(distribution), charlie, 'tokenization.AlreadyClaimed');
  await fails(api.tx.tokenization.closeDistribution(distribution), bob, 'tokenization.DistributionNotExpired');
  await ok(api.tx.tokenization.claimDistribution(distribution), bob);
  assert.equal(((await api.query.tokenization.distributions(distribution)) as any).unwrap().paid.toBigInt(), 400n * UNIT);

  // Buyback at 2 TPW a share with a 1_000 TPW budget: Charlie tenders 100 shares, burned.
  const buyback = tokenEvent(
    await ok(api.tx.tokenization.openBuyback(SHARES, 'Native', 2n * UNIT, 1_000n * UNIT), alice),
    'BuybackOpened',
  ).buyback.toNumber();
  const tendered = await ok(api.tx.tokenization.tender(buyback, 100), charlie);
  assert.equal(tokenEvent(tendered, 'Tendered').paid.toBigInt(), 200n * UNIT);
  assert.equal(await supply(SHARES), 900n);
  await fails(api.tx.tokenization.tender(buyback, 1_000), charlie, 'tokenization.InsufficientTransferable');
  const closed = await ok(api.tx.tokenization.closeBuyback(buyback), alice);
  assert.equal(tokenEvent(closed, 'BuybackClosed').returned.toBigInt(), 800n * UNIT);

  // Burn: the issuer retires 100 of its own shares.
  await ok(api.tx.tokenization.burn(SHARES, 100), alice);
  assert.equal(await supply(SHARES), 800n);
  const info = (await rpc.send('tokenization_tokenInfo', [SHARES])) as any;
  assert.equal(info.class, 'SecurityToken');
  assert.equal(info.supply, '800');
  assert.equal(info.cap, '1000000');
  assert.equal(info.policy, 'Allowlisted');
  const holders = [alice, bob, charlie].map((a) => assetBalance(SHARES, a.address));
  const sum = (await Promise.all(holders)).reduce((a, b) => a + b, 0n);
  assert.equal(sum, 800n, 'holder balances add up to the supply');
});

test('stablecoin: attest reserves, mint within them, redeem', async () => {
  const { alice, bob, eve } = acc;
  const template = await registerTemplate({
    class: 'Stablecoin',
    decimals: 6,
    maxCap: null,
    policy: 'Open',
    defaultLockup: null,
    issuerRoles: ALL_ROLES,
  });
  await ok(api.tx.tokenization.createToken(TUSD, template, 'tpwallet USD', 'TUSD', null, '0x' + '22'.repeat(32)), alice);
  await ok(api.tx.sudo.sudo(api.tx.tokenization.setReserveAttestor(TUSD, eve.address)), alice);

  const usd = 1_000_000n; // 10^6 units
  await fails(api.tx.tokenization.mint(TUSD, bob.address, 1n * usd), alice, 'tokenization.InsufficientReserves');
  await fails(api.tx.tokenization.attestReserves(TUSD, 1_000n * usd, '0x' + '33'.repeat(32)), bob, 'tokenization.NotAttestor');
  await ok(api.tx.tokenization.attestReserves(TUSD, 1_000n * usd, '0x' + '33'.repeat(32)), eve);
  await ok(api.tx.tokenization.mint(TUSD, bob.address, 600n * usd), alice);
  await fails(api.tx.tokenization.mint(TUSD, bob.address, 401n * usd), alice, 'tokenization.InsufficientReserves');

  const redeemed = await ok(api.tx.tokenization.redeem(TUSD, 200n * usd), bob);
  const request = tokenEvent(redeemed, 'RedemptionRequested');
  assert.equal(request.amount.toBigInt(), 200n * usd);
  assert.equal(await supply(TUSD), 400n * usd);
  const id = request.redemption.toNumber();
  assert.ok(((await api.query.tokenization.redemptions(id)) as any).isSome);
  await fails(api.tx.tokenization.confirmRedemption(id, '0x' + '44'.repeat(32)), bob, 'tokenization.MissingRole');
  await ok(api.tx.tokenization.confirmRedemption(id, '0x' + '44'.repeat(32)), alice);
  assert.ok(((await api.query.tokenization.redemptions(id)) as any).isNone);

  const info = (await rpc.send('tokenization_tokenInfo', [TUSD])) as any;
  assert.equal(info.class, 'Stablecoin');
  assert.equal(info.reserves, (1_000n * usd).toString());
  assert.equal(info.supply, (400n * usd).toString());
  assert.equal(await rpc.send('tokenization_tokenInfo', [9999]), null);
});
