/**
 * A UDP impairment relay: clients send to `listen`, the relay forwards to
 * `target`, and the target's answers go back to each client from `listen`.
 * Each direction runs the same seeded `Link` model as the SimNetwork (loss,
 * bursts, delay, jitter, reordering, duplication, corruption, rate limit),
 * in real time. `tc netem` does not exist on our machines; this does its job
 * for the demo, the end-to-end tests and the benchmarks.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { LinkConfigInput } from './link-config';
import { Link, type LinkCounters } from './link-model';
import { MinHeap } from './min-heap';

export interface RelayAddress {
  host: string;
  port: number;
}

export interface ImpairRelayOptions {
  /** Where clients send (port 0 picks a free one). */
  listen: RelayAddress;
  /** The real server. */
  target: RelayAddress;
  /** Impairments from clients to the target. */
  forward?: LinkConfigInput;
  /** Impairments from the target back to clients. */
  backward?: LinkConfigInput;
  seed?: number;
  /** Distinct clients relayed at once; the least recently active is evicted past it. */
  maxClients?: number;
  /** A client silent for this long loses its upstream socket, ms. */
  clientIdleMs?: number;
  /** Datagrams waiting in the delay line at most (both directions); more are dropped and counted. */
  maxDelayedDatagrams?: number;
}

export interface ImpairRelayCounters {
  forward: LinkCounters;
  backward: LinkCounters;
  clients: number;
  clientsEvicted: number;
  delayLineDropped: number;
  sendErrors: number;
}

interface Client {
  key: string;
  address: string;
  port: number;
  upstream: Socket;
  lastActive: number;
}

interface Pending {
  socket: Socket;
  bytes: Uint8Array;
  port: number;
  host: string;
}

/** Datagrams due within this many ms are sent now: timers are not finer than 1 ms. */
const TIMER_SLACK_MS = 0.5;

/** Link defaults for a relay: no added delay, and an MTU that carries loopback's largest datagrams. */
const RELAY_LINK_DEFAULTS: LinkConfigInput = { latencyMs: 0, jitterMs: 0, mtu: 65507 };

export class ImpairRelay extends EventEmitter {
  private readonly socket: Socket;
  private readonly forward: Link;
  private readonly backward: Link;
  private readonly clients = new Map<string, Client>();
  private readonly delayLine = new MinHeap<Pending>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly maxClients: number;
  private readonly clientIdleMs: number;
  private readonly maxDelayed: number;
  private clientsEvicted = 0;
  private delayLineDropped = 0;
  private sendErrors = 0;
  private closed = false;
  private readonly onSent = (err: Error | null): void => {
    if (err) this.sendErrors++;
  };

  constructor(private readonly options: ImpairRelayOptions) {
    super();
    const seed = options.seed ?? 1;
    this.forward = new Link('client', 'target', { ...RELAY_LINK_DEFAULTS, ...options.forward }, seed);
    this.backward = new Link('target', 'client', { ...RELAY_LINK_DEFAULTS, ...options.backward }, seed);
    this.maxClients = positiveInteger(options.maxClients ?? 256, 'maxClients');
    this.clientIdleMs = positiveInteger(options.clientIdleMs ?? 60_000, 'clientIdleMs');
    this.maxDelayed = positiveInteger(options.maxDelayedDatagrams ?? 200_000, 'maxDelayedDatagrams');
    this.socket = createSocket({ type: isIpv6(options.listen.host) ? 'udp6' : 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.fromClient(msg, rinfo));
    this.socket.on('error', (err) => this.emit('error', err));
  }

  /** Binds the listening socket; resolves with the bound address. */
  async start(): Promise<RelayAddress> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.options.listen.port, this.options.listen.host, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
    this.sweepTimer = setInterval(() => this.sweepIdleClients(), Math.min(this.clientIdleMs, 5_000));
    this.sweepTimer.unref();
    const bound = this.socket.address();
    return { host: bound.address, port: bound.port };
  }

  counters(): ImpairRelayCounters {
    return {
      forward: { ...this.forward.counters },
      backward: { ...this.backward.counters },
      clients: this.clients.size,
      clientsEvicted: this.clientsEvicted,
      delayLineDropped: this.delayLineDropped,
      sendErrors: this.sendErrors,
    };
  }

  /** Changes the impairments of one or both directions while running. */
  configure(change: { forward?: LinkConfigInput; backward?: LinkConfigInput }): void {
    if (change.forward) this.forward.configure(change.forward);
    if (change.backward) this.backward.configure(change.backward);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.delayLine.clear();
    const closing = [...this.clients.values()].map((c) => closeSocket(c.upstream));
    this.clients.clear();
    closing.push(closeSocket(this.socket));
    await Promise.all(closing);
  }

  private fromClient(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    const client = this.clientFor(rinfo);
    client.lastActive = performance.now();
    this.impair(this.forward, msg, client.upstream, this.options.target.port, this.options.target.host);
  }

  private fromTarget(client: Client, msg: Buffer): void {
    if (this.closed) return;
    client.lastActive = performance.now();
    this.impair(this.backward, msg, this.socket, client.port, client.address);
  }

  private clientFor(rinfo: RemoteInfo): Client {
    const key = `${rinfo.address}|${rinfo.port}`;
    const known = this.clients.get(key);
    if (known) {
      // Map order doubles as recency order for eviction.
      this.clients.delete(key);
      this.clients.set(key, known);
      return known;
    }
    if (this.clients.size >= this.maxClients) this.evictOldest();
    const upstream = createSocket({ type: isIpv6(this.options.target.host) ? 'udp6' : 'udp4' });
    const client: Client = { key, address: rinfo.address, port: rinfo.port, upstream, lastActive: performance.now() };
    upstream.on('message', (msg) => this.fromTarget(client, msg));
    upstream.on('error', () => this.sendErrors++);
    this.clients.set(key, client);
    return client;
  }

  private evictOldest(): void {
    const oldest = this.clients.values().next().value;
    if (!oldest) return;
    this.clients.delete(oldest.key);
    this.clientsEvicted++;
    void closeSocket(oldest.upstream);
  }

  private sweepIdleClients(): void {
    const now = performance.now();
    for (const client of [...this.clients.values()]) {
      if (now - client.lastActive < this.clientIdleMs) continue;
      this.clients.delete(client.key);
      void closeSocket(client.upstream);
    }
  }

  private impair(link: Link, msg: Buffer, socket: Socket, port: number, host: string): void {
    const now = performance.now();
    const outcome = link.transmit(msg, now);
    if (outcome.dropped !== undefined) return;
    for (const delivery of outcome.deliveries) {
      link.recordDelivered(delivery.bytes.length);
      if (delivery.at <= now + TIMER_SLACK_MS) {
        socket.send(delivery.bytes, port, host, this.onSent);
      } else if (this.delayLine.size >= this.maxDelayed) {
        this.delayLineDropped++;
      } else {
        this.delayLine.push(delivery.at, { socket, bytes: delivery.bytes, port, host });
      }
    }
    this.armTimer();
  }

  private armTimer(): void {
    const next = this.delayLine.peekKey();
    if (next === undefined || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.releaseDue(), Math.max(0, next - performance.now()));
  }

  private releaseDue(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const horizon = performance.now() + TIMER_SLACK_MS;
    for (let key = this.delayLine.peekKey(); key !== undefined && key <= horizon; key = this.delayLine.peekKey()) {
      const p = this.delayLine.pop() as Pending;
      p.socket.send(p.bytes, p.port, p.host, this.onSent);
    }
    this.armTimer();
  }
}

function isIpv6(host: string): boolean {
  return host.includes(':');
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
