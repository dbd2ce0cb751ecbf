/** Formats the demo's results as a fixed-width table. */

export interface DemoRow {
  file: string;
  bytes: number;
  timeMs: number;
  datagrams: number;
  retransmitted: number;
  lossSeen: number;
  rttMs: number;
  goodputMBps: number;
  verified: boolean;
}

const COLUMNS: ReadonlyArray<[header: string, cell: (r: DemoRow) => string]> = [
  ['file', (r) => r.file],
  ['bytes', (r) => String(r.bytes)],
  ['time ms', (r) => r.timeMs.toFixed(0)],
  ['datagrams', (r) => String(r.datagrams)],
  ['retransmitted', (r) => String(r.retransmitted)],
  ['loss seen', (r) => `${(r.lossSeen * 100).toFixed(1)}%`],
  ['rtt ms', (r) => r.rttMs.toFixed(1)],
  ['goodput MB/s', (r) => r.goodputMBps.toFixed(2)],
  ['verified', (r) => (r.verified ? 'sha256 ok' : 'NO')],
];

export function formatDemoTable(rows: readonly DemoRow[]): string {
  const cells = rows.map((r) => COLUMNS.map(([, cell]) => cell(r)));
  const widths = COLUMNS.map(([header], i) => Math.max(header.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (values: string[]): string => values.map((v, i) => (i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join('  ');
  return [line(COLUMNS.map(([h]) => h)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
