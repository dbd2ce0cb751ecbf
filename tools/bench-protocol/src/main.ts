/**
 * The protocol benchmark: SimNetwork runs in-process, UDP runs between this
 * process and a forked receiver on loopback, and plain TCP between the same
 * two processes as the baseline. Prints a table and the targets, writes
 * bench-results/protocol-<timestamp>.json and protocol-latest.json.
 *
 * Exit code: 0 whatever the numbers (the benchmark does not gate the build),
 * 1 when a receiver got different bytes or something crashed.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { medianRun, type BenchResult } from './bench-result';
import { parseCli, USAGE } from './cli-options';
import { settingsFor } from './endpoint-settings';
import { PayloadSet } from './payload';
import { makePlan } from './plan';
import { evaluateTargets, formatTable, formatTargets, writeJson } from './report';
import { runSimCaseSeeds } from './sim-bench';
import { runTcpCase } from './tcp-bench';
import { runUdpCase } from './udp-bench';
import { WorkerHandle } from './worker-handle';

function progress(r: BenchResult): void {
  const what = `${r.transport} ${(r.sizeBytes / 1e6).toFixed(0)}MB loss=${r.lossPct}%${r.rttMs !== undefined ? ` rtt=${r.rttMs}` : ''}${r.datagramSize ? ` dgram=${r.datagramSize}` : ''}`;
  process.stderr.write(`  ${what.padEnd(48)} ${r.ok ? `${r.goodputMBps.toFixed(1)} MB/s` : `FAIL ${r.error}`}\n`);
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const plan = makePlan(cli);
  const maxSize = Math.max(1, ...plan.sim.map((e) => e.sizeBytes), ...plan.udp.map((e) => e.sizeBytes), ...plan.tcp);
  const payloads = new PayloadSet(maxSize);
  const results: BenchResult[] = [];
  const startedAt = new Date().toISOString();
  const wallStart = performance.now();

  // Recorded, not judged: the per-row otherCores (see cpu-sample.ts) says whether a run was contended.
  const loadBefore = loadavg()[0];
  process.stderr.write(`sim: ${plan.sim.length} x ${cli.simSeeds} seeds, udp: ${plan.udp.length} x ${cli.repeat}, tcp: ${plan.tcp.length} x ${cli.repeat}\n`);
  let seed = cli.seed;
  for (const e of plan.sim) {
    // Consecutive seeds per case, as before (the first case still runs with --seed): one lucky or
    // unlucky draw (a lost OFFER, a lost tail) no longer decides a row.
    const seeds = Array.from({ length: cli.simSeeds }, () => seed++);
    const r = runSimCaseSeeds(payloads.get(e.sizeBytes), settingsFor(e.datagramSize, cli), { lossPct: e.lossPct, rttMs: e.rttMs }, seeds);
    progress(r);
    results.push(r);
  }

  if (plan.udp.length > 0 || plan.tcp.length > 0) {
    const worker = await WorkerHandle.start();
    try {
      // Both processes are fresh: without a warm-up the first runs measure the
      // JIT compiling the codec and sessions (a quarter second at half speed),
      // not the steady state that long-running services see.
      if (plan.udp.length > 0) {
        process.stderr.write('  warm-up (untimed): udp 10 MB per datagram size\n');
        for (const size of new Set(plan.udp.map((e) => e.datagramSize))) {
          await runUdpCase(worker, payloads.get(Math.min(10e6, maxSize)), settingsFor(size, cli), { lossPct: 1, seed: 999, timeoutMs: 20_000 });
        }
      }
      for (const sizeBytes of plan.tcp) {
        const runs: BenchResult[] = [];
        for (let i = 0; i < cli.repeat; i++) runs.push(await runTcpCase(worker, payloads.get(sizeBytes), 60_000));
        const r = medianRun(runs);
        progress(r);
        results.push(r);
      }
      for (const e of plan.udp) {
        const runs: BenchResult[] = [];
        for (let i = 0; i < cli.repeat; i++) {
          // Generous: 5 s plus 1 s per 10 MB at 20% of the target rate.
          const timeoutMs = 5000 + e.sizeBytes / 1e4;
          runs.push(await runUdpCase(worker, payloads.get(e.sizeBytes), settingsFor(e.datagramSize, cli), { lossPct: e.lossPct, seed: seed++, timeoutMs }));
        }
        const r = medianRun(runs);
        progress(r);
        results.push(r);
      }
    } finally {
      await worker.stop();
    }
  }

  const targets = evaluateTargets(results);
  process.stdout.write(`\n${formatTable(results)}\n\n${formatTargets(targets)}\n`);
  const file = writeJson(join(process.cwd(), cli.outDir), {
    startedAt,
    durationMs: performance.now() - wallStart,
    argv: process.argv.slice(2),
    machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, loadBefore, loadAfter: loadavg()[0] },
    units: { size: 'bytes', goodput: 'MB/s (10^6 bytes/s)', time: 'ms (sim: virtual)' },
    targets,
    results,
  });
  process.stdout.write(`\nJSON: ${file} (and protocol-latest.json)\n`);
  const mismatches = results.filter((r) => !r.dataMatches);
  if (mismatches.length > 0) {
    process.stderr.write(`DATA MISMATCH in ${mismatches.length} run(s)\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:protocol crashed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
