/**
 * SimNetwork: drives sans-IO endpoints over simulated links in virtual time,
 * in the style of quinn-proto's tests/util.rs (Pair::step, drive_bounded).
 * Every random decision comes from the network's seed, every loop is bounded
 * (steps, virtual time, and steps without progress), and the delivery queue
 * is a stable binary heap so equal arrival times keep their send order.
 */
import type { EndpointEvent, PeerAddress, Transmit } from '../core/types';
import { resolveLinkConfig, type LinkConfig, type LinkConfigInput } from './link-config';
import { Link, type DropReason, type LinkCounters } from './link-model';
import { MinHeap } from './min-heap';
import { annotateError } from './seed';
import { SeededRandom } from './seeded-random';
import { VirtualClock } from './virtual-clock';

/** The part of ProtocolEndpoint the simulator drives; anything with these methods can be a node. */
export interface SimEndpoint<E = EndpointEvent> {
  handleDatagram(from: PeerAddress, bytes: Uint8Array, now: number): void;
  handleTimeout(now: number): void;
  pollTransmit(now: number): Transmit | undefined;
  pollTimeout(): number | undefined;
  pollEvent?(): E | undefined;
}

/** What a test's interceptor sees. */
export interface InterceptedDatagram {
  from: PeerAddress;
  to: PeerAddress;
  bytes: Uint8Array;
  now: number;
}

/** 'drop' drops it (counted as `filtered`), a Uint8Array replaces it, undefined lets it through. */
export type Interceptor = (datagram: InterceptedDatagram) => 'drop' | Uint8Array | undefined;

export type TraceEntry =
  | { kind: 'drop'; at: number; from: PeerAddress; to: PeerAddress; length: number; reason: DropReason }
  | {
      kind: 'schedule';
      at: number;
      from: PeerAddress;
      to: PeerAddress;
      length: number;
      arriveAt: number;
      duplicate: boolean;
      corrupted: boolean;
      reordered: boolean;
    }
  | { kind: 'deliver'; at: number; from: PeerAddress; to: PeerAddress; length: number }
  /** Sent to, or arriving at, an address with no node. */
  | { kind: 'unroutable'; at: number; from: PeerAddress; to: PeerAddress; length: number };

export interface SimNetworkOptions<E> {
  /** Seeds every link's impairments (and `randomFor`). */
  seed: number;
  startTimeMs?: number;
  /** Applied to every link not configured otherwise. */
  defaultLink?: LinkConfigInput;
  /** Keep each node's events in `events(address)` (default true). */
  recordEvents?: boolean;
  onEvent?: (address: PeerAddress, event: E, now: number) => void;
  /** Sees every send, drop and delivery; costs nothing when absent. */
  onTrace?: (entry: TraceEntry) => void;
  /** Guard against an endpoint whose pollTransmit never returns undefined (default 1,000,000 per poll round). */
  maxTransmitsPerPoll?: number;
}

export interface RunOptions {
  /** Default 5,000,000. */
  maxSteps?: number;
  /** Virtual time budget from the start of the run, ms. Default 3,600,000 (one virtual hour). */
  maxTimeMs?: number;
  /** Steps in a row without the clock moving before giving up (default 100,000). */
  livelockSteps?: number;
}

export type StopReason = 'predicate' | 'idle' | 'maxSteps' | 'maxTime' | 'livelock';

export interface RunResult {
  /** True when the predicate held. */
  ok: boolean;
  reason: StopReason;
  steps: number;
  /** Virtual time the run took, ms. */
  timeMs: number;
  /** Virtual time at the end of the run. */
  now: number;
  /** For 'livelock': which node or queue kept the clock from moving. */
  detail?: string;
}

export interface StepResult {
  /** The time the work was done at. */
  now: number;
  delivered: number;
  timeouts: number;
  transmitted: number;
  /** Time of the next scheduled work, or undefined when the network is idle. */
  next: number | undefined;
}

