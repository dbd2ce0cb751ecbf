import type { BenchResult, SimRun } from './bench-result';
import { settingsFor } from './endpoint-settings';
import { parseCli } from './cli-options';
import { PayloadSet } from './payload';
import { combineSimRuns, runSimCase, runSimCaseSeeds } from './sim-bench';

function simRow(seed: number, timeMs: number, handshakeMs: number, over: Partial<BenchResult> = {}): BenchResult {
  const run: SimRun = { seed, ok: true, timeMs, handshakeMs, timeFromAcceptMs: timeMs - handshakeMs, offersSent: handshakeMs > 100 ? 2 : 1 };
  return {
    transport: 'sim',
    sizeBytes: 1e6,
    lossPct: 5,
    rttMs: 2,
    datagramSize: 1472,
    ok: true,
    dataMatches: true,
    timeMs,
    wallMs: 10,
    goodputMBps: 1e6 / 1e6 / (timeMs / 1000),
    handshakeMs,
    timeFromAcceptMs: timeMs - handshakeMs,
    goodputFromAcceptMBps: 1 / ((timeMs - handshakeMs) / 1000),
    seeds: [seed],
    runs: [run],
    details: { seed },
    ...over,
  };
}

describe('combineSimRuns', () => {
  it('takes the median time, and the medians of the handshake and the data phase independently', () => {
    // Seed 1 lost its OFFER (200 ms retry), seed 3 had a slow tail.
    const row = combineSimRuns([simRow(1, 300, 202), simRow(2, 110, 2), simRow(3, 160, 2)]);
    expect(row.timeMs).toBe(160);
    expect(row.details).toEqual({ seed: 3 });
    expect(row.handshakeMs).toBe(2);
    expect(row.timeFromAcceptMs).toBe(108);
    expect(row.goodputFromAcceptMBps).toBeCloseTo(1 / 0.108, 6);
    expect(row.seeds).toEqual([1, 2, 3]);
    expect(row.runs?.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(row.wallMs).toBe(30);
  });

  it('never hides a failed seed behind good ones', () => {
    const row = combineSimRuns([simRow(1, 100, 2), simRow(2, 100, 2, { ok: false, error: 'failed: TIMEOUT' }), simRow(3, 100, 2)]);
    expect(row.ok).toBe(false);
    expect(row.error).toBe('failed: TIMEOUT');
  });
});

describe('runSimCase', () => {
  const payload = new PayloadSet(200_000).get(200_000);
  const settings = settingsFor(1472, parseCli([]));

  it('times from send() and from the sender’s accepted event; the difference is the handshake', () => {
    const r = runSimCase(payload, settings, { lossPct: 0, rttMs: 20, seed: 1 });
    expect(r.ok).toBe(true);
    expect(r.handshakeMs).toBeCloseTo(20, 6); // OFFER out, ACCEPT back: one RTT
    expect((r.handshakeMs ?? 0) + (r.timeFromAcceptMs ?? 0)).toBeCloseTo(r.timeMs, 6);
    expect(r.runs).toEqual([{ seed: 1, ok: true, timeMs: r.timeMs, handshakeMs: r.handshakeMs, timeFromAcceptMs: r.timeFromAcceptMs, offersSent: 1 }]);
  });

  it('runs a case once per seed and keeps the old row fields (backward-compatible JSON)', () => {
    const r = runSimCaseSeeds(payload, settings, { lossPct: 5, rttMs: 2 }, [1, 2, 3]);
    expect(r.seeds).toEqual([1, 2, 3]);
    expect(r.runs).toHaveLength(3);
    for (const key of ['transport', 'sizeBytes', 'lossPct', 'rttMs', 'datagramSize', 'ok', 'dataMatches', 'timeMs', 'wallMs', 'goodputMBps', 'retransmitRatio', 'datagramsPerSec', 'measuredRttMs', 'details']) {
      expect(r).toHaveProperty(key);
    }
    expect(r.ok).toBe(true);
  });
});
