import { formatDemoTable } from './demo-table';

describe('formatDemoTable', () => {
  it('aligns a header, a rule and one line per row', () => {
    const table = formatDemoTable([
      { file: 'a.jpg', bytes: 1200, timeMs: 35.2, datagrams: 3, retransmitted: 1, lossSeen: 0.05, rttMs: 40.04, goodputMBps: 0.034, verified: true },
      { file: 'long-name.png', bytes: 7, timeMs: 1, datagrams: 1, retransmitted: 0, lossSeen: 0, rttMs: 0, goodputMBps: 0, verified: false },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[2]).toMatch(/^a\.jpg\s+1200\s+35\s+3\s+1\s+5\.0%\s+40\.0\s+0\.03\s+sha256 ok$/);
    expect(lines[3]).toMatch(/NO$/);
  });
});
