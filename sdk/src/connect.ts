// Connecting polkadot.js to a tpwallet node with tpwallet's RPC methods decorated.
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import { rpc, types } from './definitions.ts';

/**
 * polkadot.js options for a tpwallet node: `provider` plus tpwallet's RPC definitions and their
 * result types, merged with `extra` (whose own `rpc` and `types` entries win on a clash).
 */
export function apiOptions(provider: ProviderInterface, extra: ApiOptions = {}): ApiOptions {
  return {
    noInitWarn: true,
    ...extra,
    provider,
    // Merged by section: a caller's `tokenization.foo` joins tpwallet's methods, not replaces them.
    rpc: Object.fromEntries(
      [...new Set([...Object.keys(rpc), ...Object.keys(extra.rpc ?? {})])].map((section) => [
        section,
        { ...(rpc[section] ?? {}), ...(extra.rpc?.[section] ?? {}) },
      ]),
    ),
    types: { ...types, ...(extra.types ?? {}) },
  };
}

/**
 * Connects to `endpoint` (a `ws://`/`wss://` URL or a provider) and resolves once the metadata is
 * loaded. A URL that does not answer is an error at once, not a retry loop.
 */
export async function connect(endpoint: string | ProviderInterface, extra: ApiOptions = {}): Promise<ApiPromise> {
  const provider = typeof endpoint === 'string' ? new WsProvider(endpoint) : endpoint;
  const api = await ApiPromise.create({ throwOnConnect: true, ...apiOptions(provider, extra) });
  await api.isReady;
  return api;
}
