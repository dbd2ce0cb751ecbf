/**
 * How busy the machine was during a run, and how much of that was us. On a
 * 2-core box a loopback run uses both cores, so any other busy process (a
 * build, a test run) shows up directly in the numbers; a row whose "other"
 * CPU is high was measured under contention and says so.
 */
import { readFileSync } from 'node:fs';

export interface CpuSnapshot {
  /** Busy CPU time of the whole machine, ms (all cores), from /proc/stat; undefined off Linux. */
  machineBusyMs: number | undefined;
  /** This process's user + system time, ms. */
  selfMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux we run on.
const MIN_WALL_MS = 100;

function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
    return busy * TICK_MS;
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const u = process.cpuUsage();
  return { machineBusyMs: machineBusyMs(), selfMs: (u.user + u.system) / 1000 };
}

export interface CpuReport {
  /** CPU time (ms) this process used during the run. */
  senderMs: number;
  /** CPU time (ms) the peer process reported for the run. */
  receiverMs: number;
  /** Machine busy time not accounted to the two processes, ms (kernel softirq work counts here too). */
  otherMs: number | undefined;
  /** otherMs as a share of the run's wall time: 1.0 = one whole core busy elsewhere. */
  otherCores: number | undefined;
}

export function cpuReport(before: CpuSnapshot, after: CpuSnapshot, receiverMs: number, wallMs: number): CpuReport {
  const senderMs = after.selfMs - before.selfMs;
  const busy = before.machineBusyMs !== undefined && after.machineBusyMs !== undefined ? after.machineBusyMs - before.machineBusyMs : undefined;
  const otherMs = busy === undefined ? undefined : Math.max(0, busy - senderMs - receiverMs);
  // /proc/stat counts in 10 ms ticks: over a shorter run the share is noise.
  const meaningful = otherMs !== undefined && wallMs >= MIN_WALL_MS;
  return { senderMs, receiverMs, otherMs, otherCores: meaningful ? otherMs / wallMs : undefined };
}
