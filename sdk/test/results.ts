// Results that tell the truth: a call refused inside a batch, a proxy, a multisig or sudo is a
// failure with its name and place; signers are injected; a transaction the pool refuses rejects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import type { Signer, SignerResult } from '@polkadot/api/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { encodeMultiAddress } from '@polkadot/util-crypto';
import { TxFailed, TxRejected, eventData } from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';

const NO_TOKEN = 424242;

export function resultTests(chain: () => DevChain) {
  describe('transaction results', () => {
    test('a refusal inside utility.batch is a failure at its item, though the extrinsic succeeded', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const result = await sdk.submit(
        api.tx.utility.batch([api.tx.system.remark('0x01'), api.tx.tokenization.mint(NO_TOKEN, acc.bob.address, 1)]),
        acc.bob,
      );
      eventData(result, 'system', 'ExtrinsicSuccess');
      assert.equal(result.ok, false);
      assert.equal(result.failures.length, 1);
      const [failure] = result.failures;
      assert.equal(failure.at, 'batch item 1');
      assert.equal(failure.section, 'tokenization');
      assert.ok(failure.docs.length > 0, 'the metadata explains the error');
      assert.ok(result.fee > 0n, 'the fee is reported');
      // submitOk turns it into an exception with the same code.
      const err = await rejectsWith(
        sdk.submitOk(api.tx.utility.batch([api.tx.tokenization.mint(NO_TOKEN, acc.bob.address, 1)]), acc.bob),
        TxFailed,
        failure.code,
      );
      assert.equal(err.result.failures[0].at, 'batch item 0');
      // A batch that went through is ok.
      const fine = await sdk.submit(api.tx.utility.batch([api.tx.system.remark('0x02')]), acc.bob);
      assert.equal(fine.ok, true);
      assert.deepEqual(fine.failures, []);
    });

    test('utility.forceBatch: each failed item is reported with its index', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const result = await sdk.submit(
        api.tx.utility.forceBatch([
          api.tx.tokenization.mint(NO_TOKEN, acc.bob.address, 1),
          api.tx.system.remark('0x03'),
          api.tx.tokenization.mint(NO_TOKEN + 1, acc.bob.address, 1),
        ]),
        acc.bob,
      );
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.failures.map((f) => f.at),
        ['batch item 0', 'batch item 2'],
      );
      // With a batch inside, item events of both mix: the failure is reported without an index.
      const nested = await sdk.submit(
        api.tx.utility.forceBatch([
          api.tx.utility.batchAll([api.tx.system.remark('0x0a'), api.tx.system.remark('0x0b')]),
          api.tx.tokenization.mint(NO_TOKEN, acc.bob.address, 1),
        ]),
        acc.bob,
      );
      assert.deepEqual(
        nested.failures.map((f) => f.at),
        ['forceBatch item'],
      );
    });

    test('a refusal in a council motion is a failure, though the motion executed', async () => {
      const { sdk, acc, root } = chain();
      const { api } = sdk;
      await root(api.tx.councilMembership.resetMembers([acc.alice.address]));
      // One member: a motion with a threshold of one executes at once, as the council's origin.
      const call = api.tx.tokenization.retireTemplate(999_999);
      const result = await sdk.submit(api.tx.council.propose(1, call, call.method.encodedLength), acc.alice);
      eventData(result, 'council', 'Executed');
      assert.equal(result.ok, false);
      assert.deepEqual(
        result.failures.map((f) => [f.at, f.section]),
        [['motion', 'tokenization']],
      );
    });

    test('a refusal of a proxied call is a failure, though proxy.proxy succeeded', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      await sdk.submitOk(api.tx.proxy.addProxy(acc.dave.address, 'Any', 0), acc.eve);
      const result = await sdk.submit(
        api.tx.proxy.proxy(acc.eve.address, null, api.tx.tokenization.mint(NO_TOKEN, acc.dave.address, 1)),
        acc.dave,
      );
      eventData(result, 'proxy', 'ProxyExecuted');
      assert.equal(result.ok, false);
      assert.equal(result.failures[0].at, 'proxied call');
      assert.equal(result.failures[0].section, 'tokenization');
      // A proxy that lacks the right is refused outright: the extrinsic itself fails.
      const unauthorised = await sdk.submit(
        api.tx.proxy.proxy(acc.eve.address, null, api.tx.system.remark('0x04')),
        acc.ferdie,
      );
      assert.equal(unauthorised.ok, false);
      assert.deepEqual(
        unauthorised.failures.map((f) => [f.at, f.code]),
        [['transaction', 'proxy.NotProxy']],
      );
    });

    test('a refusal in a 2-of-2 multisig call is a failure when the last approval executes it', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const call = api.tx.tokenization.mint(NO_TOKEN, acc.bob.address, 1);
      const maxWeight = { refTime: 5_000_000_000, proofSize: 500_000 };
      const first = await sdk.submitOk(api.tx.multisig.asMulti(2, [acc.charlie.address], null, call, maxWeight), acc.bob);
      const multisig = encodeMultiAddress([acc.bob.address, acc.charlie.address], 2, 42);
      assert.equal(eventData(first, 'multisig', 'NewMultisig').multisig.toString(), multisig);
      const when = ((await api.query.multisig.multisigs(multisig, call.method.hash)) as any).unwrap().when;
      const result = await sdk.submit(api.tx.multisig.asMulti(2, [acc.bob.address], when, call, maxWeight), acc.charlie);
      eventData(result, 'multisig', 'MultisigExecuted');
      assert.equal(result.ok, false);
      assert.equal(result.failures[0].at, 'multisig call');
      assert.equal(result.failures[0].section, 'tokenization');
    });

    test('a refusal under sudo is a failure', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const result = await sdk.submit(api.tx.sudo.sudo(api.tx.tokenization.retireTemplate(999_999)), acc.alice);
      eventData(result, 'sudo', 'Sudid');
      assert.equal(result.ok, false);
      assert.equal(result.failures[0].at, 'sudo call');
      assert.equal(result.failures[0].section, 'tokenization');
      // Sudo by someone else fails the transaction itself.
      const notSudo = await sdk.submit(api.tx.sudo.sudo(api.tx.system.remark('0x05')), acc.bob);
      assert.deepEqual(
        notSudo.failures.map((f) => [f.at, f.code]),
        [['transaction', 'sudo.RequireSudo']],
      );
    });

    test('an injected signer (as a browser extension provides) signs transactions', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const pair = acc.ferdie;
      let asked = 0;
      // What an extension does: sign the payload the dApp hands it, with a key the dApp never sees.
      const signer: Signer = {
        signPayload: async (payload: SignerPayloadJSON): Promise<SignerResult> => {
          asked += 1;
          assert.equal(payload.address, pair.address);
          const extrinsicPayload = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version });
          return { id: asked, signature: extrinsicPayload.sign(pair).signature };
        },
      };
      const before = (await sdk.nativeBalance(acc.dave.address)).free;
      const result = await sdk.submitOk(api.tx.balances.transferKeepAlive(acc.dave.address, UNIT), {
        address: pair.address,
        signer,
      });
      assert.equal(asked, 1);
      assert.equal((await sdk.nativeBalance(acc.dave.address)).free - before, UNIT);
      assert.ok(result.blockNumber > 0);
      // A signer that refuses (the user clicked "cancel") rejects the submission.
      const refusing: Signer = { signPayload: async () => Promise.reject(new Error('Cancelled')) };
      await rejectsWith(sdk.submit(api.tx.system.remark('0x06'), { address: pair.address, signer: refusing }), TxRejected);
    });

    test('a transaction the pool refuses (no funds for the fee) rejects, and finalized waits for finality', async () => {
      const { sdk, acc } = chain();
      const { api } = sdk;
      const pauper = new Keyring({ type: 'sr25519' }).addFromUri('//SdkPauper');
      await rejectsWith(sdk.submit(api.tx.system.remark('0x07'), pauper), TxRejected);
      const result = await sdk.submitOk(api.tx.system.remark('0x08'), acc.bob, { until: 'finalized' });
      const finalized = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
      assert.ok(finalized.number.toNumber() >= result.blockNumber, 'the block is finalized');
      assert.equal((await api.rpc.chain.getBlockHash(result.blockNumber)).toHex(), result.blockHash);
    });
  });
}
