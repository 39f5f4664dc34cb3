// Payment links: a payment request as a `tpwallet:` URI (and a QR code of it), signed by the
// payee so that nobody between the payee and the payer can change where the money goes, how much,
// or for what. Like BOLT 11 it carries an expiry, a network and the payee's signature; like
// Solana Pay it is a plain URI a wallet opens. The format is docs/payment-links.md; `tpw link`
// reads and writes the same links.
//
//   tpwallet:<payee>?v=1&chain=<genesis>&asset=TPW&amount=<planck>&exp=<unix s>&method=chain
//     [&hash=<hash lock>][&memo=<text>]&id=<request id>&sig=<sr25519 signature>
//
// The signature is over the UTF-8 bytes of everything before `&sig=`, in this canonical form
// (fixed order, memo percent-encoded except RFC 3986's unreserved characters). A parser rebuilds
// the canonical form from the values it read, so a reordered or re-encoded link still verifies,
// and any changed value does not.
import type { Signer } from '@polkadot/api/types';
import { isHex, stringToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, randomAsU8a, signatureVerify } from '@polkadot/util-crypto';
import { isPair, type RawSigner } from './account.ts';

export const LINK_SCHEME = 'tpwallet';
/** Longest link accepted: a QR code of it stays scannable from a phone screen. */
export const MAX_LINK_LENGTH = 1024;
/** Longest memo, in UTF-8 bytes. */
export const MAX_MEMO_BYTES = 140;
const MAX_AMOUNT = (1n << 128n) - 1n;
const MAX_ASSET_ID = 0xffff_ffff;

/** How the payer pays: an on-chain transfer, or over a payment channel to the payee's invoice. */
export type PaymentMethod = 'chain' | 'channel';

export interface PaymentRequest {
  /** The payee's account (SS58). */
  payee: string;
  /** The genesis hash of the chain the payment is on (0x hex). */
  chain: string;
  asset: 'TPW' | number;
  /** In the asset's smallest unit. */
  amount: bigint;
  /** Unix time (seconds) after which the request must not be paid. */
  expiresAt: number;
  method: PaymentMethod;
  /** For `channel`: the payee's invoice hash lock (SHA-256 of its preimage), 0x hex. */
  hashLock?: string;
  memo?: string;
  /** The request's reference: 16 random bytes (0x hex), carried by the payment on chain. */
  id: string;
}

export type LinkErrorCode =
  | 'Malformed'
  | 'TooLong'
  | 'UnknownParameter'
  | 'BadSignature'
  | 'Expired'
  | 'WrongChain'
  | 'UnsupportedVersion';

/** A link that must not be paid, and why. */
export class LinkError extends Error {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'LinkError';
  }
}

/** Who signs a link: a raw signer, or an injected signer (a browser extension's `signRaw`). */
export type LinkSigner = RawSigner | { address: string; signer: Signer };

const PARAMS = ['v', 'chain', 'asset', 'amount', 'exp', 'method', 'hash', 'memo', 'id', 'sig'] as const;

/** What a memo may not hold: C0 and C1 controls, DEL, and the bidirectional overrides and
 * isolates (they make a wallet display text in another order than it is written). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** An unpaired UTF-16 surrogate: not text, and not encodable. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Percent-encoding of everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`). */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The signed part of a link, in canonical form. */
export function canonicalLink(request: PaymentRequest): string {
  const parts = [
    `v=1`,
    `chain=${request.chain.toLowerCase()}`,
    `asset=${request.asset}`,
    `amount=${request.amount}`,
    `exp=${request.expiresAt}`,
    `method=${request.method}`,
  ];
  if (request.hashLock !== undefined) parts.push(`hash=${request.hashLock.toLowerCase()}`);
  if (request.memo !== undefined && request.memo !== '') parts.push(`memo=${encodeStrict(request.memo)}`);
  parts.push(`id=${request.id.toLowerCase()}`);
  return `${LINK_SCHEME}:${request.payee}?${parts.join('&')}`;
}

