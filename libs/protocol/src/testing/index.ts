/**
 * Deterministic network simulation for protocol and app tests: a virtual
 * clock, seeded randomness, impaired links, and a driver for sans-IO
 * endpoints (see ARCHITECTURE.md, "Deterministic protocol tests").
 *
 * The usual test:
 *
 *   it.each(seedsFromEnv([1, 2, 3]))('survives 5% loss (seed %i)', (seed) =>
 *     withSeed(seed, () => {
 *       const pair = new Pair({
 *         seed,
 *         makeA: (ctx) => new Endpoint({ random: ctx.random.bytes }),
 *         makeB: (ctx) => new Endpoint({ random: ctx.random.bytes }),
 *         link: { latencyMs: 20, jitterMs: 5, loss: { model: 'bernoulli', p: 0.05 } },
 *       });
 *       pair.a.send('b', { data }, pair.now);
 *       assertRunOk(pair.driveUntilEvent('b', (e) => e.type === 'completed'), 'completed');
 *     }),
 *   );
 *
 * A failure ends with "(replay with UDPIX_SEED=<seed>)".
 */
export * from './virtual-clock';
export * from './seeded-random';
export * from './min-heap';
export * from './link-config';
export * from './loss-model';
export * from './link-model';
export * from './sim-network';
export * from './pair';
export * from './seed';
export * from './scripted-endpoint';
export * from './impair-relay';
