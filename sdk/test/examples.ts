// The examples in examples/ run against the dev node as a newcomer would run them, and the code
// blocks of sdk/README.md are those examples, verbatim.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DevChain } from './dev-chain.ts';

const SDK_DIR = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

async function example(name: string, url: string, cwd: string): Promise<string> {
  // tsx as the SDK resolves it: the example may run elsewhere (it writes files in `cwd`).
  const tsx = import.meta.resolve('tsx');
  const { stdout } = await run(process.execPath, ['--import', tsx, join(SDK_DIR, 'examples', name), url], {
    cwd,
    timeout: 180_000,
  });
  return stdout;
}

export function exampleTests(chain: () => DevChain) {
  describe('examples', () => {
    test('every ts block of the README is an example, verbatim', () => {
      const readme = readFileSync(join(SDK_DIR, 'README.md'), 'utf8');
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
      assert.ok(blocks.length >= 3);
      const files = readdirSync(join(SDK_DIR, 'examples'));
      for (const block of blocks) {
        const name = /^\/\/ examples\/([\w-]+\.ts)/.exec(block)?.[1];
        assert.ok(name && files.includes(name), `a README block that is not an example: ${block.slice(0, 80)}`);
        assert.equal(block, readFileSync(join(SDK_DIR, 'examples', name), 'utf8'), `README's copy of ${name}`);
      }
      assert.equal(blocks.length, files.length, 'every example is in the README');
    });

    test('read-with-polkadot-js', async () => {
      const out = await example('read-with-polkadot-js.ts', chain().node.wsUrl, SDK_DIR);
      assert.match(out, /a transfer of token 1234 would be rejected \(UnknownToken\)/);
      assert.match(out, /token 1234 does not exist/);
    });

    test('check-then-transfer', async () => {
      const out = await example('check-then-transfer.ts', chain().node.wsUrl, SDK_DIR);
      assert.match(out, /check: \{ outcome: 'allowed', rule: null \}/);
      assert.match(out, /transfer: transferred/);
      assert.match(out, /refused before signing: \w+/);
      assert.match(out, /failed: tokenization\.MissingRole at batch item 0: /);
      assert.match(out, /total: 40000000n/);
    });

    test('pay-with-a-link', async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'sdk-example-'));
      const out = await example('pay-with-a-link.ts', chain().node.wsUrl, cwd);
      assert.match(out, /^tpwallet:5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\?v=1&/);
      assert.match(out, /pay 2\.5 TPW to 5Grw\w+ for "Order 42"/);
      assert.match(out, /paid in finalized block #\d+, fee 0\.\d+ TPW/);
      assert.ok(existsSync(join(cwd, 'order-42.svg')));
    });
  });
}
