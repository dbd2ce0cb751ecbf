/**
 * The protocol test grid over the SimNetwork: objects of every edge size
 * across loss, burst loss, duplication, reordering, corruption and RTT, all
 * deterministic (seeded; a failure prints "replay with UDPIX_SEED=<seed>").
 *
 * Bounds checked on the 10 MB runs (each stated in the test name):
 *  - retransmitted bytes <= 1.5 * p * size + 64 chunks (p = per-direction loss);
 *  - time from `accepted` to sender `completed` <= wire time + K * RTT, where
 *    wire time = bytes put on the wire by the sender / pacing rate (the time
 *    the pacer alone needs, repairs included) and RTT the link's base RTT.
 */
import { Pair, seedsFromEnv, withSeed, type LinkConfigInput } from '../testing';
import { Endpoint } from './endpoint';
import type { EndpointConfigInput, EndpointEvent, TransferStats } from './types';

const CHUNK = 1448; // chunkSizeFor({ maxDatagram: 1472 })
const MB10 = 10_000_000;
const RATE = 12_500_000;

interface Outcome {
  ok: boolean;
  failure?: string;
  receivedExact: boolean;
  sender?: TransferStats;
  /** ms from `accepted` to sender `completed`. */
  activeMs: number;
  totalMs: number;
}

function pattern(size: number, seed: number): Uint8Array {
  const data = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

function run(seed: number, size: number, link: LinkConfigInput, config: EndpointConfigInput = {}): Outcome {
  const cfg: EndpointConfigInput = { ...config, receiver: { autoCommit: true, ...config.receiver }, sender: { rateBytesPerSec: RATE, ...config.sender } };
  let acceptedAt: number | undefined;
  const pair = new Pair<Endpoint>({
    seed,
    recordEvents: true,
    onEvent: (address, e, now) => {
      if (address === 'a' && e.type === 'accepted') acceptedAt = now;
    },
    makeA: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: cfg }),
    makeB: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: cfg }),
    link,
  });
  const data = pattern(size, seed);
  const start = pair.now;
  const sent = pair.a.send('b', { data, name: 'grid.bin' }, start);
  if (!sent.ok) throw new Error(`send refused: ${sent.message}`);
  const end = (e: EndpointEvent): boolean => e.role === 'sender' && (e.type === 'completed' || e.type === 'failed');
  const r = pair.driveUntilEvent('a', end, { maxTimeMs: 600_000 });
  if (!r.ok) throw new Error(`run did not finish: ${r.reason} ${r.detail ?? ''}`);
  const last = pair.eventsA.find(end);
  const verified = pair.eventsB.find((e) => e.type === 'verified');
  const receivedExact = verified !== undefined && verified.type === 'verified' && Buffer.compare(Buffer.from(verified.data), Buffer.from(data)) === 0;
  return {
    ok: last?.type === 'completed',
    failure: last?.type === 'failed' ? `${last.code}: ${last.message}` : undefined,
    receivedExact,
    sender: last?.type === 'completed' || last?.type === 'failed' ? last.stats : undefined,
    activeMs: pair.now - (acceptedAt ?? start),
    totalMs: pair.now - start,
  };
}

function expectDelivered(o: Outcome): void {
  if (!o.ok) throw new Error(`transfer failed: ${o.failure}`);
  expect(o.receivedExact).toBe(true);
}

const SIZES: Array<[string, number]> = [
  ['0 B', 0],
  ['1 B', 1],
  ['one chunk', CHUNK],
  ['one chunk + 1 B', CHUNK + 1],
  ['100 kB', 100_000],
];

