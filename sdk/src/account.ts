// Who signs: the SDK never holds keys of its own. A transaction is signed by a keyring pair or by
// an injected polkadot.js `Signer` (a browser extension, a hardware wallet bridge, an HSM); raw
// payloads (channel states) by a pair or by any function that signs the exact bytes.
import type { Signer } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';

/** A transaction signer: a keyring pair, or an address with an injected `Signer`. */
export type Account = KeyringPair | { address: string; signer: Signer };

/**
 * Signs raw bytes as they are, with sr25519: a keyring pair, or a function (for keys held
 * elsewhere). Browser extensions wrap raw data in `<Bytes>…</Bytes>` before signing, which the
 * runtime does not: channel states need a signer that signs the payload itself.
 */
export type RawSigner = KeyringPair | { address: string; sign: (payload: Uint8Array) => Promise<Uint8Array> };

export function addressOf(account: Account | RawSigner): string {
  return account.address;
}

export function isPair(account: Account | RawSigner): account is KeyringPair {
  return typeof (account as KeyringPair).lock === 'function';
}

/** A `MultiSignature` as polkadot.js encodes it, over exactly `payload`. */
export async function signRaw(signer: RawSigner, payload: Uint8Array): Promise<{ Sr25519: string }> {
  if (isPair(signer)) {
    if (signer.type !== 'sr25519') throw new Error(`an sr25519 key is needed, ${signer.address} is ${signer.type}`);
    return { Sr25519: u8aToHex(signer.sign(payload)) };
  }
  return { Sr25519: u8aToHex(await signer.sign(payload)) };
}
