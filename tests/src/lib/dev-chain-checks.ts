// The end-to-end checks of a development chain through polkadot.js: wallets' expectations,
// transfers, assets, multisig, invalid transactions, finality, HTLC. Registered by a test file
// that provides the chain: a fresh `--dev` node (dev-chain.test.ts), or one that has just been
// upgraded to this runtime (upgrade.test.ts), which must pass them all the same.
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { Keyring, type ApiPromise } from '@polkadot/api';
import { createKeyMulti, encodeAddress, sortAddresses } from '@polkadot/util-crypto';
import type { RunningNode } from './node.ts';
import { devAccounts, send, freeBalance, finalizedNumber, waitUntil } from './chain.ts';

const UNIT = 10n ** 12n;

export interface DevChainContext {
  node: RunningNode;
  api: ApiPromise;
  acc: Awaited<ReturnType<typeof devAccounts>>;
}

/** Registers the checks; each reads the chain from `context` when it runs (after the file's
 * own `before` hooks started it). */
export function devChainChecks(context: () => DevChainContext): void {
  let node: RunningNode;
  let api: ApiPromise;
  let acc: DevChainContext['acc'];
  const check = (name: string, body: () => Promise<void>) =>
    test(name, async () => {
      ({ node, api, acc } = context());
      await body();
    });

  check('chain properties, name and metadata are what wallets expect', async () => {
    const props = await api.rpc.system.properties();
    assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['TPW']);
    assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
    assert.equal(props.ss58Format.unwrap().toNumber(), 42);
    assert.equal((await api.rpc.system.chain()).toString(), 'tpwallet Development');
    assert.equal(api.runtimeVersion.specName.toString(), 'tpwallet');
    assert.equal(api.consts.balances.existentialDeposit.toBigInt(), 10n ** 9n);
    const extensions = api.registry.signedExtensions;
    assert.ok(extensions.includes('CheckMetadataHash'), `extensions: ${extensions}`);
    for (const pallet of ['assets', 'nfts', 'multisig', 'utility', 'proxy', 'sudo', 'grandpa', 'aura', 'htlc', 'tokenization', 'compliance']) {
      assert.ok(api.tx[pallet] || api.query[pallet], `pallet ${pallet} in metadata`);
    }
  });

  check('prometheus metrics are served', async () => {
    const res = await fetch(`http://127.0.0.1:${node.prometheusPort}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /substrate_block_height/);
  });

  check('a signed transfer is included and finalized, moving exactly the amount', async () => {
    const bobBefore = await freeBalance(api, acc.bob.address);
    const aliceBefore = await freeBalance(api, acc.alice.address);
    const amount = 12n * UNIT;
    const out = await send(api, api.tx.balances.transferKeepAlive(acc.bob.address, amount), acc.alice, 'finalized');
    assert.equal(out.error, undefined);
    assert.ok(out.events.some(({ event }) => api.events.balances.Transfer.is(event)));
    const fee = out.events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.ok(fee, 'fee event');
    const feePaid = (fee!.event.data[1] as any).toBigInt() as bigint;
    assert.ok(feePaid > 0n);

    // Read the balances at the finalized block that included the transfer.
    const at = await api.at(out.blockHash);
    assert.equal((await at.query.system.account(acc.bob.address)).data.free.toBigInt(), bobBefore + amount);
    assert.equal(
      (await at.query.system.account(acc.alice.address)).data.free.toBigInt(),
      aliceBefore - amount - feePaid,
    );
    const finalized = await finalizedNumber(api);
    const included = (await api.rpc.chain.getHeader(out.blockHash)).number.toNumber();
    assert.ok(finalized >= included, `finalized ${finalized} >= included ${included}`);
  });

  check('an asset is created, minted and transferred', async () => {
    const id = 1001;
    const create = api.tx.utility.batchAll([
      api.tx.assets.create(id, acc.alice.address, 1),
      api.tx.assets.setMetadata(id, 'tpwallet USD', 'tUSD', 6),
      api.tx.assets.mint(id, acc.bob.address, 5_000_000),
    ]);
    const created = await send(api, create, acc.alice);
    assert.equal(created.error, undefined);
    assert.ok(created.events.some(({ event }) => api.events.assets.Created.is(event)));
    assert.ok(created.events.some(({ event }) => api.events.assets.Issued.is(event)));

    const moved = await send(api, api.tx.assets.transfer(id, acc.charlie.address, 1_250_000), acc.bob);
    assert.equal(moved.error, undefined);
    const bal = async (who: string) => {
      const a = await api.query.assets.account(id, who);
      return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
    };
    assert.equal(await bal(acc.bob.address), 3_750_000n);
    assert.equal(await bal(acc.charlie.address), 1_250_000n);
    const details = (await api.query.assets.asset(id)).unwrap();
    assert.equal(details.supply.toBigInt(), 5_000_000n);
    const meta = await api.query.assets.metadata(id);
    assert.equal(meta.symbol.toUtf8(), 'tUSD');

    // Moving more than one holds fails in dispatch and moves nothing.
    const overdraw = await send(api, api.tx.assets.transfer(id, acc.charlie.address, 10_000_000), acc.bob);
    assert.equal(overdraw.error, 'assets.BalanceLow');
    assert.equal(await bal(acc.bob.address), 3_750_000n);
    assert.equal(await bal(acc.charlie.address), 1_250_000n);
  });

  check('a 2-of-3 multisig transfer is approved and executed', async () => {
    const signers = [acc.alice.address, acc.bob.address, acc.charlie.address];
    const multisig = encodeAddress(createKeyMulti(signers, 2), 42);
    const others = (me: string) => sortAddresses(signers.filter((s) => s !== me), 42);

    const funded = await send(api, api.tx.balances.transferKeepAlive(multisig, 100n * UNIT), acc.alice);
    assert.equal(funded.error, undefined);

    const call = api.tx.balances.transferKeepAlive(acc.dave.address, 40n * UNIT);
    const daveBefore = await freeBalance(api, acc.dave.address);
    const maxWeight = { refTime: 5_000_000_000n, proofSize: 1_000_000n };

    const first = await send(api, api.tx.multisig.asMulti(2, others(acc.alice.address), null, call, maxWeight), acc.alice);
    assert.equal(first.error, undefined);
    assert.ok(first.events.some(({ event }) => api.events.multisig.NewMultisig.is(event)));
    assert.equal(await freeBalance(api, acc.dave.address), daveBefore, 'one approval moves nothing');

    const pending = (await api.query.multisig.multisigs(multisig, call.method.hash)).unwrap();
    const second = await send(
      api,
      api.tx.multisig.asMulti(2, others(acc.bob.address), pending.when, call, maxWeight),
      acc.bob,
    );
    assert.equal(second.error, undefined);
    const executed = second.events.find(({ event }) => api.events.multisig.MultisigExecuted.is(event));
    assert.ok(executed, 'MultisigExecuted');
    assert.ok((executed!.event.data[4] as any).isOk, 'inner call succeeded');
    assert.equal(await freeBalance(api, acc.dave.address), daveBefore + 40n * UNIT);
  });

  check('invalid transactions are rejected with the expected error and move nothing', async () => {
    const aliceBefore = await freeBalance(api, acc.alice.address);
    const bobBefore = await freeBalance(api, acc.bob.address);
    const transfer = () => api.tx.balances.transferKeepAlive(acc.bob.address, UNIT);

    // Bad signature: a well-formed extrinsic whose signature is not Alice's.
    const forged = transfer();
    forged.signFake(acc.alice.address, {
      nonce: await api.rpc.system.accountNextIndex(acc.alice.address),
      blockHash: api.genesisHash,
      genesisHash: api.genesisHash,
      runtimeVersion: api.runtimeVersion,
      signedExtensions: api.registry.signedExtensions,
    });
    await assert.rejects(api.rpc.author.submitExtrinsic(forged), /1010.*bad signature/i);

    // Stale nonce: one already used.
    const current = (await api.rpc.system.accountNextIndex(acc.alice.address)).toNumber();
    assert.ok(current > 0);
    await assert.rejects(transfer().signAndSend(acc.alice, { nonce: current - 1 }), /1010.*outdated/i);

    // Insufficient balance to pay fees: a fresh account with nothing.
    const pauper = new Keyring({ type: 'sr25519' }).addFromUri('//tpwallet-e2e-empty');
    await assert.rejects(transfer().signAndSend(pauper), /1010.*Inability to pay some fees/i);

    // Insufficient balance for the amount: included, fails in dispatch, moves nothing but the fee.
    const eveBefore = await freeBalance(api, acc.eve.address);
    const tooMuch = await send(api, api.tx.balances.transferKeepAlive(acc.bob.address, eveBefore * 2n), acc.eve);
    assert.equal(tooMuch.error, 'Token.FundsUnavailable');
    assert.ok((await freeBalance(api, acc.eve.address)) < eveBefore, 'only the fee was charged');

    assert.equal(await freeBalance(api, acc.alice.address), aliceBefore, 'Alice lost nothing');
    assert.equal(await freeBalance(api, acc.bob.address), bobBefore, 'Bob received nothing');
  });

  check('blocks keep being finalized', async () => {
    const start = await finalizedNumber(api);
    await waitUntil('two more finalized blocks', 30_000, async () => (await finalizedNumber(api)) >= start + 2);
  });

  check('an HTLC locks funds on hold and the SHA-256 preimage releases them to the recipient', async () => {
    const secret = 'e2e swap secret';
    const hashLock = '0x' + createHash('sha256').update(secret).digest('hex');
    const amount = 25n * UNIT;
    const minutes = 60_000 / 3_000;

    const tooShort = await send(
      api,
      api.tx.htlc.lock(acc.bob.address, { Native: null }, amount, hashLock, 'Sha256', minutes),
      acc.alice,
    );
    assert.equal(tooShort.error, 'htlc.DurationTooShort');

    const locked = await send(
      api,
      api.tx.htlc.lock(acc.bob.address, { Native: null }, amount, hashLock, 'Sha256', 20 * minutes),
      acc.alice,
    );
    assert.equal(locked.error, undefined);
    const event = locked.events.find(({ event }) => api.events.htlc.Locked.is(event));
    assert.ok(event, 'Locked event');
    const swapId = (event!.event.data as any).swapId.toNumber();
    const reserved = (await api.query.system.account(acc.alice.address)).data.reserved.toBigInt();
    assert.ok(reserved >= amount, 'the amount is on hold');

    const wrong = await send(api, api.tx.htlc.claim(swapId, '0x1234'), acc.bob);
    assert.equal(wrong.error, 'htlc.WrongPreimage');

    const bobBefore = await freeBalance(api, acc.bob.address);
    const claimed = await send(api, api.tx.htlc.claim(swapId, '0x' + Buffer.from(secret).toString('hex')), acc.charlie);
    assert.equal(claimed.error, undefined);
    const claim = claimed.events.find(({ event }) => api.events.htlc.Claimed.is(event));
    assert.ok(claim, 'Claimed event');
    assert.equal(Buffer.from((claim!.event.data as any).preimage.toU8a(true)).toString(), secret);
    assert.equal(await freeBalance(api, acc.bob.address), bobBefore + amount);
    assert.ok((await api.query.htlc.swaps(swapId)).isEmpty, 'the swap is settled');
  });
}
