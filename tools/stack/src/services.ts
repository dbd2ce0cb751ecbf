/** The two udpix services, started from their builds (dist/apps/*), and the in-process impairment relay. */
import { ImpairRelay, type ImpairRelayOptions, type LinkConfigInput, type RelayAddress } from '@udpix/protocol';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitForHealth } from './http';
import { ServiceProcess } from './service-process';

/** The workspace root (this file is tools/stack/src/services.ts). */
export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

export function appScript(app: 'sender' | 'receiver'): string {
  return join(WORKSPACE_ROOT, 'dist', 'apps', app, 'main.js');
}

/** The receiver logs `receiver: HTTP on <host>:<port> ..., UDP on <host>:<port>, ...` once both are bound. */
export const RECEIVER_READY = /HTTP on \[?([^\s\]]+?)\]?:(\d+)\b.*UDP on \[?([^\s\]]+?)\]?:(\d+)\b/;
/** The sender logs `sender listening on http://<host>:<port> ...` once HTTP is bound. */
export const SENDER_READY = /listening on https?:\/\/\[?([^\s\]]+?)\]?:(\d+)\b/;

interface CommonOptions {
  name?: string;
  /** More environment (UDPIX_*), overriding the defaults below. */
  env?: Record<string, string | undefined>;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readyTimeoutMs?: number;
  /** Bind address of HTTP and UDP; loopback by default. */
  host?: string;
}

export interface ReceiverOptions extends CommonOptions {
  /** 0 (default) picks a free port. */
  httpPort?: number;
  udpPort?: number;
  dataDir: string;
}

export interface RunningReceiver {
  process: ServiceProcess;
  /** http://127.0.0.1:<port> */
  url: string;
  httpPort: number;
  udpPort: number;
  stop(timeoutMs?: number): Promise<void>;
}

function assertBuilt(script: string): void {
  if (!existsSync(script)) throw new Error(`${script} is missing: build first (npx nx run-many -t build -p sender receiver)`);
}

export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const script = appScript('receiver');
  assertBuilt(script);
  const host = options.host ?? '127.0.0.1';
  const proc = new ServiceProcess({
    name: options.name ?? 'receiver',
    script,
    ready: RECEIVER_READY,
    readyTimeoutMs: options.readyTimeoutMs,
    onLine: options.onLine,
    env: {
      UDPIX_HTTP_HOST: host,
      UDPIX_HTTP_PORT: String(options.httpPort ?? 0),
      UDPIX_UDP_HOST: host,
      UDPIX_UDP_PORT: String(options.udpPort ?? 0),
      UDPIX_DATA_DIR: options.dataDir,
      ...options.env,
    },
  });
  const m = await proc.start();
  const httpPort = Number(m[2]);
  const udpPort = Number(m[4]);
  const url = `http://${loopbackFor(host)}:${httpPort}`;
  try {
    await waitForHealth(`${url}/health`);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.tail()}`);
  }
  return { process: proc, url, httpPort, udpPort, stop: async (t) => void (await proc.stop(t)) };
}

export interface SenderOptions extends CommonOptions {
  httpPort?: number;
  /** host:port of the receiver (or of a relay in front of it): UDPIX_RECEIVER. */
  receiver: string;
}

export interface RunningSender {
  process: ServiceProcess;
  url: string;
  httpPort: number;
  stop(timeoutMs?: number): Promise<void>;
}

export async function startSender(options: SenderOptions): Promise<RunningSender> {
  const script = appScript('sender');
  assertBuilt(script);
  const host = options.host ?? '127.0.0.1';
  const proc = new ServiceProcess({
    name: options.name ?? 'sender',
    script,
    ready: SENDER_READY,
    readyTimeoutMs: options.readyTimeoutMs,
    onLine: options.onLine,
    env: {
      UDPIX_HTTP_HOST: host,
      UDPIX_HTTP_PORT: String(options.httpPort ?? 0),
      UDPIX_UDP_HOST: host,
      UDPIX_RECEIVER: options.receiver,
      ...options.env,
    },
  });
  const m = await proc.start();
  const httpPort = Number(m[2]);
  const url = `http://${loopbackFor(host)}:${httpPort}`;
  try {
    await waitForHealth(`${url}/health`);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n${proc.tail()}`);
  }
  return { process: proc, url, httpPort, stop: async (t) => void (await proc.stop(t)) };
}

/** Where a client on this machine reaches a service bound to `host`. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export interface RelayOptions {
  /** The receiver's UDP port (on 127.0.0.1 unless targetHost is given). */
  targetPort: number;
  targetHost?: string;
  /** 0 (default) picks a free port. */
  listenPort?: number;
  listenHost?: string;
  forward?: LinkConfigInput;
  backward?: LinkConfigInput;
  seed?: number;
  extra?: Partial<ImpairRelayOptions>;
}

export interface RunningRelay {
  relay: ImpairRelay;
  address: RelayAddress;
  /** host:port to give a sender. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts an ImpairRelay in this process in front of a receiver's UDP port. */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const relay = new ImpairRelay({
    ...options.extra,
    listen: { host: options.listenHost ?? '127.0.0.1', port: options.listenPort ?? 0 },
    target: { host: options.targetHost ?? '127.0.0.1', port: options.targetPort },
    forward: options.forward,
    backward: options.backward,
    seed: options.seed ?? 1,
  });
  // An 'error' event without a listener would throw; the counters show send errors.
  relay.on('error', () => undefined);
  const address = await relay.start();
  return { relay, address, endpoint: `${address.host === '0.0.0.0' ? '127.0.0.1' : address.host}:${address.port}`, stop: () => relay.close() };
}

/** A symmetric lossy link: Bernoulli loss `loss`, `delayMs` one way, optional reordering and duplication. */
export function lossyLink(loss: number, delayMs = 0, extra: LinkConfigInput = {}): LinkConfigInput {
  return { loss: loss > 0 ? { model: 'bernoulli', p: loss } : { model: 'none' }, latencyMs: delayMs, ...extra };
}