/** Checks what a request says on its own (before signing or after parsing). */
function checkRequest(r: PaymentRequest): void {
  const malformed = (why: string) => new LinkError('Malformed', why);
  let payeeKey: Uint8Array;
  try {
    payeeKey = decodeAddress(r.payee);
  } catch {
    throw malformed(`payee ${JSON.stringify(r.payee)} is not an SS58 address`);
  }
  if (payeeKey.length !== 32) throw malformed('payee is not a 32-byte account');
  if (isHex(r.payee)) throw malformed('payee must be SS58, not hex');
  if (!isHex(r.chain, 256)) throw malformed('chain must be a 32-byte genesis hash in 0x hex');
  if (r.asset !== 'TPW' && !(Number.isInteger(r.asset) && r.asset >= 0 && r.asset <= MAX_ASSET_ID)) {
    throw malformed('asset must be TPW or an asset id (u32)');
  }
  if (r.amount <= 0n || r.amount > MAX_AMOUNT) throw malformed('amount must be above zero and fit 128 bits');
  if (!Number.isSafeInteger(r.expiresAt) || r.expiresAt <= 0) throw malformed('exp must be a Unix time in seconds');
  if (r.method !== 'chain' && r.method !== 'channel') throw malformed('method must be chain or channel');
  if (r.method === 'channel' && (r.hashLock === undefined || !isHex(r.hashLock, 256))) {
    throw malformed('a channel payment needs the invoice hash lock (hash, 32 bytes of 0x hex)');
  }
  if (r.method === 'chain' && r.hashLock !== undefined) throw malformed('hash is for channel payments only');
  if (r.memo !== undefined) {
    if (stringToU8a(r.memo).length > MAX_MEMO_BYTES) throw malformed(`memo is over ${MAX_MEMO_BYTES} bytes`);
    if (CONTROL.test(r.memo)) throw malformed('memo holds control characters');
  }
  if (!isHex(r.id, 128)) throw malformed('id must be 16 bytes of 0x hex');
}

async function signLinkPayload(signer: LinkSigner, payload: Uint8Array): Promise<string> {
  if (isPair(signer)) return u8aToHex(signer.sign(payload));
  if ('sign' in signer) return u8aToHex(await signer.sign(payload));
  if (!signer.signer.signRaw) throw new Error('the injected signer cannot sign raw data');
  const { signature } = await signer.signer.signRaw({ address: signer.address, data: u8aToHex(payload), type: 'bytes' });
  return signature;
}

/** What a payee fills in; the id is drawn at random unless given. */
export type NewPaymentRequest = Omit<PaymentRequest, 'payee' | 'id'> & { id?: string };

/** Signs a payment request as `payee` and returns its link. */
export async function createLink(payee: LinkSigner, request: NewPaymentRequest): Promise<string> {
  const full: PaymentRequest = { ...request, payee: payee.address, id: request.id ?? u8aToHex(randomAsU8a(16)) };
  checkRequest(full);
  if (isPair(payee) && payee.type !== 'sr25519') throw new Error(`links are signed with sr25519 keys; ${payee.address} is ${payee.type}`);
  const canonical = canonicalLink(full);
  // `&sig=0x` and 128 hex digits follow: refuse before asking anyone to sign.
  if (canonical.length + 5 + 2 + 128 > MAX_LINK_LENGTH) {
    throw new LinkError('TooLong', `the link would be over ${MAX_LINK_LENGTH} characters`);
  }
  const link = `${canonical}&sig=${await signLinkPayload(payee, stringToU8a(canonical))}`;
  // What the signer returned must verify as the payee's (a typed or other-scheme signature does not).
  verifyLink(link, { chain: full.chain, now: 0 });
  return link;
}

