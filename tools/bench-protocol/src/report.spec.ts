import type { BenchResult } from './bench-result';
import { evaluateTargets, formatTable, formatTargets } from './report';

function row(over: Partial<BenchResult>): BenchResult {
  return {
    transport: 'udp',
    sizeBytes: 50e6,
    lossPct: 0,
    datagramSize: 1472,
    ok: true,
    dataMatches: true,
    timeMs: 400,
    wallMs: 400,
    goodputMBps: 125,
    details: {},
    ...over,
  };
}

describe('evaluateTargets', () => {
  it('judges each target on its best successful row', () => {
    const outcomes = evaluateTargets([
      row({ goodputMBps: 90 }),
      row({ goodputMBps: 110 }),
      row({ datagramSize: 65507, goodputMBps: 250 }),
      row({ datagramSize: 65507, goodputMBps: 900, ok: false }),
    ]);
    expect(outcomes.map((o) => [o.met, o.measuredMBps])).toEqual([
      [true, 110],
      [false, 250],
    ]);
  });

  it('says NOT RUN when no row matches', () => {
    const outcomes = evaluateTargets([row({ sizeBytes: 1e6 })]);
    expect(outcomes.every((o) => o.met === undefined)).toBe(true);
    expect(formatTargets(outcomes)).toMatch(/NOT RUN/);
  });
});

describe('formatTable', () => {
  it('prints one aligned line per row with the failure reason', () => {
    const text = formatTable([row({}), row({ transport: 'sim', rttMs: 20, lossPct: 5, retransmitRatio: 0.05 }), row({ ok: false, error: 'timeout' })]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^transport\s+size\s+loss\s+RTT ms\s+dgram\s+time ms\s+goodput MB\/s/);
    expect(lines[2]).toMatch(/^udp\s+50 MB\s+0%\s+lo\s+1472\s+400\s+125\.0/);
    expect(lines[3]).toMatch(/^sim .* 5% +20 .* 0\.050/);
    expect(lines[4]).toMatch(/FAIL timeout$/);
  });

  it('shows the handshake and the time from ACCEPT for sim rows, and notes the seeds and resent OFFERs', () => {
    const sim = row({
      transport: 'sim',
      rttMs: 2,
      timeMs: 900,
      goodputMBps: 11.1,
      handshakeMs: 202,
      timeFromAcceptMs: 698,
      goodputFromAcceptMBps: 14.3,
      seeds: [1, 2, 3],
      runs: [
        { seed: 1, ok: true, timeMs: 900, handshakeMs: 202, timeFromAcceptMs: 698, offersSent: 2 },
        { seed: 2, ok: true, timeMs: 700, handshakeMs: 2, timeFromAcceptMs: 698, offersSent: 1 },
        { seed: 3, ok: true, timeMs: 950, handshakeMs: 202, timeFromAcceptMs: 748, offersSent: 2 },
      ],
    });
    const lines = formatTable([sim, row({})]).split('\n');
    expect(lines[0]).toMatch(/goodput MB\/s\s+hs ms\s+data ms\s+data MB\/s\s+retx ratio/);
    expect(lines[2]).toMatch(/^sim .* 900 +11\.1 +202 +698 +14\.3 .*median of 3 seeds, OFFER resent in 2$/);
    // udp rows have no handshake split: dashes.
    expect(lines[3]).toMatch(/125\.0 +- +- +-/);
  });
});
