/**
 * A tiny endpoint for tests of the simulator itself and for app tests that
 * need a raw peer: it sends what it is told at the times it is told, records
 * every arrival, and can echo. It speaks no protocol at all.
 */
import type { PeerAddress, Transmit } from '../core/types';
import { MinHeap } from './min-heap';
import type { SimEndpoint } from './sim-network';

export interface Arrival {
  from: PeerAddress;
  bytes: Uint8Array;
  at: number;
}

export type ScriptedEvent = { type: 'received'; from: PeerAddress; at: number; length: number };

export interface ScriptedEndpointOptions {
  /** Reply to every arrival at once: true echoes the bytes, a function makes the reply (undefined = none). */
  echo?: boolean | ((arrival: Arrival) => Uint8Array | undefined);
  /** Emit a 'received' event per arrival (default true). */
  events?: boolean;
}

interface Outgoing {
  to: PeerAddress;
  segments: Uint8Array[];
  length: number;
}

export class ScriptedEndpoint implements SimEndpoint<ScriptedEvent> {
  readonly arrivals: Arrival[] = [];
  timeouts = 0;
  private readonly outbox = new MinHeap<Outgoing>();
  private readonly pending: ScriptedEvent[] = [];
  private readonly echo: ScriptedEndpointOptions['echo'];
  private readonly emitEvents: boolean;

  constructor(options: ScriptedEndpointOptions = {}) {
    this.echo = options.echo;
    this.emitEvents = options.events ?? true;
  }

  /** Queues a datagram (one buffer or several segments) to go out at `at`. */
  sendAt(to: PeerAddress, data: Uint8Array | Uint8Array[], at: number): void {
    const segments = Array.isArray(data) ? data : [data];
    this.outbox.push(at, { to, segments, length: segments.reduce((n, s) => n + s.length, 0) });
  }

  /** Queues `count` datagrams of `size` bytes, `intervalMs` apart from `startMs`; byte 0..3 hold the index (big-endian). */
  sendSequence(to: PeerAddress, count: number, size: number, startMs: number, intervalMs: number): void {
    for (let i = 0; i < count; i++) this.sendAt(to, sequenced(i, size), startMs + i * intervalMs);
  }

  handleDatagram(from: PeerAddress, bytes: Uint8Array, now: number): void {
    const arrival = { from, bytes, at: now };
    this.arrivals.push(arrival);
    if (this.emitEvents) this.pending.push({ type: 'received', from, at: now, length: bytes.length });
    if (this.echo !== undefined && this.echo !== false) {
      const reply = this.echo === true ? bytes : this.echo(arrival);
      if (reply !== undefined) this.sendAt(from, reply, now);
    }
  }

  handleTimeout(): void {
    this.timeouts++;
  }

  pollTransmit(now: number): Transmit | undefined {
    const key = this.outbox.peekKey();
    if (key === undefined || key > now) return undefined;
    const out = this.outbox.pop() as Outgoing;
    return { to: out.to, datagram: out.segments, length: out.length };
  }

  pollTimeout(): number | undefined {
    return this.outbox.peekKey();
  }

  pollEvent(): ScriptedEvent | undefined {
    return this.pending.shift();
  }

  /** Indices (see sendSequence) of the arrivals, in arrival order. */
  arrivalIndices(): number[] {
    return this.arrivals.map((a) => sequenceIndex(a.bytes));
  }
}

/** A datagram of `size` bytes (>= 4) carrying `index` in its first four bytes and a fixed pattern after. */
export function sequenced(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(Math.max(4, size));
  new DataView(bytes.buffer).setUint32(0, index);
  for (let i = 4; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}

export function sequenceIndex(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
}