interface NodeState<E> {
  address: PeerAddress;
  endpoint: SimEndpoint<E>;
  events: E[];
}

interface Scheduled {
  from: PeerAddress;
  to: PeerAddress;
  bytes: Uint8Array;
  /** Undefined for injected datagrams, which bypass the link model. */
  link: Link | undefined;
}

const DEFAULT_MAX_STEPS = 5_000_000;
const DEFAULT_MAX_TIME_MS = 3_600_000;
const DEFAULT_LIVELOCK_STEPS = 100_000;

export class SimNetwork<E = EndpointEvent> {
  readonly clock: VirtualClock;
  readonly seed: number;
  /** Datagrams sent to, or arriving at, an address with no node. */
  unroutable = 0;
  private readonly defaultLink: Readonly<LinkConfig>;
  private readonly nodes = new Map<PeerAddress, NodeState<E>>();
  private readonly links = new Map<string, Link>();
  private readonly queue = new MinHeap<Scheduled>();
  private readonly recordEvents: boolean;
  private readonly onEvent: SimNetworkOptions<E>['onEvent'];
  private readonly onTrace: SimNetworkOptions<E>['onTrace'];
  private readonly maxTransmitsPerPoll: number;
  private interceptor: Interceptor | undefined;

  constructor(options: SimNetworkOptions<E>) {
    this.seed = new SeededRandom(options.seed).seed;
    this.clock = new VirtualClock(options.startTimeMs ?? 0);
    this.defaultLink = resolveLinkConfig(options.defaultLink, undefined, 'defaultLink');
    this.recordEvents = options.recordEvents ?? true;
    this.onEvent = options.onEvent;
    this.onTrace = options.onTrace;
    this.maxTransmitsPerPoll = options.maxTransmitsPerPoll ?? 1_000_000;
  }

  get now(): number {
    return this.clock.now;
  }

  /** Datagrams scheduled but not yet delivered. */
  get inFlight(): number {
    return this.queue.size;
  }

  // ---- nodes -------------------------------------------------------------

  addNode(address: PeerAddress, endpoint: SimEndpoint<E>): void {
    if (this.nodes.has(address)) throw new Error(`SimNetwork.addNode: address '${address}' is already taken`);
    this.nodes.set(address, { address, endpoint, events: [] });
  }

  /** Takes a node off the network (a crash); datagrams still in flight to it become unroutable. */
  removeNode(address: PeerAddress): void {
    if (!this.nodes.delete(address)) throw new Error(`SimNetwork.removeNode: no node at '${address}'`);
  }

  /** Puts a fresh endpoint at an existing address (a restart); its event log starts over. */
  replaceNode(address: PeerAddress, endpoint: SimEndpoint<E>): void {
    this.removeNode(address);
    this.addNode(address, endpoint);
  }

  hasNode(address: PeerAddress): boolean {
    return this.nodes.has(address);
  }

  endpoint(address: PeerAddress): SimEndpoint<E> {
    return this.node(address).endpoint;
  }

  /** A reproducible random stream for `label` under the network's seed (e.g. an endpoint's random source). */
  randomFor(label: string): SeededRandom {
    return SeededRandom.derive(this.seed, `node:${label}`);
  }

  // ---- events ------------------------------------------------------------

  /** Events polled from a node so far, in order. */
  events(address: PeerAddress): readonly E[] {
    return this.node(address).events;
  }

  findEvent(address: PeerAddress, predicate: (event: E) => boolean): E | undefined {
    return this.node(address).events.find(predicate);
  }

  clearEvents(address?: PeerAddress): void {
    if (address !== undefined) this.node(address).events.length = 0;
    else for (const n of this.nodes.values()) n.events.length = 0;
  }

  // ---- links -------------------------------------------------------------

  /** The link from `from` to `to`, created with the default config on first use. */
  link(from: PeerAddress, to: PeerAddress): Link {
    const key = linkKey(from, to);
    let link = this.links.get(key);
    if (link === undefined) {
      link = new Link(from, to, {}, this.seed, this.defaultLink);
      this.links.set(key, link);
    }
    return link;
  }

