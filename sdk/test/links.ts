// Payment links: signed by the payee, refused when altered, expired or for another chain, robust
// to hostile input, rendered as QR codes that decode back to the link, and paid on chain.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';
import jsQRModule from 'jsqr';
import { blake2AsHex } from '@polkadot/util-crypto';
import { stringToU8a, u8aToHex, u8aWrapBytes, hexToU8a } from '@polkadot/util';
import type { Signer } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import {
  LinkError,
  MAX_LINK_LENGTH,
  TransferRefused,
  createLink,
  eventData,
  linkQrPng,
  linkQrSvg,
  parseLink,
  verifyLink,
  parseUnits,
  type PaymentRequest,
} from '../src/index.ts';
import { UNIT, rejectsWith, type DevChain } from './dev-chain.ts';
import { CHAIN, NOW, request } from './link-fixture.ts';
import { NODE_BIN } from '../../tests/src/lib/node.ts';

/** The channel client, built beside the node. */
const TPW_BIN = process.env.TPW_BIN ?? join(dirname(NODE_BIN), 'tpw');

// jsqr is CommonJS with its function as `default`.
const jsQR = ((jsQRModule as any).default ?? jsQRModule) as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

const LINK_TOKEN = 7101;

/** What a request says, with hex in one letter case. */
const meaning = (r: PaymentRequest) => ({
  ...r,
  chain: r.chain.toLowerCase(),
  id: r.id.toLowerCase(),
  hashLock: r.hashLock?.toLowerCase(),
  memo: r.memo || undefined,
});

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LinkError) return e.code;
    throw e;
  }
  return 'accepted';
};

