import type { Transmit } from '../core/types';
import type { LinkConfigInput } from './link-config';
import { ScriptedEndpoint, sequenced, sequenceIndex, type ScriptedEvent } from './scripted-endpoint';
import { seedFromEnv, withSeed } from './seed';
import { assertRunOk, concatSegments, SimNetwork, type SimEndpoint, type TraceEntry } from './sim-network';

const SEED = seedFromEnv(20240601);

/** a sends, b records (and echoes when asked); one link config for both directions. */
function twoNodes(link: LinkConfigInput, seed = SEED, bEcho = false) {
  const net = new SimNetwork<ScriptedEvent>({ seed, defaultLink: link });
  const a = new ScriptedEndpoint();
  const b = new ScriptedEndpoint({ echo: bEcho });
  net.addNode('a', a);
  net.addNode('b', b);
  return { net, a, b };
}

/** Lengths of runs of consecutive missing indices in 0..count-1. */
function lossBursts(received: Iterable<number>, count: number): number[] {
  const got = new Set(received);
  const bursts: number[] = [];
  let run = 0;
  for (let i = 0; i < count; i++) {
    if (got.has(i)) {
      if (run > 0) bursts.push(run);
      run = 0;
    } else run++;
  }
  if (run > 0) bursts.push(run);
  return bursts;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('SimNetwork', () => {
  describe('delivery', () => {
    it('joins segments and delivers at send time + latency', () => {
      const { net, a, b } = twoNodes({ latencyMs: 30 });
      a.sendAt('b', [new Uint8Array([1, 2]), new Uint8Array([3])], 5);
      assertRunOk(net.runUntil(() => b.arrivals.length === 1), 'arrival');
      expect(b.arrivals[0]).toEqual({ from: 'a', bytes: new Uint8Array([1, 2, 3]), at: 35 });
      expect(net.now).toBe(35);
      expect(net.linkCounters('a', 'b')).toMatchObject({ sent: 1, delivered: 1, bytes: 3, bytesDelivered: 3 });
    });

    it('keeps latency within [latency, latency + jitter) and order by default', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ latencyMs: 20, jitterMs: 5 });
        a.sendSequence('b', 1000, 64, 0, 1);
        expect(net.runUntilIdle().ok).toBe(true);
        const delays = b.arrivals.map((x) => x.at - sequenceIndex(x.bytes));
        expect(Math.min(...delays)).toBeGreaterThanOrEqual(20);
        expect(Math.max(...delays)).toBeLessThan(25);
        expect(new Set(delays).size).toBeGreaterThan(100);
        expect(b.arrivalIndices()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      });
    });

    it('lets jitter reorder when asked', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ latencyMs: 20, jitterMs: 5, jitterReorders: true });
        a.sendSequence('b', 1000, 64, 0, 1);
        net.runUntilIdle();
        const delays = b.arrivals.map((x) => x.at - sequenceIndex(x.bytes));
        expect(Math.min(...delays)).toBeGreaterThanOrEqual(20);
        expect(Math.max(...delays)).toBeLessThan(25);
        const indices = b.arrivalIndices();
        expect(indices).toHaveLength(1000);
        expect(indices).not.toEqual([...indices].sort((x, y) => x - y));
      });
    });

    it('adds serialisation delay at the bandwidth and tail-drops a full queue', () => {
      // 1000-byte datagrams at 100 kB/s take 10 ms each; the queue holds 3 of them.
      const { net, a, b } = twoNodes({ latencyMs: 5, bandwidthBytesPerSec: 100_000, queueBytes: 3000 });
      a.sendSequence('b', 10, 1000, 0, 0);
      a.sendAt('b', sequenced(10, 1000), 100);
      net.runUntilIdle();
      expect(b.arrivals.map((x) => [sequenceIndex(x.bytes), x.at])).toEqual([
        [0, 15],
        [1, 25],
        [2, 35],
        [10, 115],
      ]);
      expect(net.linkCounters('a', 'b')).toMatchObject({ sent: 11, queueDropped: 7, delivered: 4 });
    });

    it('drops datagrams larger than the MTU', () => {
      const { net, a, b } = twoNodes({ mtu: 1200 });
      a.sendAt('b', new Uint8Array(1201), 0);
      a.sendAt('b', new Uint8Array(1200), 0);
      net.runUntilIdle();
      expect(b.arrivals.map((x) => x.bytes.length)).toEqual([1200]);
      expect(net.linkCounters('a', 'b').mtuDropped).toBe(1);
    });

    it('drops everything sent inside blackhole windows', () => {
      const { net, a, b } = twoNodes({ blackholes: [[100, 200], [250, 260]] });
      a.sendSequence('b', 300, 16, 0, 1);
      net.runUntilIdle();
      const got = new Set(b.arrivalIndices());
      for (let i = 0; i < 300; i++) expect(got.has(i)).toBe(!((i >= 100 && i < 200) || (i >= 250 && i < 260)));
      expect(net.linkCounters('a', 'b').blackholed).toBe(110);
    });

    it('applies each direction its own config', () => {
      const { net, a, b } = twoNodes({ latencyMs: 10 }, SEED, true);
      net.configureLink('b', 'a', { latencyMs: 40 });
      a.sendAt('b', new Uint8Array(4), 0);
      net.runUntilIdle();
      expect(b.arrivals[0]?.at).toBe(10);
      expect(a.arrivals[0]?.at).toBe(50);
    });
  });

  describe('random impairments', () => {
    it('Bernoulli loss stays within statistical bounds over 20k datagrams', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ latencyMs: 1, loss: { model: 'bernoulli', p: 0.05 } });
        a.sendSequence('b', 20000, 32, 0, 0.1);
        net.runUntilIdle();
        const c = net.linkCounters('a', 'b');
        // sigma = sqrt(0.05 * 0.95 / 20000) ~ 0.0015; allow 4 sigma.
        expect(Math.abs(c.lost / c.sent - 0.05)).toBeLessThan(0.0062);
        expect(c.delivered + c.lost).toBe(c.sent);
        expect(b.arrivals).toHaveLength(c.delivered);
      });
    });

    it('Gilbert-Elliott loses in longer bursts than Bernoulli at the same mean loss', () => {
      withSeed(SEED, () => {
        const n = 20000;
        const ge = twoNodes({ latencyMs: 1, loss: { model: 'gilbert-elliott', pGoodToBad: 0.01, pBadToGood: 0.25, lossInGood: 0, lossInBad: 0.9 } });
        ge.a.sendSequence('b', n, 32, 0, 0.1);
        ge.net.runUntilIdle();
        const geRate = ge.net.linkCounters('a', 'b').lost / n;
        const be = twoNodes({ latencyMs: 1, loss: { model: 'bernoulli', p: geRate } });
        be.a.sendSequence('b', n, 32, 0, 0.1);
        be.net.runUntilIdle();
        const geBurst = mean(lossBursts(ge.b.arrivalIndices(), n));
        const beBurst = mean(lossBursts(be.b.arrivalIndices(), n));
        expect(geRate).toBeGreaterThan(0.02);
        expect(geBurst).toBeGreaterThan(2.5);
        expect(geBurst).toBeGreaterThan(2 * beBurst);
      });
    });

    it('duplicates, each copy identical and counted', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ duplicateProbability: 0.3 });
        a.sendSequence('b', 2000, 64, 0, 1);
        net.runUntilIdle();
        const c = net.linkCounters('a', 'b');
        expect(Math.abs(c.duplicated / 2000 - 0.3)).toBeLessThan(0.05);
        expect(b.arrivals).toHaveLength(2000 + c.duplicated);
        expect(c.delivered).toBe(2000 + c.duplicated);
        const indices = b.arrivalIndices();
        expect(new Set(indices).size).toBe(2000);
        for (const x of b.arrivals) expect(x.bytes).toEqual(sequenced(sequenceIndex(x.bytes), 64));
      });
    });

    it('reordering actually reorders', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ reorderProbability: 0.1, reorderExtraDelayMs: 20 });
        a.sendSequence('b', 1000, 64, 0, 1);
        net.runUntilIdle();
        const indices = b.arrivalIndices();
        expect(indices).toHaveLength(1000);
        let inversions = 0;
        for (let i = 1; i < indices.length; i++) if ((indices[i] as number) < (indices[i - 1] as number)) inversions++;
        const reordered = net.linkCounters('a', 'b').reordered;
        expect(reordered).toBeGreaterThan(50);
        expect(inversions).toBeGreaterThan(50);
        expect(inversions).toBeLessThanOrEqual(reordered);
      });
    });

    it('corruption flips 1 to 3 bits of a copy and keeps the length', () => {
      withSeed(SEED, () => {
        const { net, a, b } = twoNodes({ corruptProbability: 1 });
        const original = sequenced(7, 200);
        const sent = original.slice();
        for (let i = 0; i < 100; i++) a.sendAt('b', sent, i);
        net.runUntilIdle();
        expect(sent).toEqual(original);
        expect(net.linkCounters('a', 'b').corrupted).toBe(100);
        const flips = new Set<number>();
        for (const x of b.arrivals) {
          expect(x.bytes).toHaveLength(200);
          let bits = 0;
          x.bytes.forEach((v, i) => {
            let d = v ^ (original[i] as number);
            for (; d; d &= d - 1) bits++;
          });
          flips.add(bits);
        }
        expect([...flips].sort()).toEqual([1, 2, 3]);
      });
    });

    it('is deterministic: the same seed gives the same trace, another seed another', () => {
      const run = (seed: number): TraceEntry[] => {
        const trace: TraceEntry[] = [];
        const net = new SimNetwork<ScriptedEvent>({
          seed,
          onTrace: (e) => trace.push(e),
          defaultLink: {
            latencyMs: 15,
            jitterMs: 4,
            bandwidthBytesPerSec: 500_000,
            queueBytes: 20_000,
            loss: { model: 'gilbert-elliott', pGoodToBad: 0.05, pBadToGood: 0.3, lossInGood: 0.01, lossInBad: 0.7 },
            duplicateProbability: 0.05,
            reorderProbability: 0.05,
            reorderExtraDelayMs: 7,
            corruptProbability: 0.05,
          },
        });
        const a = new ScriptedEndpoint();
        net.addNode('a', a);
        net.addNode('b', new ScriptedEndpoint({ echo: (x) => (sequenceIndex(x.bytes) % 3 === 0 ? x.bytes.subarray(0, 8) : undefined) }));
        a.sendSequence('b', 2000, 500, 0, 0.5);
        net.runUntilIdle();
        return trace;
      };
      const first = run(SEED);
      expect(first.length).toBeGreaterThan(3000);
      expect(run(SEED)).toEqual(first);
      expect(run(SEED + 1)).not.toEqual(first);
    });

    it('keeps the books: every datagram sent is delivered or dropped for a reason', () => {
      const { net, a } = twoNodes({
        mtu: 1000,
        bandwidthBytesPerSec: 200_000,
        queueBytes: 5000,
        loss: { model: 'bernoulli', p: 0.1 },
        duplicateProbability: 0.1,
        blackholes: [[50, 60]],
      });
      for (let i = 0; i < 500; i++) a.sendAt('b', new Uint8Array(i % 7 === 0 ? 1001 : 900), i / 2);
      net.runUntilIdle();
      const c = net.linkCounters('a', 'b');
      expect(c.sent + c.duplicated).toBe(c.delivered + c.lost + c.queueDropped + c.mtuDropped + c.blackholed + c.filtered);
      expect(Math.min(c.lost, c.queueDropped, c.mtuDropped, c.blackholed, c.duplicated)).toBeGreaterThan(0);
    });
  });

  describe('runUntil', () => {
    /** Two echoing nodes bounce one datagram forever. */
    function pingPong(latencyMs: number) {
      const net = new SimNetwork<ScriptedEvent>({ seed: SEED, defaultLink: { latencyMs } });
      const a = new ScriptedEndpoint({ echo: true });
      net.addNode('a', a);
      net.addNode('b', new ScriptedEndpoint({ echo: true }));
      a.sendAt('b', new Uint8Array([1]), 0);
      return net;
    }

    it('returns at once when the predicate already holds', () => {
      const net = pingPong(10);
      expect(net.runUntil(() => true)).toEqual({ ok: true, reason: 'predicate', steps: 0, timeMs: 0, now: 0 });
    });

    it('stops when the predicate holds, at the time it became true', () => {
      const { net, a, b } = twoNodes({ latencyMs: 10 });
      a.sendSequence('b', 3, 8, 0, 5);
      const result = net.runUntil(() => b.arrivals.length === 2);
      expect(result).toMatchObject({ ok: true, reason: 'predicate', timeMs: 15, now: 15 });
      // The third datagram (sent at 10) is still on its way.
      expect(net.inFlight).toBe(1);
      expect(a.pollTimeout()).toBeUndefined();
    });

    it('is bounded by maxSteps', () => {
      const result = pingPong(10).runUntil(() => false, { maxSteps: 50 });
      expect(result).toMatchObject({ ok: false, reason: 'maxSteps', steps: 50 });
    });

    it('is bounded by maxTimeMs and ends exactly at the deadline', () => {
      const net = pingPong(10);
      net.clock.advance(3);
      const result = net.runUntil(() => false, { maxTimeMs: 1000 });
      expect(result).toMatchObject({ ok: false, reason: 'maxTime', timeMs: 1000, now: 1003 });
      // 10 ms per hop from t = 3: 100 hops, the last at t = 1003 ran before stopping.
      expect(net.stats().links['a->b']?.delivered).toBe(50);
      expect(net.stats().links['b->a']?.delivered).toBe(50);
    });

    it('stops on idle when nothing is left to do', () => {
      const { net, a } = twoNodes({ latencyMs: 10 });
      a.sendSequence('b', 3, 8, 0, 5);
      expect(net.runUntil(() => false)).toMatchObject({ ok: false, reason: 'idle', now: 20 });
      expect(net.runUntilIdle()).toMatchObject({ ok: true, reason: 'idle', steps: 1 });
    });

    it('detects a livelock of zero-latency ping-pong', () => {
      const result = pingPong(0).runUntil(() => false, { livelockSteps: 1000 });
      expect(result).toMatchObject({ ok: false, reason: 'livelock', steps: 1000, now: 0 });
      expect(result.detail).toContain('in flight');
    });

    it('detects an endpoint whose timer never moves', () => {
      const net = new SimNetwork({ seed: 1 });
      const stuck: SimEndpoint = {
        handleDatagram: () => undefined,
        handleTimeout: () => undefined,
        pollTransmit: () => undefined,
        pollTimeout: () => 5,
      };
      net.addNode('stuck', stuck);
      const result = net.runUntil(() => false, { livelockSteps: 100 });
      expect(result).toMatchObject({ reason: 'livelock', now: 5 });
      expect(result.detail).toContain("node 'stuck' pollTimeout()=5");
    });

    it('rejects unbounded options', () => {
      expect(() => pingPong(1).runUntil(() => false, { maxTimeMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    });
  });

  describe('runFor', () => {
    it('lets the time pass even when idle', () => {
      const { net, a, b } = twoNodes({ latencyMs: 10 });
      a.sendAt('b', new Uint8Array(1), 0);
      expect(net.runFor(500)).toMatchObject({ ok: true, now: 500, timeMs: 500 });
      expect(b.arrivals).toHaveLength(1);
    });
  });

  describe('step', () => {
    it('does the work due now, then moves the clock to the next work', () => {
      const { net, a } = twoNodes({ latencyMs: 10 });
      a.sendAt('b', new Uint8Array(1), 2);
      expect(net.step()).toEqual({ now: 0, delivered: 0, timeouts: 0, transmitted: 0, next: 2 });
      expect(net.now).toBe(2);
      expect(net.step()).toMatchObject({ now: 2, timeouts: 1, transmitted: 1, next: 12 });
      expect(net.step()).toMatchObject({ now: 12, delivered: 1, next: undefined });
      expect(net.now).toBe(12);
    });
  });

  describe('events', () => {
    it('drains pollEvent into a per-node log and the callback', () => {
      const seen: [string, number][] = [];
      const net = new SimNetwork<ScriptedEvent>({ seed: 1, onEvent: (node, e, now) => seen.push([node, now]) });
      const a = new ScriptedEndpoint();
      net.addNode('a', a);
      net.addNode('b', new ScriptedEndpoint());
      a.sendSequence('b', 2, 8, 0, 1);
      net.runUntil((n) => n.findEvent('b', (e) => e.type === 'received' && e.at === 11) !== undefined);
      expect(net.events('b')).toEqual([
        { type: 'received', from: 'a', at: 10, length: 8 },
        { type: 'received', from: 'a', at: 11, length: 8 },
      ]);
      expect(seen).toEqual([
        ['b', 10],
        ['b', 11],
      ]);
      net.clearEvents();
      expect(net.events('b')).toEqual([]);
    });
  });

  describe('intercept and inject', () => {
    it('lets a test drop or rewrite datagrams before the link', () => {
      const { net, a, b } = twoNodes({});
      net.intercept(({ bytes }) => (bytes[0] === 1 ? 'drop' : bytes[0] === 2 ? new Uint8Array([9, 9]) : undefined));
      a.sendAt('b', new Uint8Array([1]), 0);
      a.sendAt('b', new Uint8Array([2]), 0);
      a.sendAt('b', new Uint8Array([3]), 0);
      net.runUntilIdle();
      expect(b.arrivals.map((x) => [...x.bytes])).toEqual([[9, 9], [3]]);
      expect(net.linkCounters('a', 'b')).toMatchObject({ sent: 3, filtered: 1, delivered: 2 });
    });

    it('injects datagrams past the links, from any address', () => {
      const { net, b } = twoNodes({});
      net.inject('203.0.113.9:4000', 'b', new Uint8Array([7]), 42);
      net.runUntilIdle();
      expect(b.arrivals).toEqual([{ from: '203.0.113.9:4000', bytes: new Uint8Array([7]), at: 42 }]);
      expect(() => net.inject('x', 'b', new Uint8Array(1), 1)).toThrow(RangeError);
    });
  });

  describe('nodes', () => {
    it('counts datagrams to unknown or removed nodes as unroutable', () => {
      const { net, a } = twoNodes({ latencyMs: 10 });
      a.sendAt('nowhere', new Uint8Array(1), 0);
      a.sendAt('b', new Uint8Array(1), 0);
      net.step();
      net.removeNode('b');
      net.runUntilIdle();
      expect(net.unroutable).toBe(2);
      expect(() => net.addNode('a', new ScriptedEndpoint())).toThrow(/already taken/);
      expect(() => net.events('b')).toThrow(/no node/);
    });

    it('says which node threw, and when', () => {
      const net = new SimNetwork<ScriptedEvent>({ seed: 1 });
      const a = new ScriptedEndpoint();
      net.addNode('a', a);
      net.addNode('b', {
        handleDatagram: () => {
          throw new Error('bad input');
        },
        handleTimeout: () => undefined,
        pollTransmit: () => undefined,
        pollTimeout: () => undefined,
      });
      a.sendAt('b', new Uint8Array(1), 0);
      expect(() => net.runUntilIdle()).toThrow("bad input [sim: node 'b' handleDatagram at t=10ms]");
    });

    it('refuses a Transmit whose length does not match its segments', () => {
      const net = new SimNetwork<ScriptedEvent>({ seed: 1 });
      const tx: Transmit = { to: 'b', datagram: [new Uint8Array(3)], length: 4 };
      let sent = false;
      net.addNode('a', {
        handleDatagram: () => undefined,
        handleTimeout: () => undefined,
        pollTransmit: () => (sent ? undefined : ((sent = true), tx)),
        pollTimeout: () => undefined,
      });
      net.addNode('b', new ScriptedEndpoint());
      expect(() => net.step()).toThrow(/length 4 but its segments hold 3/);
    });
  });

  describe('scale', () => {
    it('moves 10 MB of 1448-byte datagrams with feedback in well under the time budget', () => {
      const { net, a, b } = twoNodes({ latencyMs: 20, bandwidthBytesPerSec: 12_500_000, queueBytes: 1 << 20, loss: { model: 'bernoulli', p: 0.01 } });
      const count = Math.ceil((10 * 1024 * 1024) / 1448);
      // One every 0.125 ms is 11.6 MB/s, just under the 12.5 MB/s bottleneck.
      a.sendSequence('b', count, 1448, 0, 0.125);
      const ack = new Uint8Array(40);
      let acks = 0;
      const started = performance.now();
      const result = net.runUntil(() => {
        // Feedback every 8 arrivals, like a receiver's ACK.
        while (acks < Math.floor(b.arrivals.length / 8)) {
          b.sendAt('a', ack, net.now);
          acks++;
        }
        return false;
      });
      const elapsed = performance.now() - started;
      expect(result.reason).toBe('idle');
      expect(net.linkCounters('a', 'b').queueDropped).toBe(0);
      expect(b.arrivals.length).toBeGreaterThan(count * 0.97);
      expect(a.arrivals.length).toBeGreaterThan(0);
      expect(elapsed).toBeLessThan(3000);
    });
  });
});

describe('concatSegments', () => {
  it('joins into a fresh buffer', () => {
    const s = new Uint8Array([1, 2]);
    const out = concatSegments([s, new Uint8Array(0), new Uint8Array([3])]);
    expect(out).toEqual(new Uint8Array([1, 2, 3]));
    s[0] = 9;
    expect(out[0]).toBe(1);
  });
});

describe('assertRunOk', () => {
  it('explains why a run stopped', () => {
    expect(() => assertRunOk({ ok: false, reason: 'idle', steps: 3, timeMs: 40, now: 40 }, 'transfer completed')).toThrow(
      'SimNetwork: transfer completed not reached: stopped by idle after 3 steps, 40ms virtual, at t=40ms',
    );
    expect(() => assertRunOk({ ok: true, reason: 'predicate', steps: 3, timeMs: 40, now: 40 })).not.toThrow();
  });
});