  /** Configures one direction (merged over its current config). */
  configureLink(from: PeerAddress, to: PeerAddress, config: LinkConfigInput): Link {
    const link = this.link(from, to);
    link.configure(config);
    return link;
  }

  /** Configures both directions between `a` and `b` alike. */
  configureLinks(a: PeerAddress, b: PeerAddress, config: LinkConfigInput): void {
    this.configureLink(a, b, config);
    this.configureLink(b, a, config);
  }

  linkCounters(from: PeerAddress, to: PeerAddress): Readonly<LinkCounters> {
    return this.link(from, to).counters;
  }

  /** Counters of every link used so far, keyed "from->to". */
  stats(): { links: Record<string, Readonly<LinkCounters>>; unroutable: number; inFlight: number } {
    const links: Record<string, Readonly<LinkCounters>> = {};
    for (const link of this.links.values()) links[`${link.from}->${link.to}`] = { ...link.counters };
    return { links, unroutable: this.unroutable, inFlight: this.inFlight };
  }

  /** Installs (or with undefined removes) a hook that sees every datagram before the link model. */
  intercept(interceptor: Interceptor | undefined): void {
    this.interceptor = interceptor;
  }

  /**
   * Schedules a datagram for delivery at `at` (default now), bypassing links
   * and interceptor: for spoofed, replayed or hand-crafted datagrams.
   */
  inject(from: PeerAddress, to: PeerAddress, bytes: Uint8Array, at: number = this.now): void {
    if (!(at >= this.now) || !Number.isFinite(at)) throw new RangeError(`SimNetwork.inject: at must be finite and >= now (${this.now}), got ${at}`);
    this.queue.push(at, { from, to, bytes: bytes.slice(), link: undefined });
  }

  // ---- driving -----------------------------------------------------------

  /**
   * One unit of work: deliver everything due now, fire expired timers, drain
   * every endpoint's transmissions into the links, collect events; then move
   * the clock to the next scheduled work (if later than now).
   */
  step(): StepResult {
    const result = this.runDue();
    const next = this.nextEventTime();
    if (next !== undefined && next > this.now) this.clock.advanceTo(next);
    return { ...result, next };
  }

  /**
   * Steps until `predicate` holds, bounded by steps, virtual time and
   * livelock. The predicate is checked before the first step and after the
   * work of each step, before the clock moves, so `timeMs` is the time it
   * became true.
   */
  runUntil(predicate: (net: this) => boolean, options: RunOptions = {}): RunResult {
    const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const maxTimeMs = options.maxTimeMs ?? DEFAULT_MAX_TIME_MS;
    const livelockSteps = options.livelockSteps ?? DEFAULT_LIVELOCK_STEPS;
    if (!(maxSteps >= 0) || !(maxTimeMs >= 0) || !Number.isFinite(maxTimeMs) || !(livelockSteps >= 1)) {
      throw new RangeError(`runUntil: maxSteps >= 0, finite maxTimeMs >= 0 and livelockSteps >= 1 required, got ${JSON.stringify(options)}`);
    }
    const start = this.now;
    const deadline = start + maxTimeMs;
    let steps = 0;
    let stalled = 0;
    const done = (ok: boolean, reason: StopReason, detail?: string): RunResult => ({
      ok,
      reason,
      steps,
      timeMs: this.now - start,
      now: this.now,
      ...(detail === undefined ? {} : { detail }),
    });

    if (predicate(this)) return done(true, 'predicate');
    for (;;) {
      if (steps >= maxSteps) return done(false, 'maxSteps');
      this.runDue();
      steps++;
      if (predicate(this)) return done(true, 'predicate');
      const next = this.nextEventTime();
      if (next === undefined) return done(false, 'idle');
      if (next > deadline) {
        this.clock.advanceTo(deadline);
        return done(false, 'maxTime');
      }
      if (next > this.now) {
        this.clock.advanceTo(next);
        stalled = 0;
      } else if (++stalled >= livelockSteps) {
        return done(false, 'livelock', this.describeStall());
      }
    }
  }

