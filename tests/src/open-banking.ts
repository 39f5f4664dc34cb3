// The open-banking API (NextGenPSD2-shaped) end to end, for gateway/e2e.sh: against the running
// tpw-ledger with its gateway on, a dev node and PostgreSQL, after the script's ISO stories have
// moved Alice's and Bob's EUR. A TPP registered by the operator asks for a consent, Alice signs
// its challenge with her chain key, and the TPP reads her account, balances (equal to the chain)
// and transactions (which add up to the balance); then it initiates a payment Alice signs, which
// settles on chain. Every refusal the framework names is provoked on the way.
// Run: node --import tsx src/open-banking.ts <api url> <operator key> <ws url>.
import { randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { WsProvider } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { devAccounts, waitUntil } from './lib/chain.ts';

const [API, OPS_KEY, URL] = process.argv.slice(2);
if (!API || !OPS_KEY || !URL) throw new Error('usage: open-banking.ts <api url> <operator key> <ws url>');
const TOKEN = 77;
const ALICE_IBAN = 'DE89370400440532013000';
const BOB_IBAN = 'FR1420041010050500013M02606';
const EVE_IBAN = 'NL91ABNA0417164300';
const { alice, bob } = await devAccounts();
const today = new Date().toISOString().slice(0, 10);
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

interface Answer { status: number; body: any; headers: Headers }

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; requestId?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.requestId !== null) headers['x-request-id'] = options.requestId ?? randomUUID();
  const response = await fetch(API + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Asserts a refusal: its status and the framework's code. */
function refused(answer: Answer, status: number, code: string, what: string) {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.tppMessages?.[0]?.code, code, `${what}: ${JSON.stringify(answer.body)}`);
  console.log(`   refused as it should be: ${what} (${status} ${code})`);
}

/** What a wallet's signRaw answers: the holder's signature over the wrapped challenge. */
const sign = (pair: KeyringPair, challenge: string) => u8aToHex(pair.sign(u8aWrapBytes(stringToU8a(challenge))));

const rpc = new WsProvider(URL);
await rpc.isReady;
/** The holder's units of the EUR token, as the chain's best block says. */
async function chainUnits(who: string): Promise<bigint> {
  const holding = (await rpc.send('tokenization_holderBalance', [TOKEN, who])) as { total: string };
  return BigInt(holding.total);
}

const units = (amount: string) => {
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole) * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
  return amount.startsWith('-') ? -value : value;
};

