/**
 * Endpoint-wide pacing over the SimNetwork: many concurrent transfers from
 * one endpoint share sender.endpointRateBytesPerSec on the wire instead of
 * each sending at sender.rateBytesPerSec (20 transfers x rate is what
 * overran the receiving socket in the e2e suite).
 *
 * The wire rate is measured from the network's trace: every datagram the
 * sending endpoint handed to its link (delivered or lost), with the time it
 * was sent, over sliding windows of several lengths.
 */
import { Pair, seedsFromEnv, withSeed, type TraceEntry } from '../testing';
import { Endpoint } from './endpoint';
import type { EndpointConfigInput, EndpointEvent } from './types';

const MB = 1_000_000;
const DGRAM = 1472;
const BURST = 16;
const SESSION_RATE = 2 * MB;
const ENDPOINT_RATE = 5 * MB;
const TRANSFERS = 20;

interface Sent {
  at: number;
  length: number;
}

/** The most bytes sent inside any window [t, t + windowMs) (sends in time order). */
function maxBytesInWindow(sends: readonly Sent[], windowMs: number): number {
  let best = 0;
  let sum = 0;
  let head = 0;
  for (const s of sends) {
    sum += s.length;
    while (sends[head].at <= s.at - windowMs) sum -= sends[head++].length;
    if (sum > best) best = sum;
  }
  return best;
}

/** A distinct 1 MB object per transfer (a plain loop: Uint8Array.map over 20 MB is seconds under jest). */
function objectFor(i: number): Uint8Array {
  const a = new Uint8Array(MB);
  for (let k = 0; k < MB; k++) a[k] = (k * (i + 7) + (k >>> 8) + i) & 0xff;
  return a;
}

function makePair(seed: number, senderConfig: EndpointConfigInput, sends: Sent[]): Pair<Endpoint> {
  const onTrace = (e: TraceEntry): void => {
    // Bytes handed to the a -> b link, lost ones included; a duplicate is the link's doing, not the sender's.
    if (e.from !== 'a') return;
    if (e.kind === 'drop' || (e.kind === 'schedule' && !e.duplicate)) sends.push({ at: e.at, length: e.length });
  };
  return new Pair<Endpoint>({
    seed,
    onTrace,
    makeA: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: senderConfig }),
    makeB: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: { receiver: { autoCommit: true } } }),
    link: { latencyMs: 10, loss: { model: 'bernoulli', p: 0.01 } },
    // A bottleneck a little above the endpoint rate with a 256 KiB queue stands for the receiver's socket buffer.
    linkAB: { latencyMs: 10, loss: { model: 'bernoulli', p: 0.01 }, bandwidthBytesPerSec: 6 * MB, queueBytes: 256 * 1024 },
  });
}