  /**
   * Lets `durationMs` of virtual time pass (running whatever is scheduled in
   * it); the clock ends exactly at now + durationMs unless a step or livelock
   * bound stops it first.
   */
  runFor(durationMs: number, options: Omit<RunOptions, 'maxTimeMs'> = {}): RunResult {
    const deadline = this.now + durationMs;
    const result = this.runUntil(() => false, { ...options, maxTimeMs: durationMs });
    if (result.reason === 'idle') {
      this.clock.advanceTo(deadline);
      return { ...result, ok: true, timeMs: result.timeMs + (deadline - result.now), now: deadline };
    }
    return { ...result, ok: result.reason === 'maxTime' };
  }

  /** Steps until nothing is scheduled and no endpoint has a timer: ok when it got there. */
  runUntilIdle(options: RunOptions = {}): RunResult {
    const result = this.runUntil(() => false, options);
    return { ...result, ok: result.reason === 'idle' };
  }

  /** Earliest time of scheduled work (deliveries, endpoint timers), clamped to now; undefined when idle. */
  nextEventTime(): number | undefined {
    let next = this.queue.peekKey();
    for (const n of this.nodes.values()) {
      const t = this.pollTimeoutOf(n);
      if (t !== undefined && (next === undefined || t < next)) next = t;
    }
    return next === undefined ? undefined : Math.max(next, this.now);
  }

  // ---- internals ---------------------------------------------------------

  private runDue(): Omit<StepResult, 'next'> {
    const now = this.now;
    let delivered = 0;
    let timeouts = 0;
    let transmitted = 0;

    // 1. Deliveries due now (stable heap: equal times in send order).
    for (let key = this.queue.peekKey(); key !== undefined && key <= now; key = this.queue.peekKey()) {
      const d = this.queue.pop() as Scheduled;
      const target = this.nodes.get(d.to);
      if (target === undefined) {
        this.unroutable++;
        this.onTrace?.({ kind: 'unroutable', at: now, from: d.from, to: d.to, length: d.bytes.length });
        continue;
      }
      d.link?.recordDelivered(d.bytes.length);
      this.onTrace?.({ kind: 'deliver', at: now, from: d.from, to: d.to, length: d.bytes.length });
      this.call(target, 'handleDatagram', now, () => target.endpoint.handleDatagram(d.from, d.bytes, now));
      delivered++;
    }

    // 2. Expired timers.
    for (const n of this.nodes.values()) {
      const t = this.pollTimeoutOf(n);
      if (t !== undefined && t <= now) {
        this.call(n, 'handleTimeout', now, () => n.endpoint.handleTimeout(now));
        timeouts++;
      }
    }

    // 3. Everything the endpoints want to send now.
    for (const n of this.nodes.values()) {
      for (let count = 0; ; count++) {
        if (count >= this.maxTransmitsPerPoll) {
          throw new Error(`SimNetwork: node '${n.address}' returned more than ${this.maxTransmitsPerPoll} transmits at t=${now}ms without pausing`);
        }
        const tx = this.call(n, 'pollTransmit', now, () => n.endpoint.pollTransmit(now));
        if (tx === undefined) break;
        this.send(n.address, tx, now);
        transmitted++;
      }
    }

    // 4. Events.
    this.drainEvents(now);
    return { now, delivered, timeouts, transmitted };
  }

