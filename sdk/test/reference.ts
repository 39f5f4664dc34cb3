// docs/reference/ is what the chain's metadata and the SDK's definitions say now.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { renderReference } from '../reference/render.ts';
import type { DevChain } from './dev-chain.ts';

const DIR = new URL('../../docs/reference/', import.meta.url);

export function referenceTests(chain: () => DevChain) {
  describe('reference', () => {
    test('docs/reference matches the runtime metadata (UPDATE_REFERENCE=1 rewrites it)', () => {
      const pages = renderReference(chain().sdk.api);
      assert.ok(pages.size >= 10);
      if (process.env.UPDATE_REFERENCE === '1') {
        mkdirSync(DIR, { recursive: true });
        for (const [file, text] of pages) writeFileSync(new URL(file, DIR), text);
      }
      const stale: string[] = [];
      for (const [file, text] of pages) {
        const path = new URL(file, DIR);
        if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file);
      }
      assert.deepEqual(stale, [], 'pages that differ from the chain: cd sdk && UPDATE_REFERENCE=1 npm test');
      // Every call of tpwallet's pallets is documented, with its parameters.
      const tokenization = pages.get('tokenization.md')!;
      assert.match(tokenization, /### `tokenization\.createToken\(token, template, name, symbol, cap, documentHash\)`/);
      assert.doesNotMatch(tokenization, /\(undocumented\)/);
    });
  });
}