const CONDITIONS: Array<[string, LinkConfigInput]> = [
  ['clean, RTT 20 ms', {}],
  ['1% loss', { loss: { model: 'bernoulli', p: 0.01 } }],
  ['5% loss', { loss: { model: 'bernoulli', p: 0.05 } }],
  ['10% loss', { loss: { model: 'bernoulli', p: 0.1 } }],
  ['20% loss', { loss: { model: 'bernoulli', p: 0.2 } }],
  ['30% loss', { loss: { model: 'bernoulli', p: 0.3 } }],
  ['Gilbert-Elliott bursts', { loss: { model: 'gilbert-elliott', pGoodToBad: 0.02, pBadToGood: 0.25, lossInGood: 0.005, lossInBad: 0.6 } }],
  ['5% duplication', { duplicateProbability: 0.05 }],
  ['10% reordering by 5 ms', { reorderProbability: 0.1, reorderExtraDelayMs: 5 }],
  ['1% corruption', { corruptProbability: 0.01 }],
  ['RTT 1 ms', { latencyMs: 0.5 }],
  ['RTT 50 ms, 5% loss, jitter', { latencyMs: 25, jitterMs: 4, loss: { model: 'bernoulli', p: 0.05 } }],
  ['RTT 200 ms, 5% loss', { latencyMs: 100, loss: { model: 'bernoulli', p: 0.05 } }],
];

describe('transfer grid over SimNetwork', () => {
  describe('every edge size (0 B, 1 B, one chunk, one chunk + 1 B, 100 kB) arrives byte-exact', () => {
    for (const [cname, link] of CONDITIONS) {
      describe(cname, () => {
        it.each(seedsFromEnv([11, 12]))('all sizes (seed %i)', (seed) =>
          withSeed(seed, () => {
            for (const [, size] of SIZES) expectDelivered(run(seed, size, link));
          }),
        );
      });
    }
  });

  describe('10 MB at every loss rate, with bounds', () => {
    const header = 24;
    const rtt = 20;
    it.each([
      [0, 2],
      [0.01, 4],
      [0.05, 6],
      [0.1, 8],
      [0.2, 10],
      [0.3, 12],
    ])('at %p loss: byte-exact, retransmits <= 1.5 p size + 64 chunks, done within wire time + %p RTT', (p, k) =>
      withSeed(seedsFromEnv([1])[0], (seed) => {
        const o = run(seed, MB10, { latencyMs: rtt / 2, loss: p > 0 ? { model: 'bernoulli', p } : { model: 'none' } });
        expectDelivered(o);
        const st = o.sender as TransferStats;
        const wireMs = ((st.chunksSent + st.chunksRetransmitted) * header + MB10 + st.bytesRetransmitted) / (RATE / 1000);
        console.log(
          `10 MB @ ${p * 100}% loss: retransmitted ${(st.bytesRetransmitted / MB10).toFixed(4)} x size (bound ${(1.5 * p).toFixed(3)} + 64 chunks), ` +
            `active ${o.activeMs.toFixed(0)} ms, wire ${wireMs.toFixed(0)} ms, +${((o.activeMs - wireMs) / rtt).toFixed(1)} RTT (bound ${k}), total ${o.totalMs.toFixed(0)} ms`,
        );
        expect(st.bytesRetransmitted).toBeLessThanOrEqual(1.5 * p * MB10 + 64 * CHUNK);
        expect(o.activeMs).toBeLessThanOrEqual(wireMs + k * rtt);
      }),
    );
  });

  describe('10 MB under every other impairment arrives byte-exact', () => {
    it.each([
      ['Gilbert-Elliott burst loss', { loss: { model: 'gilbert-elliott', pGoodToBad: 0.01, pBadToGood: 0.2, lossInGood: 0.002, lossInBad: 0.5 } }],
      ['5% duplication', { duplicateProbability: 0.05 }],
      ['10% reordering by 3 ms', { reorderProbability: 0.1, reorderExtraDelayMs: 3 }],
      ['1% corruption', { corruptProbability: 0.01 }],
      ['RTT 1 ms', { latencyMs: 0.5 }],
      ['RTT 50 ms with 5 ms jitter, 5% loss', { latencyMs: 25, jitterMs: 5, loss: { model: 'bernoulli', p: 0.05 } }],
      ['RTT 200 ms, 5% loss', { latencyMs: 100, loss: { model: 'bernoulli', p: 0.05 } }],
    ] as Array<[string, LinkConfigInput]>)('%s', (_name, link) =>
      withSeed(seedsFromEnv([2])[0], (seed) => {
        const o = run(seed, MB10, link);
        expectDelivered(o);
      }),
    );
  });
});