  private send(from: PeerAddress, tx: Transmit, now: number): void {
    let bytes = concatSegments(tx.datagram);
    if (bytes.length !== tx.length) {
      throw new Error(`SimNetwork: node '${from}' sent a Transmit with length ${tx.length} but its segments hold ${bytes.length} bytes`);
    }
    if (!this.nodes.has(tx.to)) {
      this.unroutable++;
      this.onTrace?.({ kind: 'unroutable', at: now, from, to: tx.to, length: bytes.length });
      return;
    }
    const link = this.link(from, tx.to);
    if (this.interceptor !== undefined) {
      const verdict = this.interceptor({ from, to: tx.to, bytes, now });
      if (verdict === 'drop') {
        link.recordFiltered(bytes.length);
        this.onTrace?.({ kind: 'drop', at: now, from, to: tx.to, length: bytes.length, reason: 'filtered' });
        return;
      }
      if (verdict !== undefined) bytes = verdict.slice();
    }
    const outcome = link.transmit(bytes, now);
    if (outcome.dropped !== undefined) {
      this.onTrace?.({ kind: 'drop', at: now, from, to: tx.to, length: bytes.length, reason: outcome.dropped });
      return;
    }
    for (const d of outcome.deliveries) {
      this.queue.push(d.at, { from, to: tx.to, bytes: d.bytes, link });
      this.onTrace?.({
        kind: 'schedule',
        at: now,
        from,
        to: tx.to,
        length: d.bytes.length,
        arriveAt: d.at,
        duplicate: d.duplicate,
        corrupted: d.corrupted,
        reordered: d.reordered,
      });
    }
  }

  private drainEvents(now: number): void {
    for (const n of this.nodes.values()) {
      const endpoint = n.endpoint;
      if (endpoint.pollEvent === undefined) continue;
      for (;;) {
        const event = this.call(n, 'pollEvent', now, () => endpoint.pollEvent?.());
        if (event === undefined) break;
        if (this.recordEvents) n.events.push(event);
        this.onEvent?.(n.address, event, now);
      }
    }
  }

  private pollTimeoutOf(n: NodeState<E>): number | undefined {
    const t = this.call(n, 'pollTimeout', this.now, () => n.endpoint.pollTimeout());
    if (t === undefined || t === Number.POSITIVE_INFINITY) return undefined;
    if (Number.isNaN(t)) throw new Error(`SimNetwork: node '${n.address}' returned NaN from pollTimeout() at t=${this.now}ms`);
    return t;
  }

  /** Calls into an endpoint; an error thrown there says where and when in the simulation. */
  private call<T>(n: NodeState<E>, method: string, now: number, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw annotateError(error, `[sim: node '${n.address}' ${method} at t=${now}ms]`);
    }
  }

  private describeStall(): string {
    const parts: string[] = [];
    const due = this.queue.peekKey();
    if (due !== undefined && due <= this.now) parts.push(`${this.queue.size} datagram(s) in flight, next due at ${due}`);
    for (const n of this.nodes.values()) {
      const t = this.pollTimeoutOf(n);
      if (t !== undefined && t <= this.now) parts.push(`node '${n.address}' pollTimeout()=${t}`);
    }
    return `clock stuck at ${this.now}ms: ${parts.join('; ') || 'no cause found'}`;
  }

  private node(address: PeerAddress): NodeState<E> {
    const n = this.nodes.get(address);
    if (n === undefined) throw new Error(`SimNetwork: no node at '${address}'`);
    return n;
  }
}

/** Throws a descriptive error unless the run's predicate held. */
export function assertRunOk(result: RunResult, what = 'condition'): void {
  if (!result.ok) {
    const detail = result.detail === undefined ? '' : ` (${result.detail})`;
    throw new Error(`SimNetwork: ${what} not reached: stopped by ${result.reason} after ${result.steps} steps, ${result.timeMs}ms virtual, at t=${result.now}ms${detail}`);
  }
}

/** Joins a datagram's segments into one fresh buffer the network owns (endpoints may reuse theirs). */
export function concatSegments(segments: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const s of segments) total += s.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const s of segments) {
    out.set(s, offset);
    offset += s.length;
  }
  return out;
}

function linkKey(from: PeerAddress, to: PeerAddress): string {
  // NUL cannot appear in "host:port" or in sensible simulation names, so keys never collide.
  return `${from}\u0000${to}`;
}
