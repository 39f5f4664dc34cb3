// examples/pay-with-a-link.ts: a shop asks for 2.5 TPW with a signed payment link and a QR code;
// a customer's wallet verifies the link and pays it. Run against a dev node:
//   node --import tsx examples/pay-with-a-link.ts ws://127.0.0.1:9944
// //Alice and //Bob are the well-known DEVELOPMENT keys: never use them on a real network.
import { writeFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Tpwallet, formatUnits, linkQrSvg, parseUnits } from '@tpwallet/sdk';

const sdk = await Tpwallet.connect(process.argv[2] ?? 'ws://127.0.0.1:9944');
await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519' });
const shop = keyring.addFromUri('//Alice');
const customer = keyring.addFromUri('//Bob');

// The shop: a request valid for 10 minutes, signed with its key, as a link and a QR code.
const link = await sdk.links.create(shop, { asset: 'TPW', amount: parseUnits('2.5', 12), expiresIn: 600, memo: 'Order 42' });
writeFileSync('order-42.svg', await linkQrSvg(link));
console.log(link);

// The customer's wallet: verify (signature, chain, expiry), show, pay; wait for finality.
const request = sdk.links.verify(link);
console.log(`pay ${formatUnits(request.amount, 12)} TPW to ${request.payee} for "${request.memo}"`);
const { result } = await sdk.links.pay(customer, link);
console.log(`paid in finalized block #${result.blockNumber}, fee ${formatUnits(result.fee, 12)} TPW`);
await sdk.disconnect();