/** A link's fields and signature, read strictly; the signature is not checked (see `verifyLink`). */
export function parseLink(link: string): { request: PaymentRequest; signature: string } {
  const malformed = (why: string) => new LinkError('Malformed', why);
  if (typeof link !== 'string') throw malformed('a link is a string');
  if (link.length > MAX_LINK_LENGTH) throw new LinkError('TooLong', `the link is over ${MAX_LINK_LENGTH} characters`);
  if (LONE_SURROGATE.test(link)) throw malformed('the link is not well-formed text');
  const colon = link.indexOf(':');
  if (colon < 0 || link.slice(0, colon).toLowerCase() !== LINK_SCHEME) throw malformed(`not a ${LINK_SCHEME}: link`);
  const rest = link.slice(colon + 1);
  const question = rest.indexOf('?');
  if (question < 0) throw malformed('no parameters');
  const payee = rest.slice(0, question);
  const values = new Map<string, string>();
  for (const pair of rest.slice(question + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw malformed(`parameter ${JSON.stringify(pair)} has no name or value`);
    const name = pair.slice(0, eq);
    if (!(PARAMS as readonly string[]).includes(name)) throw new LinkError('UnknownParameter', `unknown parameter ${JSON.stringify(name)}`);
    if (values.has(name)) throw malformed(`parameter ${name} given twice`);
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      throw malformed(`parameter ${name} is not valid percent-encoded UTF-8`);
    }
    values.set(name, value);
  }
  const required = (name: (typeof PARAMS)[number]) => {
    const value = values.get(name);
    if (value === undefined) throw malformed(`parameter ${name} is missing`);
    return value;
  };
  if (required('v') !== '1') throw new LinkError('UnsupportedVersion', `version ${values.get('v')} is not supported (this SDK reads v=1)`);
  const decimal = (name: 'amount' | 'exp', text: string) => {
    if (!/^[1-9]\d{0,38}$/.test(text)) throw malformed(`${name} must be a positive decimal number without leading zeros`);
    return BigInt(text);
  };
  const assetText = required('asset');
  let asset: 'TPW' | number;
  if (assetText === 'TPW') asset = 'TPW';
  else if (/^(0|[1-9]\d{0,9})$/.test(assetText)) asset = Number(assetText);
  else throw malformed('asset must be TPW or an asset id');
  const exp = decimal('exp', required('exp'));
  if (exp > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('exp is out of range');
  const request: PaymentRequest = {
    payee,
    chain: required('chain'),
    asset,
    amount: decimal('amount', required('amount')),
    expiresAt: Number(exp),
    method: required('method') as PaymentMethod,
    id: required('id'),
  };
  if (values.has('hash')) request.hashLock = values.get('hash');
  if (values.has('memo')) request.memo = values.get('memo');
  checkRequest(request);
  // Hex in one case, as signed: the id is what the payment's remark carries.
  request.chain = request.chain.toLowerCase();
  request.id = request.id.toLowerCase();
  if (request.hashLock !== undefined) request.hashLock = request.hashLock.toLowerCase();
  const signature = required('sig');
  if (!isHex(signature, 512)) throw malformed('sig must be a 64-byte signature in 0x hex');
  return { request, signature };
}

export interface VerifyOptions {
  /** The genesis hash of the chain the payer is on: a link for another chain is refused. */
  chain: string;
  /** Unix time in seconds; default now. */
  now?: number;
}

/**
 * The request a link carries, once its payee's signature, its chain and its expiry are checked.
 * Throws `LinkError` (`BadSignature`, `WrongChain`, `Expired`, `Malformed`, ...) otherwise.
 */
export function verifyLink(link: string, options: VerifyOptions): PaymentRequest {
  const { request, signature } = parseLink(link);
  // `signatureVerify` also accepts a signature over `<Bytes>…</Bytes>`, which is what browser
  // extensions sign when asked for raw data.
  const verdict = signatureVerify(stringToU8a(canonicalLink(request)), signature, request.payee);
  if (!verdict.isValid || verdict.crypto !== 'sr25519') {
    throw new LinkError('BadSignature', 'the payee did not sign this request: it was altered or forged');
  }
  if (request.chain.toLowerCase() !== options.chain.toLowerCase()) {
    throw new LinkError('WrongChain', `the link is for chain ${request.chain}, not ${options.chain}`);
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (now >= request.expiresAt) {
    throw new LinkError('Expired', `the request expired at ${new Date(request.expiresAt * 1000).toISOString()}`);
  }
  return request;
}
