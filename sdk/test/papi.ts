// For those who prefer PAPI (polkadot-api): descriptors generated from the runtime this tree
// builds (`papi add --wasm`), then a typed client against the dev node: a constant, storage, a
// runtime API of ours, and a transaction signed with a dev key, its event read back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createClient, Binary } from 'polkadot-api';
import { getWsProvider } from 'polkadot-api/ws';
import { getPolkadotSigner } from 'polkadot-api/signer';
import { WebSocket } from 'ws';
import { blake2AsHex } from '@polkadot/util-crypto';
import { RUNTIME_WASM } from '../../tests/src/lib/node.ts';
import type { DevChain } from './dev-chain.ts';

const SDK_DIR = new URL('..', import.meta.url).pathname;
/** Where the suite generates the descriptors (ignored by git: they are the runtime's, not ours). */
const BUILD = join(SDK_DIR, '.papi-build');

export function papiTests(chain: () => DevChain) {
  describe('PAPI descriptors', () => {
    test('generated from the runtime, they type a client of the dev node', async () => {
      rmSync(BUILD, { recursive: true, force: true });
      mkdirSync(BUILD, { recursive: true });
      writeFileSync(join(BUILD, 'package.json'), JSON.stringify({ name: 'papi-build', private: true, type: 'module' }));
      await promisify(execFile)(join(SDK_DIR, 'node_modules', '.bin', 'papi'), ['add', 'tpwallet', '--wasm', RUNTIME_WASM], {
        cwd: BUILD,
        timeout: 300_000,
      });
      const { tpwallet } = await import(pathToFileURL(join(BUILD, '.papi', 'descriptors', 'dist', 'index.js')).href);

      const { node, acc } = chain();
      // Node 20 has no global WebSocket (22 has): hand PAPI the `ws` package's.
      const client = createClient(getWsProvider(node.wsUrl, { websocketClass: WebSocket as any }));
      try {
        const api = client.getTypedApi(tpwallet) as any;
        assert.equal(await api.constants.Htlc.MaxPreimageLen(), 256);
        assert.ok((await api.query.System.Number.getValue()) > 0);
        // A runtime API of ours, typed: an unknown token has no info.
        assert.equal(await api.apis.TokenizationApi.token_info(424242), undefined);
        // A transaction signed with a dev key (DEVELOPMENT key) through PAPI's signer.
        const ferdie = acc.ferdie;
        const signer = getPolkadotSigner(ferdie.publicKey, 'Sr25519', (input: Uint8Array) => ferdie.sign(input));
        const remark = Binary.fromText('hello from PAPI');
        const result = await api.tx.System.remark_with_event({ remark }).signAndSubmit(signer);
        assert.equal(result.ok, true);
        const remarked = api.event.System.Remarked.filter(result.events);
        assert.equal(remarked.length, 1);
        const { hash } = remarked[0].payload;
        assert.equal(typeof hash === 'string' ? hash : hash.asHex(), blake2AsHex('hello from PAPI'));
        // A refused call, typed: the dispatch error names the pallet and the error.
        const refused = await api.tx.Tokenization.mint({ token: 424242, beneficiary: { type: 'Id', value: ferdie.address }, amount: 1n })
          .signAndSubmit(signer);
        assert.equal(refused.ok, false);
        assert.equal(refused.dispatchError.type, 'Module');
        assert.equal(refused.dispatchError.value.type, 'Tokenization');
      } finally {
        client.destroy();
      }
    });
  });
}