// ---- the operator registers TPPs ----
const ops = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(API + path, { method, headers: { authorization: `Bearer ${OPS_KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
};
const app = await ops('POST', '/v1/open-banking/tpps', { name: 'Budget App Ltd', roles: ['AIS', 'PIS'] });
assert.equal(app.status, 201, JSON.stringify(app.body));
const TPP: string = app.body.token;
assert.match(TPP, /^tpwt_[0-9a-f]{64}$/);
const reader = await ops('POST', '/v1/open-banking/tpps', { name: 'Read-only Aggregator', roles: ['AIS'] });
const READER: string = reader.body.token;
const OTHER: string = (await ops('POST', '/v1/open-banking/tpps', { name: 'Other Payments', roles: ['PIS'] })).body.token;
assert.equal((await ops('POST', '/v1/open-banking/tpps', { name: 'X', roles: ['ROOT'] })).status, 400);
assert.equal((await ops('POST', '/v1/open-banking/tpps', { name: '', roles: ['AIS'] })).status, 400);
assert.equal((await fetch(`${API}/v1/open-banking/tpps`)).status, 401);
console.log('   three TPPs registered; a bad role, an empty name and no key refused');

// ---- the framework's envelope ----
refused(await call('GET', '/psd2/v1/accounts', { token: TPP, requestId: null }), 400, 'FORMAT_ERROR', 'no X-Request-ID');
refused(await call('GET', '/psd2/v1/accounts', { token: TPP, requestId: 'not-a-uuid' }), 400, 'FORMAT_ERROR', 'a malformed X-Request-ID');
refused(await call('GET', '/psd2/v1/accounts', { token: `tpwt_${'0'.repeat(64)}` }), 401, 'TOKEN_INVALID', 'an unknown token');
refused(await call('GET', '/psd2/v1/accounts', {}), 401, 'TOKEN_INVALID', 'no token');
const echo = randomUUID();
assert.equal((await call('GET', '/psd2/v1/accounts', { token: TPP, requestId: echo })).headers.get('x-request-id'), echo);

// ---- consents ----
const eur = (iban: string) => ({ iban, currency: 'EUR' });
const consentBody = (access: any, extra: Record<string, unknown> = {}) => ({ access, recurringIndicator: true, validUntil: days(90), frequencyPerDay: 2, combinedServiceIndicator: false, ...extra });
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur('DE00370400440532013000')] }) }), 400, 'FORMAT_ERROR', 'an IBAN with wrong check digits');
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur('GB82WEST12345698765432')] }) }), 400, 'RESOURCE_UNKNOWN', 'an IBAN that is not an account here');
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur(ALICE_IBAN), eur(BOB_IBAN)] }) }), 400, 'FORMAT_ERROR', 'accounts of two holders in one consent');
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur(ALICE_IBAN)] }, { validUntil: days(400) }) }), 400, 'PERIOD_INVALID', 'a consent for 400 days');
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur(ALICE_IBAN)] }, { frequencyPerDay: 9 }) }), 400, 'FORMAT_ERROR', 'nine accesses a day');
refused(await call('POST', '/psd2/v1/consents', { token: TPP, body: '{"access": ' }), 400, 'FORMAT_ERROR', 'a body that is not JSON');

const created = await call('POST', '/psd2/v1/consents', { token: TPP, body: consentBody({ balances: [eur(ALICE_IBAN)], transactions: [eur(ALICE_IBAN)] }) });
assert.equal(created.status, 201, JSON.stringify(created.body));
assert.equal(created.body.consentStatus, 'received');
const consentId: string = created.body.consentId;
const challenge: string = created.body.challengeData.data[0];
assert.match(challenge, new RegExp(`consent ${consentId}\\nTPP: Budget App Ltd\\nread account details, balances, transactions of ${ALICE_IBAN} EUR\\n`));
const authorise = created.body._links.authoriseTransaction.href as string;
const withConsent = { 'consent-id': consentId };
refused(await call('GET', '/psd2/v1/accounts', { token: TPP, headers: withConsent }), 401, 'CONSENT_INVALID', 'reading before the holder authorised');
refused(await call('PUT', authorise, { token: TPP, body: { scaAuthenticationData: sign(bob, challenge) } }), 401, 'PSU_CREDENTIALS_INVALID', "Bob's signature over Alice's consent");
refused(await call('PUT', authorise, { token: TPP, body: { scaAuthenticationData: '0x1234' } }), 400, 'FORMAT_ERROR', 'a signature that is not 64 bytes');
refused(await call('PUT', authorise, { token: READER, body: { scaAuthenticationData: sign(alice, challenge) } }), 403, 'CONSENT_UNKNOWN', "another TPP authorising this TPP's consent");
const signed = await call('PUT', authorise, { token: TPP, body: { scaAuthenticationData: sign(alice, challenge) } });
assert.equal(signed.status, 200, JSON.stringify(signed.body));
assert.deepEqual([signed.body.scaStatus, signed.body.consentStatus], ['finalised', 'valid']);
assert.equal((await call('GET', `/psd2/v1/consents/${consentId}/status`, { token: TPP })).body.consentStatus, 'valid');
refused(await call('PUT', authorise, { token: TPP, body: { scaAuthenticationData: sign(alice, challenge) } }), 409, 'STATUS_INVALID', 'authorising twice');
console.log(`   consent ${consentId}: valid once Alice signed its challenge`);

// ---- account information ----
const present = { ...withConsent, 'psu-ip-address': '192.0.2.10' };
const listed = await call('GET', '/psd2/v1/accounts', { token: TPP, headers: present });
assert.equal(listed.status, 200, JSON.stringify(listed.body));
const [account] = listed.body.accounts;
assert.equal(listed.body.accounts.length, 1);
assert.deepEqual([account.iban, account.currency, account.name], [ALICE_IBAN, 'EUR', 'Alice Treasury GmbH']);
const id: string = account.resourceId;
const balances = await call('GET', `/psd2/v1/accounts/${id}/balances`, { token: TPP, headers: present });
assert.equal(balances.status, 200, JSON.stringify(balances.body));
const interim = balances.body.balances.find((b: any) => b.balanceType === 'interimBooked');
const closing = balances.body.balances.find((b: any) => b.balanceType === 'closingBooked');
assert.equal(units(interim.balanceAmount.amount), await chainUnits(alice.address), 'the booked balance is the chain\'s');
const moves = await call('GET', `/psd2/v1/accounts/${id}/transactions?bookingStatus=booked&dateFrom=${days(-1)}&dateTo=${today}`, { token: TPP, headers: present });
assert.equal(moves.status, 200, JSON.stringify(moves.body));
const booked: any[] = moves.body.transactions.booked;
const e2e = booked.map((t) => t.endToEndId).filter(Boolean);
for (const ref of ['E2E-A-1', 'E2E-A-2']) assert.ok(e2e.includes(ref), `${ref} in ${e2e}`);
const paid = booked.find((t) => t.endToEndId === 'E2E-A-1');
assert.equal(paid.transactionAmount.amount.startsWith('-'), true);
assert.equal(paid.debtorAccount.iban, ALICE_IBAN);
assert.equal(paid.bankTransactionCode, 'PMNT-ICDT-DMCT');
// The day before the chain began is empty: yesterday's closing balance plus every move since is now.
const sum = booked.reduce((s, t) => s + units(t.transactionAmount.amount), 0n);
assert.equal(units(closing.balanceAmount.amount) + sum, units(interim.balanceAmount.amount), 'closing + transactions = interim');
console.log(`   Alice's account: interimBooked ${interim.balanceAmount.amount} EUR = the chain; ${booked.length} transactions add up to it`);

refused(await call('GET', `/psd2/v1/accounts/${id}/transactions?bookingStatus=pending&dateFrom=${today}`, { token: TPP, headers: present }), 400, 'PARAMETER_NOT_SUPPORTED', 'pending transactions');
refused(await call('GET', `/psd2/v1/accounts/${id}/transactions?bookingStatus=booked&dateFrom=${days(-200)}`, { token: TPP, headers: present }), 400, 'PERIOD_INVALID', 'a 200-day period');
refused(await call('GET', `/psd2/v1/accounts/${id}/transactions?bookingStatus=booked&dateFrom=2026-13-01`, { token: TPP, headers: present }), 400, 'FORMAT_ERROR', 'a month 13');
refused(await call('GET', '/psd2/v1/accounts/0123456789abcdef01234567/balances', { token: TPP, headers: present }), 403, 'CONSENT_INVALID', 'an account the consent does not name');
refused(await call('GET', '/psd2/v1/accounts', { token: READER, headers: present }), 400, 'CONSENT_UNKNOWN', "another TPP reading under this TPP's consent");
// Without the holder present, two accesses a day.
for (let i = 0; i < 2; i++) assert.equal((await call('GET', `/psd2/v1/accounts/${id}/balances`, { token: TPP, headers: withConsent })).status, 200);
refused(await call('GET', `/psd2/v1/accounts/${id}/balances`, { token: TPP, headers: withConsent }), 429, 'ACCESS_EXCEEDED', 'a third unattended access today');
assert.equal((await call('GET', `/psd2/v1/accounts/${id}/balances`, { token: TPP, headers: present })).status, 200);

// A consent to account details only.
const details = await call('POST', '/psd2/v1/consents', { token: READER, body: consentBody({ accounts: [eur(BOB_IBAN)] }) });
assert.equal(details.status, 201, JSON.stringify(details.body));
const detailsSigned = await call('PUT', details.body._links.authoriseTransaction.href, { token: READER, body: { scaAuthenticationData: sign(bob, details.body.challengeData.data[0]) } });
assert.equal(detailsSigned.status, 200, JSON.stringify(detailsSigned.body));
const bobHeaders = { 'consent-id': details.body.consentId, 'psu-ip-address': '192.0.2.11' };
const bobAccount = (await call('GET', '/psd2/v1/accounts', { token: READER, headers: bobHeaders })).body.accounts[0];
assert.equal(bobAccount.iban, BOB_IBAN);
refused(await call('GET', `/psd2/v1/accounts/${bobAccount.resourceId}/balances`, { token: READER, headers: bobHeaders }), 403, 'CONSENT_INVALID', 'balances under a consent to account details');
refused(await call('POST', '/psd2/v1/payments/sepa-credit-transfers', { token: READER, headers: { 'psu-ip-address': '192.0.2.11' }, body: {} }), 401, 'ROLE_INVALID', 'a payment by a TPP registered for AIS only');
assert.equal((await call('DELETE', `/psd2/v1/consents/${details.body.consentId}`, { token: READER })).status, 204);
refused(await call('GET', '/psd2/v1/accounts', { token: READER, headers: bobHeaders }), 401, 'CONSENT_INVALID', 'reading under a consent the TPP ended');
console.log('   scope, other TPPs, accesses a day and ended consents enforced');

// ---- payment initiation ----
const psu = { 'psu-ip-address': '192.0.2.10' };
const payment = (amount: string, extra: Record<string, unknown> = {}) => ({
  endToEndIdentification: `OB-${randomUUID().slice(0, 8)}`,
  debtorAccount: eur(ALICE_IBAN),
  instructedAmount: { currency: 'EUR', amount },
  creditorAccount: { iban: BOB_IBAN },
  creditorName: 'Bob SARL',
  remittanceInformationUnstructured: 'Invoice 2026-117',
  ...extra,
});
const SCT = '/psd2/v1/payments/sepa-credit-transfers';
refused(await call('POST', '/psd2/v1/payments/instant-sepa-credit-transfers', { token: TPP, headers: psu, body: payment('1.00') }), 404, 'PRODUCT_UNKNOWN', 'a payment product not offered');
refused(await call('POST', SCT, { token: TPP, headers: psu, body: payment('1.001.0') }), 400, 'FORMAT_ERROR', 'an amount that is not a number');
refused(await call('POST', SCT, { token: TPP, headers: psu, body: payment('1.00', { creditorName: 'x'.repeat(71) }) }), 400, 'FORMAT_ERROR', 'a creditor name over 70 characters');
refused(await call('POST', SCT, { token: TPP, headers: psu, body: payment('1.00', { requestedExecutionDate: days(3) }) }), 400, 'EXECUTION_DATE_INVALID', 'a future-dated payment');
refused(await call('POST', SCT, { token: TPP, body: payment('1.00') }), 400, 'FORMAT_ERROR', 'a payment without the holder present');
refused(await call('POST', SCT, { token: TPP, headers: psu, body: payment('1.00', { debtorAccount: eur('GB82WEST12345698765432') }) }), 400, 'RESOURCE_UNKNOWN', 'a debtor account that is not here');

const aliceBefore = await chainUnits(alice.address);
const bobBefore = await chainUnits(bob.address);
const requestId = randomUUID();
const body = payment('12.34');
const initiated = await call('POST', SCT, { token: TPP, headers: psu, body, requestId });
assert.equal(initiated.status, 201, JSON.stringify(initiated.body));
assert.equal(initiated.body.transactionStatus, 'RCVD');
const paymentId: string = initiated.body.paymentId;
const again = await call('POST', SCT, { token: TPP, headers: psu, body, requestId });
assert.equal(again.body.paymentId, paymentId, 'a retried request is the same payment');
const payChallenge: string = initiated.body.challengeData.data[0];
assert.match(payChallenge, new RegExp(`pay 12.34 EUR from ${ALICE_IBAN} to Bob SARL \\(${BOB_IBAN}\\)`));
const payAuthorise = initiated.body._links.authoriseTransaction.href as string;
const done = await call('PUT', payAuthorise, { token: TPP, body: { scaAuthenticationData: sign(alice, payChallenge) } });
assert.equal(done.status, 200, JSON.stringify(done.body));
assert.equal(done.body.scaStatus, 'finalised');
assert.ok(['ACSP', 'ACSC'].includes(done.body.transactionStatus), JSON.stringify(done.body));
await waitUntil('the payment to settle', 90_000, async () => (await call('GET', `${SCT}/${paymentId}/status`, { token: TPP })).body.transactionStatus === 'ACSC');
assert.equal(await chainUnits(bob.address), bobBefore + 12_340_000n, "Bob's balance after the payment");
assert.equal(await chainUnits(alice.address), aliceBefore - 12_340_000n, "Alice's balance after the payment");
const shown = await call('GET', `${SCT}/${paymentId}`, { token: TPP });
assert.deepEqual([shown.body.transactionStatus, shown.body.instructedAmount.amount], ['ACSC', '12.34']);
refused(await call('PUT', payAuthorise, { token: TPP, body: { scaAuthenticationData: sign(alice, payChallenge) } }), 409, 'STATUS_INVALID', 'signing a payment twice');
refused(await call('DELETE', `${SCT}/${paymentId}`, { token: TPP }), 405, 'CANCELLATION_INVALID', 'cancelling a settled payment');
console.log(`   payment ${paymentId}: 12.34 EUR from Alice to Bob, signed by Alice, ACSC; balances exact`);

// A payment beyond Alice's funds: refused with its ISO reason once signed; nothing moves.
const tooMuch = await call('POST', SCT, { token: TPP, headers: psu, body: payment('9999999.00') });
const tooMuchSigned = await call('PUT', tooMuch.body._links.authoriseTransaction.href, { token: TPP, body: { scaAuthenticationData: sign(alice, tooMuch.body.challengeData.data[0]) } });
assert.deepEqual([tooMuchSigned.body.transactionStatus, tooMuchSigned.body.reasonCode], ['RJCT', 'AM04'], JSON.stringify(tooMuchSigned.body));
// To a creditor without KYC: refused by the compliance pre-check.
const toEve = await call('POST', SCT, { token: TPP, headers: psu, body: payment('1.00', { creditorAccount: { iban: EVE_IBAN }, creditorName: 'Eve Imports BV' }) });
const toEveSigned = await call('PUT', toEve.body._links.authoriseTransaction.href, { token: TPP, body: { scaAuthenticationData: sign(alice, toEve.body.challengeData.data[0]) } });
assert.equal(toEveSigned.body.transactionStatus, 'RJCT', JSON.stringify(toEveSigned.body));
assert.equal(await chainUnits(alice.address), aliceBefore - 12_340_000n, 'nothing moved');
console.log(`   refused after signing: an overdraft (AM04), a creditor without KYC (${toEveSigned.body.reasonCode})`);

// Three wrong signatures reject a payment; a payment not yet signed can be cancelled.
const guessed = await call('POST', SCT, { token: TPP, headers: psu, body: payment('2.00') });
const guessedAt = guessed.body._links.authoriseTransaction.href as string;
for (let i = 0; i < 3; i++) refused(await call('PUT', guessedAt, { token: TPP, body: { scaAuthenticationData: sign(bob, guessed.body.challengeData.data[0]) } }), 401, 'PSU_CREDENTIALS_INVALID', `a wrong signature, attempt ${i + 1}`);
assert.equal((await call('GET', `${SCT}/${guessed.body.paymentId}/status`, { token: TPP })).body.transactionStatus, 'RJCT');
refused(await call('PUT', guessedAt, { token: TPP, body: { scaAuthenticationData: sign(alice, guessed.body.challengeData.data[0]) } }), 409, 'STATUS_INVALID', "Alice's signature after three wrong ones");
const unsigned = await call('POST', SCT, { token: TPP, headers: psu, body: payment('3.00') });
assert.equal((await call('DELETE', `${SCT}/${unsigned.body.paymentId}`, { token: TPP })).status, 204);
assert.equal((await call('GET', `${SCT}/${unsigned.body.paymentId}/status`, { token: TPP })).body.transactionStatus, 'CANC');
refused(await call('PUT', unsigned.body._links.authoriseTransaction.href, { token: TPP, body: { scaAuthenticationData: sign(alice, unsigned.body.challengeData.data[0]) } }), 409, 'STATUS_INVALID', 'signing a cancelled payment');
refused(await call('GET', `${SCT}/${paymentId}/status`, { token: READER }), 401, 'ROLE_INVALID', 'a payment read by a TPP without PIS');
refused(await call('GET', `${SCT}/${paymentId}/status`, { token: OTHER }), 403, 'RESOURCE_UNKNOWN', "another TPP reading this TPP's payment");
refused(await call('PUT', payAuthorise, { token: OTHER, body: { scaAuthenticationData: sign(alice, payChallenge) } }), 403, 'RESOURCE_UNKNOWN', "another TPP authorising this TPP's payment");
assert.equal(await chainUnits(alice.address), aliceBefore - 12_340_000n, 'nothing more moved');

// ---- revocation and the document ----
assert.equal((await ops('DELETE', `/v1/open-banking/tpps/${app.body.id}`)).status, 204);
refused(await call('GET', `${SCT}/${paymentId}/status`, { token: TPP }), 401, 'TOKEN_INVALID', 'a revoked TPP');
const doc = await (await fetch(`${API}/openapi.json`)).json() as any;
for (const path of ['/psd2/v1/consents', '/psd2/v1/accounts/{account}/transactions', '/psd2/v1/payments/{product}', '/v1/open-banking/tpps']) {
  assert.ok(doc.paths[path], `${path} in the OpenAPI document`);
}
console.log('   a revoked TPP is refused; the OpenAPI document describes the API');
await rpc.disconnect();
