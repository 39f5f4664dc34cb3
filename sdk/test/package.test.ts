// The package as published: `dist/` (built by `pretest`) exports what the sources do.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the built package exports the same API as the sources', async () => {
  const built = await import('../dist/index.js' as string);
  const source = await import('../src/index.ts');
  assert.deepEqual(Object.keys(built).sort(), Object.keys(source).sort());
  assert.equal(typeof built.Tpwallet.connect, 'function');
  assert.equal(built.parseUnits('2.5', 1), 25n);
});
