// tpwallet's RPC methods as polkadot.js decorates them with the SDK's definitions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { apiOptions, formatUnits, parseUnits } from '../src/index.ts';
import type { DevChain } from './dev-chain.ts';

export function rpcTests(chain: () => DevChain) {
  describe('RPC definitions', () => {
    test('api.rpc.tokenization, paymentChannels and settlement are decorated and typed', async () => {
      const { sdk, acc } = chain();
      const rpc = sdk.api.rpc;
      for (const [section, methods] of Object.entries({
        tokenization: ['tokenInfo', 'holderBalance', 'claimable', 'roles', 'checkTransfer'],
        paymentChannels: ['channel'],
        settlement: ['executionFailures', 'openCycle', 'member'],
      })) {
        for (const method of methods) assert.equal(typeof (rpc as any)[section]?.[method], 'function', `${section}.${method}`);
      }
      // Unknown ids answer null (an Option that is None), not an error.
      assert.ok((await rpc.tokenization.tokenInfo(424242)).isNone);
      assert.ok((await rpc.paymentChannels.channel(424242)).isNone);
      assert.ok((await rpc.settlement.openCycle(424242)).isNone);
      assert.ok((await rpc.settlement.member(424242, acc.bob.address)).isNone);
      assert.deepEqual((await rpc.tokenization.roles(424242, acc.bob.address)).toJSON(), []);
      // The pre-check of an unknown token names the rule, through the typed result.
      const check = await rpc.tokenization.checkTransfer(424242, acc.alice.address, acc.bob.address, '5');
      assert.equal(check.outcome.toString(), 'rejected');
      assert.equal(check.rule.unwrap().toString(), 'UnknownToken');
    });

    test('apiOptions keeps a caller’s own RPC definitions and types beside tpwallet’s', async () => {
      const { node } = chain();
      const api = await ApiPromise.create(
        apiOptions(new WsProvider(node.wsUrl), {
          // A caller's own definition of one of tpwallet's methods (here: roles as raw JSON).
          rpc: { tokenization: { roles: { description: 'roles, raw', params: [{ name: 'token', type: 'u32' }, { name: 'who', type: 'AccountId' }], type: 'Json' } } },
          types: { MyType: 'u8' },
        }),
      );
      try {
        const roles = await (api.rpc as any).tokenization.roles(424242, chain().acc.bob.address);
        assert.equal(roles.constructor.name, 'Json', 'the caller’s definition is used');
        assert.equal(typeof (api.rpc as any).tokenization.checkTransfer, 'function', 'the section’s other methods stay');
        assert.equal(api.registry.createType('MyType' as any, 7).toString(), '7');
      } finally {
        await api.disconnect();
      }
    });

    test('amounts convert exactly and refuse what they cannot represent', () => {
      assert.equal(parseUnits('1.5', 12), 1_500_000_000_000n);
      assert.equal(parseUnits('0.000000000001', 12), 1n);
      assert.equal(parseUnits('123456789012345678901234567890', 0), 123456789012345678901234567890n);
      assert.equal(formatUnits(1_500_000_000_000n, 12), '1.5');
      assert.equal(formatUnits(10n ** 12n, 12), '1');
      assert.equal(formatUnits(1n, 12), '0.000000000001');
      for (const bad of ['', '-1', '1e5', '1.', '.5', '0x10', '1,5', '1.0000000000001']) {
        assert.throws(() => parseUnits(bad, 12), RangeError, bad);
      }
    });
  });
}
