// examples/check-then-transfer.ts: an issuer creates a stablecoin from a governance template,
// attests reserves and mints; a holder pre-checks a transfer, then sends it. Every failure,
// including one nested in a batch, arrives as an error with the runtime's explanation.
//   node --import tsx examples/check-then-transfer.ts ws://127.0.0.1:9944
// Dev chain only: sudo (//Alice) stands in for the council; dev keys are DEVELOPMENT keys.
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Tpwallet, TransferRefused, TxFailed, eventData, parseUnits } from '@tpwallet/sdk';

const sdk = await Tpwallet.connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { until: 'inBlock' });
const { api } = sdk;
await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519' });
const [issuer, attestor, holder, friend] = ['//Alice', '//Dave', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
const TOKEN = 9000 + Math.floor(Math.random() * 1000); // an unused asset id

// Governance (here: sudo) registers a stablecoin template; its id comes from the event.
const registered = await sdk.submitOk(
  api.tx.sudo.sudo(
    api.tx.tokenization.registerTemplate({ class: 'Stablecoin', decimals: 6, maxCap: null, policy: 'Open', defaultLockup: null, issuerRoles: 15 }),
  ),
  issuer,
);
const template = eventData(registered, 'tokenization', 'TemplateRegistered').template.toNumber();
await sdk.tokens.create(issuer, { id: TOKEN, template, name: 'Example Euro', symbol: 'XEUR', documentHash: '0x' + '11'.repeat(32) });
await sdk.submitOk(api.tx.sudo.sudo(api.tx.tokenization.setReserveAttestor(TOKEN, attestor.address)), issuer);
await sdk.tokens.attestReserves(attestor, TOKEN, parseUnits('1000', 6), '0x' + '22'.repeat(32));
await sdk.tokens.mint(issuer, TOKEN, holder.address, parseUnits('100', 6));

console.log('check:', await sdk.tokens.check(TOKEN, holder.address, friend.address, parseUnits('40', 6)));
const sent = await sdk.tokens.transfer(holder, TOKEN, friend.address, parseUnits('40', 6));
console.log('transfer:', sent.status);
try {
  await sdk.tokens.transfer(holder, TOKEN, friend.address, parseUnits('500', 6));
} catch (e) {
  if (!(e instanceof TransferRefused)) throw e;
  console.log('refused before signing:', e.check.rule);
}
try {
  await sdk.submitOk(api.tx.utility.batch([api.tx.tokenization.mint(TOKEN, holder.address, 1)]), holder);
} catch (e) {
  if (!(e instanceof TxFailed)) throw e;
  const [failure] = e.result.failures;
  console.log(`failed: ${failure.code} at ${failure.at}: ${failure.docs}`);
}
console.log('balance:', await sdk.tokens.balance(TOKEN, friend.address));
await sdk.disconnect();
