// The compliance officer's decision on a review case, for the gateway's end-to-end script
// (gateway/e2e.sh): Alice, the token's issuer and controller, approves the case.
// Run: node --import tsx src/gateway-review.ts ws://127.0.0.1:9944 <case>.
import { connect, devAccounts, submitOk } from './lib/chain.ts';

const [url, caseArg] = process.argv.slice(2);
if (!url || !caseArg) throw new Error('usage: gateway-review.ts <ws url> <case>');
const api = await connect(url);
const { alice } = await devAccounts();
await submitOk(api, api.tx.compliance.approveCase(Number(caseArg)), alice);
console.log(JSON.stringify({ approved: Number(caseArg) }));
await api.disconnect();