export function linkTests(chain: () => DevChain) {
  describe('payment links', () => {
    test('a link round-trips: created, parsed and verified with every field', async () => {
      const { acc } = chain();
      const link = await createLink(acc.alice, request());
      assert.ok(link.startsWith(`tpwallet:${acc.alice.address}?v=1&chain=${CHAIN}&asset=TPW&amount=2500000000000&`));
      const verified = verifyLink(link, { chain: CHAIN, now: NOW });
      assert.deepEqual({ ...verified, id: undefined }, { ...request(), payee: acc.alice.address, id: undefined });
      assert.match(verified.id, /^0x[0-9a-f]{32}$/);
      // Hex comes back in lower case whatever case the link used (the id goes into the remark).
      const shouting = link.replace(verified.id, verified.id.toUpperCase().replace('0X', '0x'));
      assert.notEqual(shouting, link);
      assert.equal(verifyLink(shouting, { chain: CHAIN, now: NOW }).id, verified.id);
      // Only sr25519 keys sign links; a request that breaks a limit is refused before anyone is asked to sign.
      const ed = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
      await assert.rejects(createLink(ed, request()), /sr25519/);
      let asked = 0;
      const counting = { address: acc.alice.address, sign: async (b: Uint8Array) => (asked++, acc.alice.sign(b)) };
      await assert.rejects(createLink(counting, request({ memo: 'é'.repeat(71) })), LinkError);
      assert.equal(asked, 0);
      // Two requests get two ids.
      assert.notEqual(parseLink(await createLink(acc.alice, request())).request.id, verified.id);
      // A channel request carries the invoice's hash lock.
      const hashLock = '0x' + 'ab'.repeat(32);
      const channelLink = await createLink(acc.alice, request({ method: 'channel', hashLock }));
      assert.equal(verifyLink(channelLink, { chain: CHAIN, now: NOW }).hashLock, hashLock);
      await assert.rejects(createLink(acc.alice, request({ method: 'channel' })), LinkError);
      await assert.rejects(createLink(acc.alice, request({ hashLock })), LinkError);
    });

    test('an altered, expired, wrong-chain or unknown-version link is refused with its reason', async () => {
      const { acc } = chain();
      const link = await createLink(acc.alice, request());
      const verify = (l: string, now = NOW, on = CHAIN) => code(() => verifyLink(l, { chain: on, now }));
      assert.equal(verify(link), 'accepted');
      assert.equal(verify(link.replace('amount=2500000000000', 'amount=2500000000001')), 'BadSignature');
      assert.equal(verify(link.replace(acc.alice.address, acc.bob.address)), 'BadSignature');
      assert.equal(verify(link.replace('Invoice', 'Invoize')), 'BadSignature');
      assert.equal(verify(link.replace(`exp=${NOW + 3600}`, `exp=${NOW + 7200}`)), 'BadSignature');
      assert.equal(verify(link.replace(/&memo=[^&]*/, '')), 'BadSignature');
      assert.equal(verify(link.replace('asset=TPW', 'asset=5')), 'BadSignature');
      assert.equal(verify(link, NOW + 3600), 'Expired');
      assert.equal(verify(link, NOW, '0x' + '78'.repeat(32)), 'WrongChain');
      assert.equal(verify(link.replace('v=1', 'v=2')), 'UnsupportedVersion');
      assert.equal(verify(link + '&extra=1'), 'UnknownParameter');
      assert.equal(verify(link + '&amount=1'), 'Malformed');
      assert.equal(verify(link.replace(/&sig=.*$/, '')), 'Malformed');
      assert.equal(verify(link.replace('tpwallet:', 'bitcoin:')), 'Malformed');
      assert.equal(verify(link.replace('amount=2500000000000', 'amount=02500000000000')), 'Malformed');
      assert.equal(verify(link.replace('amount=2500000000000', 'amount=-1')), 'Malformed');
      assert.equal(verify(link.replace('amount=2500000000000', 'amount=' + '9'.repeat(40))), 'Malformed');
      assert.equal(verify(link.replace('%20', '%E0%A4%A')), 'Malformed');
      assert.equal(verify(link + '&memo=' + 'x'.repeat(MAX_LINK_LENGTH)), 'TooLong');
      // A signature by someone else over the same request is not the payee's.
      const { request: parsed } = parseLink(link);
      const forged = link.replace(/sig=.*$/, 'sig=' + u8aToHex(acc.bob.sign(stringToU8a(link.slice(0, link.indexOf('&sig='))))));
      assert.equal(parsed.payee, acc.alice.address);
      assert.equal(verify(forged), 'BadSignature');
      // Order and letter case of hex values do not change the request: still the payee's.
      const [head, query] = link.split('?');
      const reordered = `${head}?${query.split('&').reverse().join('&')}`;
      assert.equal(verify(reordered), 'accepted');
      assert.equal(verify(link.replace(CHAIN, CHAIN.toUpperCase().replace('0X', '0x'))), 'accepted');
      // What the payee cannot sign is refused before signing.
      await assert.rejects(createLink(acc.alice, request({ memo: 'x'.repeat(141) })), LinkError);
      await assert.rejects(createLink(acc.alice, request({ memo: 'line\nbreak' })), LinkError);
      await assert.rejects(createLink(acc.alice, request({ amount: 0n })), LinkError);
      await assert.rejects(createLink(acc.alice, request({ chain: '0x1234' })), LinkError);
    });

    test('hostile input: random mutations are refused as LinkError or keep the request unchanged', async () => {
      const { acc } = chain();
      const link = await createLink(acc.alice, request());
      const original = verifyLink(link, { chain: CHAIN, now: NOW });
      const alphabet = 'abcdefABCDEF0123456789%&=?:;#+-_.~ é\u0000';
      // A fixed seed: the same mutations every run.
      let seed = 0x5eed;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      let refused = 0;
      for (let i = 0; i < 2000; i++) {
        const chars = [...link];
        const at = rand(chars.length);
        const kind = rand(3);
        if (kind === 0) chars[at] = alphabet[rand(alphabet.length)];
        else if (kind === 1) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[rand(alphabet.length)]);
        const mutated = chars.join('');
        try {
          const verified = verifyLink(mutated, { chain: CHAIN, now: NOW });
          // Accepted only if it still says exactly what the payee signed.
          assert.deepEqual(meaning(verified), meaning(original));
        } catch (e) {
          if (!(e instanceof LinkError)) throw new Error(`${JSON.stringify(mutated)} threw ${e}`);
          refused += 1;
        }
      }
      assert.ok(refused > 1900, `${refused} of 2000 mutations refused`);
      for (const junk of ['', 'tpwallet:', 'tpwallet:?', 'tpwallet:x?v=1', '?&&==', 'tpwallet:' + '?'.repeat(5000)]) {
        assert.ok(['Malformed', 'TooLong', 'UnknownParameter'].includes(code(() => verifyLink(junk, { chain: CHAIN }))), junk);
      }
    });

    test('the shared vectors (docs/payment-link-vectors.json) read as tpw reads them', () => {
      const vectors = JSON.parse(readFileSync(new URL('../../docs/payment-link-vectors.json', import.meta.url), 'utf8'));
      assert.ok(vectors.cases.length > 40);
      for (const c of vectors.cases) {
        const got = code(() => verifyLink(c.link, { chain: vectors.chain, now: vectors.now }));
        assert.equal(got, c.expect, c.why);
        if (c.expect === 'accepted') {
          const r = verifyLink(c.link, { chain: vectors.chain, now: vectors.now });
          assert.equal(r.amount.toString(), c.amount, c.why);
          assert.equal(r.memo ?? null, c.memo, c.why);
        }
      }
    });

    test('tpw and the SDK read each other’s links', async () => {
      const { sdk, acc, node } = chain();
      const tpw = (...args: string[]) =>
        execFileSync(TPW_BIN, ['--url', node.wsUrl, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const fromTpw = tpw('--suri', '//Dave', 'link', 'create', '--asset', '7001', '--amount', '777', '--memo', 'from tpw: 5 € ✓').trim();
      const read = sdk.links.verify(fromTpw);
      assert.deepEqual([read.payee, read.asset, read.amount, read.memo, read.method], [acc.dave.address, 7001, 777n, 'from tpw: 5 € ✓', 'chain']);
      const fromSdk = await sdk.links.create(acc.eve, { asset: 'TPW', amount: 123n, expiresIn: 600, memo: 'from the SDK & co' });
      const shown = JSON.parse(tpw('link', 'show', fromSdk));
      const mine = sdk.links.verify(fromSdk);
      assert.deepEqual(shown, {
        payee: acc.eve.address,
        chain: sdk.api.genesisHash.toHex(),
        asset: 'TPW',
        amount: '123',
        expiresAt: mine.expiresAt,
        method: 'chain',
        hash: null,
        memo: 'from the SDK & co',
        id: mine.id,
      });
      const altered = fromSdk.replace('amount=123', 'amount=124');
      assert.throws(() => tpw('link', 'show', altered), /refused: BadSignature/);
    });

    test('a browser extension signs a link (its <Bytes> wrapping is accepted)', async () => {
      const { acc } = chain();
      const signer: Signer = {
        signRaw: async ({ data }) => ({ id: 1, signature: u8aToHex(acc.charlie.sign(u8aWrapBytes(hexToU8a(data)))) }),
      };
      const link = await createLink({ address: acc.charlie.address, signer }, request());
      assert.equal(verifyLink(link, { chain: CHAIN, now: NOW }).payee, acc.charlie.address);
    });

    test('QR codes: the PNG decodes back to the link, the SVG is a drawing of it', async () => {
      const { acc } = chain();
      const link = await createLink(acc.alice, request());
      const png = PNG.sync.read(Buffer.from(await linkQrPng(link)));
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      assert.equal(decoded?.data, link);
      const svg = await linkQrSvg(link);
      assert.match(svg, /^<svg[^>]*viewBox="0 0 \d+ \d+"/);
      assert.ok(svg.includes('<path'), 'modules drawn');
      await assert.rejects(linkQrSvg('tpwallet:' + 'x'.repeat(MAX_LINK_LENGTH)), RangeError);
    });

    test('paid on chain: TPW and a token, found by the request id; expired, foreign and refused ones are not paid', async () => {
      const { sdk, acc, registerTemplate } = chain();
      const { alice, bob, charlie } = acc;
      const link = await sdk.links.create(alice, { asset: 'TPW', amount: parseUnits('2.5', 12), expiresIn: 600, memo: 'Order 42' });
      const before = (await sdk.nativeBalance(alice.address)).free;
      const paid = await sdk.links.pay(bob, link);
      assert.equal((await sdk.nativeBalance(alice.address)).free - before, parseUnits('2.5', 12));
      // The payee finds the payment by the id the link carries.
      const remarked = eventData(paid.result, 'system', 'Remarked');
      // (`data.hash` is polkadot.js's hash of the event data itself: the field is the second one.)
      assert.equal(remarked[1].toHex(), blake2AsHex(`tpwallet:${paid.request.id}`));
      assert.equal(remarked.sender.toString(), bob.address);

      // A link from another chain, or an expired one, is refused before anything is signed.
      const foreign = await createLink(alice, { ...request(), chain: '0x' + '99'.repeat(32), expiresAt: NOW + 10 ** 9 });
      await rejectsWith(sdk.links.pay(bob, foreign), LinkError, 'WrongChain');
      const shortLived = await sdk.links.create(alice, { asset: 'TPW', amount: UNIT, expiresIn: 1 });
      await new Promise((r) => setTimeout(r, 2_100));
      const bobBefore = (await sdk.nativeBalance(bob.address)).free;
      await rejectsWith(sdk.links.pay(bob, shortLived), LinkError, 'Expired');
      assert.equal((await sdk.nativeBalance(bob.address)).free, bobBefore, 'nothing paid, no fee');
      const channelLink = await sdk.links.create(alice, {
        asset: 'TPW',
        amount: UNIT,
        expiresIn: 600,
        method: 'channel',
        hashLock: '0x' + 'cd'.repeat(32),
      });
      await assert.rejects(sdk.links.pay(bob, channelLink), /paid over a payment channel/);

      // A token, through its rules: an allowlisted token refuses a payer off its allowlist.
      const template = await registerTemplate({ class: 'UtilityToken', decimals: 2, policy: 'Allowlisted' });
      await sdk.tokens.create(alice, { id: LINK_TOKEN, template, name: 'Loyalty', symbol: 'LOY', documentHash: '0x' + '44'.repeat(32) });
      await sdk.submitOk(
        sdk.api.tx.utility.batchAll([
          sdk.api.tx.tokenization.setAllowlisted(LINK_TOKEN, alice.address, true),
          sdk.api.tx.tokenization.setAllowlisted(LINK_TOKEN, bob.address, true),
          sdk.api.tx.tokenization.mint(LINK_TOKEN, bob.address, 10_000),
        ]),
        alice,
      );
      const tokenLink = await sdk.links.create(alice, { asset: LINK_TOKEN, amount: 1_250n, expiresIn: 600, memo: 'Voucher' });
      const tokenPaid = await sdk.links.pay(bob, tokenLink);
      assert.equal(tokenPaid.held, false);
      assert.equal((await sdk.tokens.balance(LINK_TOKEN, alice.address))!.total, 1_250n);
      const toCharlie = await sdk.links.create(charlie, { asset: LINK_TOKEN, amount: 1n, expiresIn: 600 });
      const refused = await rejectsWith(sdk.links.pay(bob, toCharlie), TransferRefused);
      assert.equal(refused.check.rule, 'NotAllowlisted');
    });
  });
}
