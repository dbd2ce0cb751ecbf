/**
 * In-process runs over the SimNetwork: the real core on both ends, a virtual
 * clock, seeded Bernoulli loss on both directions and a fixed RTT. Time is
 * virtual, so these rows show what loss and RTT cost the protocol itself
 * (repair rounds, window stalls, timeouts), independent of CPU; the wall
 * time column shows what simulating it cost.
 */
import { Pair, type EndpointEvent, type TransferStats } from '@udpix/protocol';
import { goodputMBps, type BenchResult } from './bench-result';
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
    onEvent: (address, event) => {
      if (address === Pair.A && event.role === 'sender' && (event.type === 'completed' || event.type === 'failed')) outcome = event;
      if (address === Pair.B && event.type === 'verified') receivedSha256 = Buffer.from(event.data).equals(payload.data) ? payload.sha256Hex : 'mismatch';
    },
  });
  const start = pair.now;
  const sent = pair.a.send(Pair.B, { data: payload.data, sha256: payload.sha256, name: 'bench.bin' }, start);
  const run = sent.ok ? pair.network.runUntil(() => outcome !== undefined, { maxTimeMs: 600_000 }) : undefined;
  const timeMs = pair.now - start;
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