describe('endpoint-wide pacing over SimNetwork', () => {
  it.each(seedsFromEnv([5]))(`${TRANSFERS} concurrent 1 MB transfers never exceed sender.endpointRateBytesPerSec on the wire, all byte-exact (seed %i)`, (seed) =>
    withSeed(seed, () => {
      const sends: Sent[] = [];
      const config: EndpointConfigInput = { sender: { rateBytesPerSec: SESSION_RATE, endpointRateBytesPerSec: ENDPOINT_RATE, burstDatagrams: BURST } };
      const pair = makePair(seed, config, sends);
      const data = new Map<string, Uint8Array>();
      const start = pair.now;
      for (let i = 0; i < TRANSFERS; i++) {
        const object = objectFor(i);
        const r = pair.a.send('b', { data: object, name: `obj-${i}` }, start);
        if (!r.ok) throw new Error(r.message);
        data.set(r.transferId, object);
      }
      const ended = (e: EndpointEvent): boolean => e.role === 'sender' && (e.type === 'completed' || e.type === 'failed');
      const r = pair.driveUntil((p) => p.eventsA.filter(ended).length === TRANSFERS, { maxTimeMs: 60_000 });
      expect(r.ok).toBe(true);

      // Every transfer completed, byte-exact.
      expect(pair.eventsA.filter((e) => e.type === 'failed')).toEqual([]);
      const verified = pair.eventsB.filter((e) => e.type === 'verified');
      expect(verified).toHaveLength(TRANSFERS);
      for (const e of verified) {
        if (e.type !== 'verified') continue;
        expect(Buffer.from(e.data).equals(Buffer.from(data.get(e.transferId) as Uint8Array))).toBe(true);
      }

      // The wire: within any window, at most the rate times the window plus one bucket depth (the start burst,
      // or tokens saved while idle), plus a little for control datagrams, which never wait but are only charged.
      const burstBytes = BURST * DGRAM;
      const controlSlack = 2048;
      for (const windowMs of [5, 20, 100, 500, 1000]) {
        const max = maxBytesInWindow(sends, windowMs);
        expect({ windowMs, max }).toEqual({ windowMs, max: Math.min(max, (ENDPOINT_RATE * windowMs) / 1000 + burstBytes + controlSlack) });
      }
      // And over the whole run, the average stays at the rate, though 20 sessions could send 8 x more.
      const total = sends.reduce((n, s) => n + s.length, 0);
      const spanMs = sends[sends.length - 1].at - sends[0].at;
      expect(total).toBeGreaterThan(TRANSFERS * MB);
      expect(((total - burstBytes) * 1000) / spanMs).toBeLessThanOrEqual(ENDPOINT_RATE);
      // Near the rate, not far below it: the shared bucket is used, not wasted (1% loss costs ~1% repairs).
      expect((total * 1000) / spanMs).toBeGreaterThan(0.9 * ENDPOINT_RATE);
      // The bottleneck (the receiver's buffer) never overflowed.
      expect(pair.network.linkCounters('a', 'b').queueDropped).toBe(0);

      // Round-robin over one shared bucket is fair: every transfer finishes in the last fifth of the run.
      const doneAt = pair.eventsA.filter((e) => e.type === 'completed').map((e) => (e.type === 'completed' ? e.stats.durationMs : 0));
      expect(Math.min(...doneAt)).toBeGreaterThan(0.8 * Math.max(...doneAt));
    }),
  );

  it('without it (endpointRateBytesPerSec 0) the same transfers put sessions x rate on the wire and overflow the bottleneck', () =>
    withSeed(seedsFromEnv([5])[0], (seed) => {
      const sends: Sent[] = [];
      const pair = makePair(seed, { sender: { rateBytesPerSec: SESSION_RATE, endpointRateBytesPerSec: 0, burstDatagrams: BURST } }, sends);
      for (let i = 0; i < TRANSFERS; i++) if (!pair.a.send('b', { data: objectFor(i) }, pair.now).ok) throw new Error('send refused');
      pair.network.runFor(300);
      // The measurement above would catch it: far beyond the endpoint rate in every window.
      expect(maxBytesInWindow(sends, 100)).toBeGreaterThan(3 * ((ENDPOINT_RATE * 100) / 1000));
      expect(pair.network.linkCounters('a', 'b').queueDropped).toBeGreaterThan(0);
    }),
  );

  it('a single transfer is still held to sender.rateBytesPerSec when the endpoint rate is higher', () =>
    withSeed(seedsFromEnv([5])[0], (seed) => {
      const sends: Sent[] = [];
      const pair = makePair(seed, { sender: { rateBytesPerSec: SESSION_RATE, endpointRateBytesPerSec: ENDPOINT_RATE, burstDatagrams: BURST } }, sends);
      if (!pair.a.send('b', { data: objectFor(0) }, pair.now).ok) throw new Error('send refused');
      const r = pair.driveUntil((p) => p.eventsA.some((e) => e.type === 'completed'), { maxTimeMs: 60_000 });
      expect(r.ok).toBe(true);
      expect(maxBytesInWindow(sends, 100)).toBeLessThanOrEqual((SESSION_RATE * 100) / 1000 + BURST * DGRAM + 2048);
    }),
  );
});
