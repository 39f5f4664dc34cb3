// Writes docs/payment-link-vectors.json: links and what a reader must make of them, checked by
// the SDK's suite and by `tpw`'s (client/src/link.rs), so that both read links alike. Run once
// when the format changes: node --import tsx test/gen-link-vectors.ts
import { writeFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { canonicalLink, createLink, verifyLink, LinkError, type PaymentRequest } from '../src/index.ts';
import { CHAIN, NOW, request } from './link-fixture.ts';


await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const base = request({ id: '0x' + '5a'.repeat(16) });
const link = await createLink(alice, base);
const cases: { link: string; expect: string; amount?: string; memo?: string | null; why: string }[] = [];
const ok = (l: string, why: string, amount = '2500000000000', memo: string | null = base.memo) =>
  cases.push({ link: l, expect: 'accepted', amount, memo, why });
const no = (l: string, expect: string, why: string) => cases.push({ link: l, expect, why });

ok(link, 'as signed');
const [head, query] = link.split('?');
ok(`${head}?${query.split('&').reverse().join('&')}`, 'parameters in another order');
ok(link.replace(/id=0x5a+/, (m) => m.toUpperCase().replace('ID=0X', 'id=0x')), 'hex in upper case (the id)');
ok(link.replace('tpwallet:', 'TPWALLET:'), 'the scheme in upper case');
ok(await createLink(alice, { ...base, memo: undefined }), 'no memo', '2500000000000', null);
ok((await createLink(alice, { ...base, memo: undefined })).replace('&id=', '&memo=&id='), 'an empty memo', '2500000000000', '');
ok(link.replace('caf%C3%A9', 'café'), 'a raw non-ASCII character in the memo');
ok(await createLink(alice, { ...base, memo: 'a+b' }), 'a plus sign in the memo', '2500000000000', 'a+b');
const otherFormat = { ...alice, address: encodeAddress(alice.publicKey, 7777) } as typeof alice;
ok(await createLink(otherFormat, base), 'a payee in another SS58 format');
ok(await createLink(alice, { ...base, asset: 7001, amount: 1n, memo: 'x' }), 'a token', '1', 'x');
ok(
  await createLink(alice, { ...base, method: 'channel', hashLock: '0x' + 'cd'.repeat(32) }),
  'over a channel, with its hash lock',
);
ok(await createLink(alice, { ...base, amount: (1n << 128n) - 1n }), 'the largest amount', ((1n << 128n) - 1n).toString());
const wrapped = canonicalLink({ ...base, payee: alice.address } as PaymentRequest);
ok(`${wrapped}&sig=${u8aToHex(alice.sign(u8aWrapBytes(stringToU8a(wrapped))))}`, 'signed by a browser extension (<Bytes> wrapping)');

no(link.replace('amount=2500000000000', 'amount=2500000000001'), 'BadSignature', 'amount changed');
no(link.replace(alice.address, bob.address), 'BadSignature', 'payee changed');
no(link.replace('Invoice', 'Invoize'), 'BadSignature', 'memo changed');
no(link.replace(/&memo=[^&]*/, ''), 'BadSignature', 'memo removed');
no(link.replace(`exp=${NOW + 3600}`, `exp=${NOW + 7200}`), 'BadSignature', 'expiry changed');
no(link.replace('asset=TPW', 'asset=5'), 'BadSignature', 'asset changed');
no(link.replace('method=chain', 'method=channel&hash=0x' + 'cd'.repeat(32)), 'BadSignature', 'method changed');
no(link.replace(/sig=.*$/, 'sig=' + u8aToHex(bob.sign(stringToU8a(link.slice(0, link.indexOf('&sig=')))))), 'BadSignature', 'signed by another key');
no(await createLink(alice, { ...base, expiresAt: NOW }), 'Expired', 'expires now');
no(await createLink(alice, { ...base, chain: '0x' + '78'.repeat(32) }), 'WrongChain', 'for another chain');
no(link.replace('v=1', 'v=2'), 'UnsupportedVersion', 'version 2');
no(link + '&extra=1', 'UnknownParameter', 'an unknown parameter');
no(link + '&amount=1', 'Malformed', 'a parameter twice');
no(link.replace(/&sig=.*$/, ''), 'Malformed', 'no signature');
no(link.replace(/sig=0x../, 'sig=0x'), 'Malformed', 'a short signature');
no(link.replace('tpwallet:', 'bitcoin:'), 'Malformed', 'another scheme');
no(link.replace('?', '#'), 'Malformed', 'no parameters');
no(link.replace('amount=2500000000000', 'amount=02500000000000'), 'Malformed', 'a leading zero');
no(link.replace('amount=2500000000000', 'amount=0'), 'Malformed', 'a zero amount');
no(link.replace('amount=2500000000000', 'amount=-1'), 'Malformed', 'a negative amount');
no(link.replace('amount=2500000000000', 'amount=' + (1n << 128n).toString()), 'Malformed', 'an amount over 128 bits');
no(link.replace('asset=TPW', 'asset=4294967296'), 'Malformed', 'an asset id over 32 bits');
no(link.replace('asset=TPW', 'asset=tpw'), 'Malformed', 'asset in lower case');
no(link.replace(`exp=${NOW + 3600}`, 'exp=9007199254740992'), 'Malformed', 'an expiry beyond 2^53');
no(link.replace('method=chain', 'method=card'), 'Malformed', 'an unknown method');
no(link.replace('method=chain', 'method=chain&hash=0x' + 'cd'.repeat(32)), 'Malformed', 'a hash lock on chain');
no(link.replace('method=chain', 'method=channel'), 'Malformed', 'a channel payment without a hash lock');
no(link.replace(/id=0x[0-9a-f]+/, 'id=0x1234'), 'Malformed', 'a short id');
no(link.replace(CHAIN, '0x1234'), 'Malformed', 'a short chain');
no(link.replace('%20', '%E0%A4%A'), 'Malformed', 'broken percent-encoding');
no(link.replace('%20', '%C0%AF'), 'Malformed', 'an overlong UTF-8 sequence');
no(link.replace('Invoice', 'Invo%0Aice'), 'Malformed', 'a control character in the memo');
no(link.replace('Invoice', 'x'.repeat(141)), 'Malformed', 'a memo over 140 bytes');
no(link.replace(alice.address, 'not-an-address'), 'Malformed', 'a payee that is not SS58');
no(link.replace(alice.address, u8aToHex(alice.publicKey)), 'Malformed', 'a payee in hex');
no(link.replace(alice.address, ` ${alice.address}`), 'Malformed', 'a payee with a space');
no(link.replace('Invoice', 'Invo%C2%85ice'), 'Malformed', 'a C1 control character in the memo');
no(link.replace('Invoice', '%E2%80%AEInvoice'), 'Malformed', 'a bidirectional override in the memo');
no(link.replace('&asset=', '&='), 'Malformed', 'a parameter without a name');
no(link + '&memo2', 'Malformed', 'a parameter without a value');
no(link + '&&', 'Malformed', 'an empty parameter');
no(link.replace('Invoice', 'x'.repeat(1024)), 'TooLong', 'over 1,024 characters');

// Each case is what this SDK makes of it; the suite re-checks, and tpw's tests must agree.
for (const c of cases) {
  let got: string;
  try {
    verifyLink(c.link, { chain: CHAIN, now: NOW });
    got = 'accepted';
  } catch (e) {
    if (!(e instanceof LinkError)) throw e;
    got = e.code;
  }
  if (got !== c.expect) throw new Error(`${c.why}: expected ${c.expect}, got ${got}`);
}
const out = { about: 'Payment links and what a reader must make of them (docs/payment-links.md). Generated by sdk/test/gen-link-vectors.ts; read by the SDK\'s suite and client/src/link.rs.', chain: CHAIN, now: NOW, cases };
writeFileSync(new URL('../../docs/payment-link-vectors.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`${cases.length} cases`);
