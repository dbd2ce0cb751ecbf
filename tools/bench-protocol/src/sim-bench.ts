/**
 * In-process runs over the SimNetwork: the real core on both ends, a virtual
 * clock, seeded Bernoulli loss on both directions and a fixed RTT. Time is
 * virtual, so these rows show what loss and RTT cost the protocol itself
 * (repair rounds, window stalls, timeouts), independent of CPU; the wall
 * time column shows what simulating it cost.
 *
 * Each case runs over several seeds and reports medians, and is timed both
 * from send() and from the sender's `accepted`: a lost OFFER costs the
 * designed 200 ms handshake retry, which on a 2 ms path is 100 RTTs and
 * would otherwise decide a row by one unlucky draw.
 */
import { Pair, type EndpointEvent, type TransferStats } from '@udpix/protocol';
import { goodputMBps, median, medianRun, type BenchResult, type SimRun } from './bench-result';
import { createBenchEndpoint, type BenchEndpointSettings } from './endpoint-settings';
import type { Payload } from './payload';

export interface SimCase {
  lossPct: number;
  rttMs: number;
  seed: number;
}

export function runSimCase(payload: Payload, settings: BenchEndpointSettings, c: SimCase): BenchResult {
  const sizeBytes = payload.data.length;
  let outcome: Extract<EndpointEvent, { type: 'completed' | 'failed' }> | undefined;
  let receivedSha256: string | undefined;
  let acceptedAt: number | undefined;
  const wallStart = performance.now();
  const pair = new Pair({
    seed: c.seed,
    recordEvents: false,
    makeA: () => createBenchEndpoint(settings, c.seed),
    makeB: () => createBenchEndpoint(settings, c.seed + 1),
    link: {
      latencyMs: c.rttMs / 2,
      loss: c.lossPct > 0 ? { model: 'bernoulli', p: c.lossPct / 100 } : { model: 'none' },
      mtu: settings.maxDatagram,
      // No bottleneck: the sender's pacer sets the rate; the link only delays and loses.
      bandwidthBytesPerSec: 0,
    },
    onEvent: (address, event, now) => {
      if (address === Pair.A && event.type === 'accepted') acceptedAt ??= now;
      if (address === Pair.A && event.role === 'sender' && (event.type === 'completed' || event.type === 'failed')) outcome = event;
      if (address === Pair.B && event.type === 'verified') receivedSha256 = Buffer.from(event.data).equals(payload.data) ? payload.sha256Hex : 'mismatch';
    },
  });
  const start = pair.now;
  const sent = pair.a.send(Pair.B, { data: payload.data, sha256: payload.sha256, name: 'bench.bin' }, start);
  const run = sent.ok ? pair.network.runUntil(() => outcome !== undefined, { maxTimeMs: 600_000 }) : undefined;
  const timeMs = pair.now - start;
  // Undefined when no ACCEPT came (refused, unreachable) or for an empty object (COMPLETE answers the OFFER).
  const handshakeMs = acceptedAt === undefined ? undefined : acceptedAt - start;
  const timeFromAcceptMs = acceptedAt === undefined ? undefined : pair.now - acceptedAt;
  const offersSent = pair.a.counters.sentByType['OFFER'] ?? 0;
  const wallMs = performance.now() - wallStart;
  const stats: TransferStats | undefined = outcome?.stats;
  const dataMatches = receivedSha256 === undefined || receivedSha256 === payload.sha256Hex;
  const error = !sent.ok
    ? `send refused: ${sent.code}`
    : outcome === undefined
      ? `no outcome (${run?.reason ?? '?'}${run?.detail ? `: ${run.detail}` : ''})`
      : outcome.type === 'failed'
        ? `failed: ${outcome.code} ${outcome.message}`
        : !dataMatches
          ? 'receiver data differs'
          : undefined;
  return {
    transport: 'sim',
    sizeBytes,
    lossPct: c.lossPct,
    rttMs: c.rttMs,
    datagramSize: settings.maxDatagram,
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    dataMatches,
    timeMs,
    wallMs,
    goodputMBps: error === undefined ? goodputMBps(sizeBytes, timeMs) : 0,
    ...(handshakeMs !== undefined && timeFromAcceptMs !== undefined
      ? { handshakeMs, timeFromAcceptMs, goodputFromAcceptMBps: error === undefined ? goodputMBps(sizeBytes, timeFromAcceptMs) : 0 }
      : {}),
    seeds: [c.seed],
    runs: [{ seed: c.seed, ok: error === undefined, timeMs, ...(handshakeMs !== undefined ? { handshakeMs } : {}), ...(timeFromAcceptMs !== undefined ? { timeFromAcceptMs } : {}), offersSent }],
    ...(stats
      ? {
          retransmitRatio: stats.chunksSent > 0 ? stats.chunksRetransmitted / stats.chunksSent : 0,
          datagramsPerSec: stats.datagramsSent / (timeMs / 1000),
          measuredRttMs: stats.rttMs,
        }
      : {}),
    details: { settings, senderStats: stats, network: pair.network.stats(), steps: run?.steps },
  };
}

/** One case over `seeds`, combined by combineSimRuns. */
export function runSimCaseSeeds(payload: Payload, settings: BenchEndpointSettings, c: Omit<SimCase, 'seed'>, seeds: readonly number[]): BenchResult {
  return combineSimRuns(seeds.map((seed) => runSimCase(payload, settings, { ...c, seed })));
}

/**
 * One row from runs of the same case with different seeds: the run with the
 * median time (a failed or mismatched run instead, never hidden), with the
 * handshake and the data phase replaced by their own medians, which may come
 * from different seeds: a lost OFFER in one seed and a slow tail in another
 * are two facts, and each median should show the typical one. The wall time
 * is the sum, because it is what the row cost to measure.
 */
export function combineSimRuns(results: readonly BenchResult[]): BenchResult {
  const base = medianRun(results);
  const ok = results.filter((r) => r.ok);
  const handshakeMs = median(ok.flatMap((r) => (r.handshakeMs === undefined ? [] : [r.handshakeMs])));
  const timeFromAcceptMs = median(ok.flatMap((r) => (r.timeFromAcceptMs === undefined ? [] : [r.timeFromAcceptMs])));
  const runs: SimRun[] = results.flatMap((r) => r.runs ?? []);
  return {
    ...base,
    wallMs: results.reduce((sum, r) => sum + r.wallMs, 0),
    ...(base.ok && handshakeMs !== undefined && timeFromAcceptMs !== undefined
      ? { handshakeMs, timeFromAcceptMs, goodputFromAcceptMBps: goodputMBps(base.sizeBytes, timeFromAcceptMs) }
      : {}),
    seeds: results.flatMap((r) => r.seeds ?? []),
    runs,
  };
}
