// A local network of validators on loopback: the `local` chain spec with a fourth genesis
// validator (Dave), and its nodes, each with a fixed network identity (test-only node keys).
// GRANDPA finalizes with more than 2/3 of the voters, so n validators tolerate f = (n-1)/3
// failures: the 3-validator `local` testnet tolerates none, four tolerate one.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keyring, type ApiPromise } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { RunningNode } from './node.ts';
import { connect } from './chain.ts';

/** `spec` (a plain `local` chain spec) with Dave as a fourth genesis validator; written to `path`. */
export async function withDaveAsValidator(spec: any, path: string): Promise<string> {
  await cryptoWaitReady();
  const patch = spec.genesis.runtimeGenesis.patch;
  assert.equal(patch.validatorSet.initialValidators.length, 3, 'the local testnet has three validators');
  const dave = new Keyring({ type: 'sr25519' }).addFromUri('//Dave').address;
  const daveGrandpa = new Keyring({ type: 'ed25519' }).addFromUri('//Dave').address;
  patch.validatorSet.initialValidators.push(dave);
  patch.session.keys.push([dave, dave, { aura: dave, grandpa: daveGrandpa }]);
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

/** A network's nodes and their connections, in the order started. */
export interface Network {
  nodes: RunningNode[];
  apis: ApiPromise[];
  /** The first node's address, for nodes started later. */
  bootnode: string;
}

/**
 * Starts one node per name (`--alice`, `--bob`, ...) on `specPath`, each with its data in
 * `dir/<name>`, the first as the others' boot node. `prefix` names their log files.
 */
export async function startNetwork(specPath: string, names: readonly string[], dir: string, prefix: string, extraArgs: string[] = []): Promise<Network> {
  const net: Network = { nodes: [], apis: [], bootnode: '' };
  for (const [i, name] of names.entries()) {
    // A fixed network identity per node (test-only keys), kept across restarts.
    const nodeKey = (i + 1).toString(16).padStart(64, '0');
    const args = ['--chain', specPath, `--${name}`, '--base-path', join(dir, name), '--node-key', nodeKey, ...extraArgs];
    if (net.bootnode) args.push('--bootnodes', net.bootnode);
    const node = await RunningNode.start({ name: `${prefix}-${name}`, args });
    const api = await connect(node.wsUrl);
    if (!net.bootnode) {
      const peerId = (await api.rpc.system.localPeerId()).toString();
      net.bootnode = `/ip4/127.0.0.1/tcp/${node.p2pPort}/p2p/${peerId}`;
    }
    net.nodes.push(node);
    net.apis.push(api);
  }
  return net;
}

/** Disconnects and stops every node of `net`. */
export async function stopNetwork(net: Network | undefined): Promise<void> {
  if (!net) return;
  await Promise.all(net.apis.map((a) => a.disconnect().catch(() => {})));
  await Promise.all(net.nodes.map((n) => n.stop()));
}
