// Starts and stops real tpwallet-node processes for the end-to-end tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const TESTS_DIR = resolve(here, '..', '..');
export const TMP_DIR = join(TESTS_DIR, '.tmp');

/** The node binary: $NODE_BIN, else the release build in the shared target directory. */
export const NODE_BIN =
  process.env.NODE_BIN ??
  join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'tpwallet-target'), 'release', 'tpwallet-node');

if (!existsSync(NODE_BIN)) {
  throw new Error(`tpwallet-node not found at ${NODE_BIN}: run scripts/build.sh first`);
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** The load generator (bench/), built beside the node. */
export const LOAD_BIN = process.env.LOAD_BIN ?? join(dirname(NODE_BIN), 'tpw-load');

/** Runs the node binary to completion (for CLI subcommands). */
/** The runtime this tree builds (what a runtime upgrade installs), unless `RUNTIME_WASM` names another. */
export const RUNTIME_WASM =
  process.env.RUNTIME_WASM ??
  join(dirname(NODE_BIN), 'wbuild', 'tpwallet-runtime', 'tpwallet_runtime.compact.compressed.wasm');

export function runNode(args: string[], timeoutMs = 120_000) {
  // Chain specs embed the runtime Wasm (over 1 MiB of JSON): allow large outputs.
  const res = spawnSync(NODE_BIN, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

export interface NodeOptions {
  name: string;
  args: string[];
  rpcPort?: number;
  p2pPort?: number;
  prometheusPort?: number;
}

/** A running node: its ports, process and log file. */
export class RunningNode {
  /** The port the node's RPC server listens on (read from its log once it started). */
  rpcPort: number;
  readonly p2pPort: number;
  readonly prometheusPort?: number;
  readonly logPath: string;
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(readonly opts: NodeOptions, rpcPort: number, p2pPort: number) {
    this.rpcPort = rpcPort;
    this.p2pPort = p2pPort;
    this.prometheusPort = opts.prometheusPort;
    mkdirSync(TMP_DIR, { recursive: true });
    this.logPath = join(TMP_DIR, `${opts.name}.log`);
  }

  static async start(opts: NodeOptions): Promise<RunningNode> {
    const node = new RunningNode(opts, opts.rpcPort ?? (await freePort()), opts.p2pPort ?? (await freePort()));
    await node.launch();
    return node;
  }

  /** The running process's id (for tools that read its CPU and memory). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.rpcPort}`;
  }

  /** Starts (or restarts) the process and waits until its RPC answers. */
  async launch(): Promise<void> {
    const args = [
      ...this.opts.args,
      '--rpc-port', String(this.rpcPort),
      '--port', String(this.p2pPort),
      ...(this.prometheusPort ? ['--prometheus-port', String(this.prometheusPort)] : ['--no-prometheus']),
      '--no-mdns',
      '--no-telemetry',
    ];
    const log = createWriteStream(this.logPath, { flags: 'a' });
    log.write(`\n=== ${NODE_BIN} ${args.join(' ')}\n`);
    const child = spawn(NODE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((res) => child.once('exit', () => res()));
    // Start-up builds the genesis state with the runtime, compiled first (wasmtime): seconds
    // alone, but minutes in CI, where every end-to-end suite runs side by side on two cores.
    await this.waitForRpc(240_000);
  }

  /** The RPC port this launch's process reports in its log ("Running JSON-RPC server:
   * addr=127.0.0.1:<port>"), once it has: the port asked for, or another one if something else
   * took it between `freePort()` and the node's start (suites run side by side pick ports too). */
  private reportedRpcPort(): number | undefined {
    let text: string;
    try {
      text = readFileSync(this.logPath, 'utf8');
    } catch {
      return undefined;
    }
    const launch = text.slice(text.lastIndexOf('\n=== '));
    const found = /Running JSON-RPC server: addr=127\.0\.0\.1:(\d+)/.exec(launch);
    return found ? Number(found[1]) : undefined;
  }

  private async waitForRpc(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(`${this.opts.name} exited with ${this.child.exitCode}; see ${this.logPath}`);
      }
      // Only this process's own server counts: another suite's node may answer on the port asked for.
      const reported = this.reportedRpcPort();
      if (reported === undefined) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      this.rpcPort = reported;
      try {
        const res = await fetch(`http://127.0.0.1:${this.rpcPort}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
        });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.opts.name}: RPC not ready after ${timeoutMs} ms; see ${this.logPath}`);
  }

  /** Stops the process (SIGINT, then SIGKILL after 10 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
    this.child = undefined;
  }
}
