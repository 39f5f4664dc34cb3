// Amounts: the chain counts in a token's smallest unit (planck for TPW, 12 decimals); people write
// decimals. Conversions are exact (bigint, no floating point) and refuse what they cannot represent.

/** `"1.5"` with 12 decimals is `1_500_000_000_000n`. More fractional digits than `decimals` is an error. */
export function parseUnits(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a non-negative decimal amount: ${JSON.stringify(text)}`);
  const [, whole, fraction = ''] = match;
  if (fraction.length > decimals) {
    throw new RangeError(`${text} has more than ${decimals} decimal places`);
  }
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** `1_500_000_000_000n` with 12 decimals is `"1.5"`. */
export function formatUnits(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / scale}${fraction ? '.' + fraction : ''}`;
}

/** What a channel, swap, distribution or bridge transfer moves: TPW or a `pallet-assets` asset. */
export type AssetKind = 'Native' | { WithId: number };

/** The asset kind `asset` names: `'TPW'`/`'Native'` or an asset id. */
export function assetKind(asset: 'TPW' | 'Native' | number): AssetKind {
  return typeof asset === 'number' ? { WithId: asset } : 'Native';
}

/** The asset kind a decoded `TpwAssetKind` (or the runtime's `NativeOrWithId`) names. */
export function assetKindOf(codec: { isNative: boolean; asWithId: { toNumber(): number } }): AssetKind {
  return codec.isNative ? 'Native' : { WithId: codec.asWithId.toNumber() };
}
