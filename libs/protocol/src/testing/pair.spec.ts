import type { EndpointEvent, ProtocolEndpoint } from '../core/types';
import { Pair, type PairNodeContext } from './pair';
import type { SimEndpoint } from './sim-network';
import { ScriptedEndpoint } from './scripted-endpoint';
import { seedFromEnv, withSeed } from './seed';

const SEED = seedFromEnv(7);

describe('Pair', () => {
  function echoPair(options: Partial<ConstructorParameters<typeof Pair<ScriptedEndpoint>>[0]> = {}) {
    return new Pair<ScriptedEndpoint>({
      seed: SEED,
      makeA: () => new ScriptedEndpoint(),
      makeB: () => new ScriptedEndpoint({ echo: true }),
      ...options,
    });
  }

  it("builds 'a' and 'b' with contexts of their own", () => {
    const contexts: PairNodeContext[] = [];
    const make = (ctx: PairNodeContext) => {
      contexts.push(ctx);
      return new ScriptedEndpoint();
    };
    const pair = new Pair({ seed: SEED, makeA: make, makeB: make });
    expect(contexts.map((c) => [c.address, c.peer])).toEqual([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    const [ca, cb] = contexts as [PairNodeContext, PairNodeContext];
    expect(ca.random.bytes(8)).not.toEqual(cb.random.bytes(8));
    pair.network.clock.advance(12);
    expect(ca.now()).toBe(12);
    expect(pair.seed).toBe(SEED);
  });

  it('gives the same node the same random stream for the same seed', () => {
    const first: Uint8Array[] = [];
    const make = (ctx: PairNodeContext) => {
      first.push(ctx.random.bytes(16));
      return new ScriptedEndpoint();
    };
    new Pair({ seed: SEED, makeA: make, makeB: make });
    new Pair({ seed: SEED, makeA: make, makeB: make });
    expect(first[2]).toEqual(first[0]);
    expect(first[3]).toEqual(first[1]);
  });

  it('configures both directions, or each alone', () => {
    const pair = echoPair({ link: { latencyMs: 5 }, linkBA: { latencyMs: 50 } });
    expect(pair.linkAB.config.latencyMs).toBe(5);
    expect(pair.linkBA.config.latencyMs).toBe(50);
    pair.a.sendAt('b', new Uint8Array([1]), 0);
    const result = pair.driveUntil((p) => p.a.arrivals.length === 1);
    expect(result).toMatchObject({ ok: true, timeMs: 55 });
  });

  it('drives until an event', () => {
    withSeed(SEED, () => {
      const pair = echoPair();
      pair.a.sendSequence('b', 5, 10, 0, 1);
      const result = pair.driveUntilEvent('a', (e) => e.type === 'received' && e.at >= 22);
      expect(result).toMatchObject({ ok: true, now: 22 });
      expect(pair.eventsA).toHaveLength(3);
      expect(pair.eventsB).toHaveLength(5);
    });
  });

  it('drives until idle, step by step if asked', () => {
    const pair = echoPair();
    pair.a.sendAt('b', new Uint8Array([1]), 0);
    expect(pair.step()).toMatchObject({ now: 0, transmitted: 1, next: 10 });
    expect(pair.now).toBe(10);
    expect(pair.drive()).toMatchObject({ ok: true, reason: 'idle', now: 20 });
    expect(pair.linkAB.counters.delivered).toBe(1);
    expect(pair.linkBA.counters.delivered).toBe(1);
  });

  it('reports a bounded failure when the condition never comes', () => {
    const pair = echoPair({ link: { loss: { model: 'bernoulli', p: 1 } } });
    pair.a.sendAt('b', new Uint8Array([1]), 0);
    expect(pair.driveUntil((p) => p.a.arrivals.length > 0)).toMatchObject({ ok: false, reason: 'idle' });
  });

  it('takes ProtocolEndpoint-shaped factories and types their events as EndpointEvent', () => {
    // Compile-time: the real endpoint contract is a SimEndpoint.
    const asSim = (e: ProtocolEndpoint): SimEndpoint => e;
    const stub = {
      handleDatagram: () => undefined,
      handleTimeout: () => undefined,
      pollTransmit: () => undefined,
      pollTimeout: () => undefined,
      pollEvent: (): EndpointEvent | undefined => undefined,
    };
    const pair = new Pair({ seed: 1, makeA: () => stub, makeB: () => stub });
    const events: readonly EndpointEvent[] = pair.eventsA;
    expect(pair.drive()).toMatchObject({ ok: true, steps: 1 });
    expect(events).toEqual([]);
    expect(typeof asSim).toBe('function');
  });
});
