// For the ledger's end-to-end script (ledger/e2e.sh): a transfer's timeline as the ledger's API
// shows it while the transfer waits in the node's pool (`submitted`, read from the pool), then
// once included and finalized. Alice's transfer is sent right after a new block, so it waits
// about a slot; if it was included before the first look, it is tried again.
// Run: node --import tsx src/ledger-submitted.ts <ws url> <ledger API url> <API key of Alice>.
import { connect, devAccounts } from './lib/chain.ts';

const [url, ledger, key] = process.argv.slice(2);
if (!url || !ledger || !key) throw new Error('usage: ledger-submitted.ts <ws url> <ledger API> <key>');
const api = await connect(url);
const { alice, bob } = await devAccounts();

async function timeline(hash: string): Promise<{ status: string; steps: { step: string }[] } | null> {
  const res = await fetch(`${ledger}/v1/extrinsics/${hash}/timeline`, { headers: { 'X-API-Key': key } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`timeline ${hash}: ${res.status} ${await res.text()}`);
  return res.json();
}

const nextBlock = () =>
  new Promise<void>((resolve) => {
    let first = true;
    void api.rpc.chain.subscribeNewHeads(() => {
      if (!first) resolve();
      first = false;
    });
  });

let seen: string[] = [];
for (let attempt = 0; attempt < 5 && !seen.includes('submitted'); attempt++) {
  await nextBlock();
  const hash = (await api.tx.balances.transferKeepAlive(bob.address, 1_000_000n).signAndSend(alice)).toHex();
  seen = [];
  for (let i = 0; i < 600; i++) {
    const t = await timeline(hash);
    const status = t?.status ?? 'unknown';
    if (seen.at(-1) !== status) seen.push(status);
    if (status === 'submitted' && JSON.stringify(t?.steps.map((s) => s.step)) !== '["submitted"]') {
      throw new Error(`a submitted timeline with steps ${JSON.stringify(t?.steps)}`);
    }
    if (status === 'settled') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (seen.at(-1) !== 'settled') throw new Error(`the transfer never settled: ${seen.join(' -> ')}`);
  console.log(JSON.stringify({ hash, seen }));
}
if (!seen.includes('submitted')) throw new Error(`never seen in the pool: ${seen.join(' -> ')}`);
await api.disconnect();
process.exit(0);
