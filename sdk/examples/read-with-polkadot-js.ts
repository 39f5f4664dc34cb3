// examples/read-with-polkadot-js.ts: plain polkadot.js with the SDK's options, so that tpwallet's
// RPC methods are there (`api.rpc.tokenization.*`, `api.rpc.paymentChannels.*`, ...), typed.
//   node --import tsx examples/read-with-polkadot-js.ts ws://127.0.0.1:9944
import { ApiPromise, WsProvider } from '@polkadot/api';
import { apiOptions } from '@tpwallet/sdk';

const api = await ApiPromise.create(apiOptions(new WsProvider(process.argv[2] ?? 'ws://127.0.0.1:9944')));
const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'; // the dev account //Alice
const bob = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'; // the dev account //Bob

// Amounts are decimal strings: a JSON number loses precision above 2^53.
const check = await api.rpc.tokenization.checkTransfer(1234, alice, bob, '1000000');
console.log(`a transfer of token 1234 would be ${check.outcome}${check.rule.isSome ? ` (${check.rule.unwrap()})` : ''}`);
const info = await api.rpc.tokenization.tokenInfo(1234);
console.log(info.isSome ? `token 1234 is ${info.unwrap().symbol}` : 'token 1234 does not exist');
const channel = await api.rpc.paymentChannels.channel(0);
console.log(channel.isSome ? `channel 0 is ${channel.unwrap().status}` : 'channel 0 is not open');
await api.disconnect();
