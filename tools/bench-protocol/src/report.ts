/** The printed table, the targets from the issue, and the JSON files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-result';

export interface Target {
  description: string;
  minGoodputMBps: number;
  matches: (r: BenchResult) => boolean;
}

export interface TargetOutcome {
  description: string;
  minGoodputMBps: number;
  measuredMBps: number | undefined;
  met: boolean | undefined;
}

/** Sizes and rates are decimal: 1 MB = 10^6 bytes. */
const MB50 = 50_000_000;

/** From the issue: loopback, 50 MB, 0% loss. */
export const TARGETS: Target[] = [
  {
    description: 'udp loopback 50 MB, 0% loss, 1472-byte datagrams',
    minGoodputMBps: 100,
    matches: (r) => r.transport === 'udp' && r.sizeBytes === MB50 && r.lossPct === 0 && r.datagramSize === 1472,
  },
  {
    description: 'udp loopback 50 MB, 0% loss, large datagrams',
    minGoodputMBps: 300,
    matches: (r) => r.transport === 'udp' && r.sizeBytes === MB50 && r.lossPct === 0 && (r.datagramSize ?? 0) > 8192,
  },
];

export function evaluateTargets(results: BenchResult[]): TargetOutcome[] {
  return TARGETS.map((t) => {
    const rows = results.filter((r) => t.matches(r) && r.ok);
    const measured = rows.length ? Math.max(...rows.map((r) => r.goodputMBps)) : undefined;
    return {
      description: t.description,
      minGoodputMBps: t.minGoodputMBps,
      measuredMBps: measured,
      met: measured === undefined ? undefined : measured >= t.minGoodputMBps,
    };
  });
}

function size(bytes: number): string {
  return bytes >= 1e6 ? `${+(bytes / 1e6).toFixed(1)} MB` : `${+(bytes / 1e3).toFixed(1)} kB`;
}

function num(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** Above this much CPU busy elsewhere (in cores) a real-socket row is flagged as contended. */
const CONTENDED_CORES = 0.5;

function note(r: BenchResult): string {
  if (!r.ok) return `FAIL ${r.error ?? ''}`;
  if (r.transport === 'sim') {
    const seeds = r.seeds !== undefined && r.seeds.length > 1 ? `, median of ${r.seeds.length} seeds` : '';
    // Say when the handshake had to be repeated in some seed: that is why time ms and data ms differ so much.
    const retried = (r.runs ?? []).filter((run) => (run.offersSent ?? 0) > 1).length;
    return `wall ${num(r.wallMs, 0)} ms${seeds}${retried > 0 ? `, OFFER resent in ${retried}` : ''}`;
  }
  if (r.transport === 'udp' && r.otherCores !== undefined && r.otherCores > CONTENDED_CORES) return `contended (${r.otherCores.toFixed(1)} cores busy elsewhere)`;
  return '';
}

/**
 * `time ms` / `goodput MB/s` run from send(); `hs ms` is send() -> accepted
 * and `data ms` / `data MB/s` run from accepted (sim rows only): a lost
 * OFFER's 200 ms retry lands in the handshake, not in the data phase.
 */
const COLUMNS = ['transport', 'size', 'loss', 'RTT ms', 'dgram', 'time ms', 'goodput MB/s', 'hs ms', 'data ms', 'data MB/s', 'retx ratio', 'dgrams/s', 'note'];

export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.transport,
    size(r.sizeBytes),
    `${r.lossPct}%`,
    r.rttMs !== undefined ? num(r.rttMs, 0) : r.measuredRttMs !== undefined ? `lo ${num(r.measuredRttMs, 2)}` : 'lo',
    r.datagramSize === undefined ? '-' : String(r.datagramSize),
    num(r.timeMs, 0),
    num(r.goodputMBps, 1),
    num(r.handshakeMs, 0),
    num(r.timeFromAcceptMs, 0),
    num(r.goodputFromAcceptMBps, 1),
    num(r.retransmitRatio, 3),
    r.datagramsPerSec === undefined ? '-' : Math.round(r.datagramsPerSec).toString(),
    note(r),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatTargets(outcomes: TargetOutcome[]): string {
  return outcomes
    .map((o) => {
      const verdict = o.met === undefined ? 'NOT RUN' : o.met ? 'MET' : 'NOT MET';
      return `target ${verdict.padEnd(7)} ${o.description}: >= ${o.minGoodputMBps} MB/s, measured ${o.measuredMBps === undefined ? '-' : o.measuredMBps.toFixed(1)} MB/s`;
    })
    .join('\n');
}

/** Writes protocol-<timestamp>.json and protocol-latest.json; returns the timestamped path. */
export function writeJson(dir: string, document: object): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const file = join(dir, `protocol-${stamp}.json`);
  writeFileSync(file, text);
  writeFileSync(join(dir, 'protocol-latest.json'), text);
  return file;
}
