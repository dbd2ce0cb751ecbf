/**
 * Many transfers at once in both directions between two endpoints over the
 * SimNetwork (a reply is a transfer too: each endpoint sends and receives at
 * the same time).
 */
import { Pair, seedsFromEnv, withSeed } from '../testing';
import { Endpoint } from './endpoint';

describe('concurrent transfers over SimNetwork', () => {
  it.each(seedsFromEnv([3]))('8 transfers each way at once, 5% loss, all complete byte-exact (seed %i)', (seed) =>
    withSeed(seed, () => {
      const config = { receiver: { autoCommit: true }, sender: { rateBytesPerSec: 4_000_000 } };
      const pair = new Pair<Endpoint>({
        seed,
        makeA: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config }),
        makeB: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config }),
        link: { latencyMs: 15, loss: { model: 'bernoulli', p: 0.05 } },
      });
      const sent = new Map<string, Uint8Array>();
      for (let i = 0; i < 8; i++) {
        for (const [from, to] of [
          ['a', 'b'],
          ['b', 'a'],
        ] as const) {
          const data = new Uint8Array(50_000 + i * 37_000).map((_, k) => (k * (i + 3) + (from === 'a' ? 1 : 2)) & 0xff);
          const ep = from === 'a' ? pair.a : pair.b;
          const r = ep.send(to, { data, name: `${from}-${i}` }, pair.now);
          if (!r.ok) throw new Error(r.message);
          sent.set(r.transferId, data);
        }
      }
      const done = (): number =>
        pair.eventsA.filter((e) => e.role === 'sender' && e.type === 'completed').length + pair.eventsB.filter((e) => e.role === 'sender' && e.type === 'completed').length;
      const r = pair.driveUntil(() => done() === 16, { maxTimeMs: 60_000 });
      expect(r.ok).toBe(true);
      let verified = 0;
      for (const e of [...pair.eventsA, ...pair.eventsB]) {
        if (e.type !== 'verified') continue;
        expect(Buffer.from(e.data).equals(Buffer.from(sent.get(e.transferId) as Uint8Array))).toBe(true);
        verified++;
      }
      expect(verified).toBe(16);
      expect(pair.a.counters.transfersCompleted).toEqual({ sender: 8, receiver: 8 });
      expect(pair.b.counters.transfersCompleted).toEqual({ sender: 8, receiver: 8 });
      expect(pair.a.counters.bytesReserved + pair.b.counters.bytesReserved).toBe(0);
      expect(pair.a.transfers()).toHaveLength(0);
    }),
  );
});
