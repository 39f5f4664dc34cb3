// The ISO 20022 gateway's submitting side under load, for scripts/bench-gateway.sh: MESSAGES
// pain.001.001.09 messages of TRANSFERS transfers each (1.00 EUR from Alice to Bob, each with its
// own EndToEndId), posted one after the other to a running tpw-ledger with its gateway on; then
// every transfer followed until it settled in a finalized block. Beside the rates, the chain's
// own ceiling for the same transaction (`proxy.proxy(Alice, transfer_with_travel_rule)` signed by
// the institution), computed as tpw-load computes it (bench/src/ceiling.rs): (normal-class block
// weight − base block weight) ÷ its weight, and normal block length ÷ its length, per second of
// slot. A benchmark: it asserts only that every transfer was submitted and settled.
// Run: node --import tsx src/gateway-throughput.ts <api url> <operator key> <ws url> <messages> <transfers>.
import { strict as assert } from 'node:assert';
import { connect, devAccounts } from './lib/chain.ts';

const [API, KEY, URL, messagesArg, transfersArg] = process.argv.slice(2);
if (!API || !KEY || !URL || !messagesArg || !transfersArg) throw new Error('usage: gateway-throughput.ts <api> <key> <ws> <messages> <transfers>');
const MESSAGES = Number(messagesArg);
const TRANSFERS = Number(transfersArg);
const TOKEN = 77;
const run = Date.now();

function pain001(n: number): string {
  const txs = Array.from({ length: TRANSFERS }, (_, i) => `
      <CdtTrfTxInf>
        <PmtId><EndToEndId>B${run}-${n}-${i}</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">1.00</InstdAmt></Amt>
        <Cdtr><Nm>Bob SARL</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>load ${n}-${i}</Ustrd></RmtInf>
      </CdtTrfTxInf>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr><MsgId>LOAD-${run}-${n}</MsgId><CreDtTm>2026-12-03T12:00:00Z</CreDtTm><NbOfTxs>${TRANSFERS}</NbOfTxs><CtrlSum>${TRANSFERS}.00</CtrlSum><InitgPty><Nm>Alice Treasury GmbH</Nm></InitgPty></GrpHdr>
    <PmtInf>
      <PmtInfId>LOAD-${n}</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>${TRANSFERS}</NbOfTxs>
      <ReqdExctnDt><Dt>2026-12-03</Dt></ReqdExctnDt>
      <Dbtr><Nm>Alice Treasury GmbH</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
      <DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt>${txs}
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>`;
}

const ops = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(API + path, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });
  return { status: response.status, body: (await response.json()) as any };
};

// The chain's ceiling for the same transaction.
const api = await connect(URL);
const { alice, bob, ferdie } = await devAccounts();
const sample = api.tx.proxy.proxy(alice.address, null, api.tx.tokenization.transferWithTravelRule(TOKEN, bob.address, 1_000_000n, '0x' + '11'.repeat(32)));
const info = (await sample.paymentInfo(ferdie.address)) as any;
await sample.signAsync(ferdie, { nonce: -1 });
const weights = api.consts.system.blockWeights as any;
const normal = weights.perClass.normal;
const normalBlock = (normal.maxTotal.isSome ? normal.maxTotal.unwrap() : weights.maxBlock).refTime.toBigInt();
const txRefTime = normal.baseExtrinsic.refTime.toBigInt() + info.weight.refTime.toBigInt();
const byWeight = (normalBlock - weights.baseBlock.refTime.toBigInt()) / txRefTime;
const byLength = BigInt((api.consts.system.blockLength as any).max.normal.toNumber()) / BigInt(sample.encodedLength);
const slotMs = Number((await api.call.auraApi.slotDuration()).toString());
const perBlock = byWeight < byLength ? byWeight : byLength;
const ceiling = (Number(perBlock) * 1000) / slotMs;
await api.disconnect();

// The load.
const ids: number[] = [];
const started = performance.now();
for (let n = 0; n < MESSAGES; n++) {
  const out = await ops('/v1/iso20022/messages', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: pain001(n) });
  assert.equal(out.status, 202, JSON.stringify(out.body).slice(0, 400));
  const refused = out.body.transfers.filter((t: any) => t.status !== 'submitted');
  assert.equal(refused.length, 0, JSON.stringify(refused.slice(0, 3)));
  ids.push(out.body.message);
}
const submitted = (performance.now() - started) / 1000;
const open = new Set(ids);
const settledOf = new Map<number, number>();
let shown = 0;
let firstSettled: { at: number; count: number } | undefined;
while (open.size > 0) {
  for (const id of [...open]) {
    const out = await ops(`/v1/iso20022/messages/${id}`);
    const statuses: string[] = out.body.transfers.map((t: any) => t.status);
    assert.ok(!statuses.includes('rejected'), `message ${id}: ${JSON.stringify(out.body.transfers.find((t: any) => t.status === 'rejected'))}`);
    settledOf.set(id, statuses.filter((s) => s === 'settled').length);
    if (statuses.every((s) => s === 'settled')) open.delete(id);
  }
  const elapsed = (performance.now() - started) / 1000;
  const settledSoFar = [...settledOf.values()].reduce((a, b) => a + b, 0);
  if (!firstSettled && settledSoFar > 0) firstSettled = { at: elapsed, count: settledSoFar };
  if (elapsed - shown >= 2) {
    shown = elapsed;
    console.error(`   ${elapsed.toFixed(1)} s: ${settledSoFar} of ${MESSAGES * TRANSFERS} settled`);
  }
  if (open.size > 0) await new Promise((r) => setTimeout(r, 250));
}
const settled = (performance.now() - started) / 1000;
const total = MESSAGES * TRANSFERS;
const result = {
  messages: MESSAGES,
  transfersPerMessage: TRANSFERS,
  transfers: total,
  submittedPerSecond: total / submitted,
  settledPerSecond: total / settled,
  // From the first settled transfer to the last: the rate once the pipeline is full.
  steadySettledPerSecond: firstSettled && settled > firstSettled.at ? (total - firstSettled.count) / (settled - firstSettled.at) : 0,
  firstSettledAfterSeconds: firstSettled?.at ?? 0,
  ceilingPerSecond: ceiling,
  ceilingPerBlock: { byWeight: Number(byWeight), byLength: Number(byLength) },
  txRefTime: Number(txRefTime),
  txLength: sample.encodedLength,
  slotMs,
};
console.log(JSON.stringify(result));
const ratio = (rate: number) => `${rate.toFixed(0)} transfers/s (${(rate / ceiling).toFixed(2)}×)`;
console.log(
  `| ${MESSAGES} × ${TRANSFERS} | ${ceiling.toFixed(0)} tx/s | ${ratio(result.submittedPerSecond)} | ${ratio(result.steadySettledPerSecond)} | ` +
    `${ratio(result.settledPerSecond)} | ${result.firstSettledAfterSeconds.toFixed(1)} s |`,
);
