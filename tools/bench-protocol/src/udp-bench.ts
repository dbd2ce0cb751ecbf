/**
 * Parent side of a UDP run: this process sends, the forked worker receives,
 * both through UdpEndpointDriver on loopback. Time runs from send() to the
 * sender's `completed` event, i.e. until the receiver's COMPLETE (sent only
 * after it verified the SHA-256) is back: the same "delivered and confirmed"
 * the TCP baseline measures.
 */
import { UdpEndpointDriver, type EndpointEvent, type TransferStats } from '@udpix/protocol';
import { goodputMBps, type BenchResult } from './bench-result';
import { createBenchEndpoint, driverOptionsFor, type BenchEndpointSettings } from './endpoint-settings';
import { cpuReport, cpuSnapshot } from './cpu-sample';
import type { Payload } from './payload';
import type { WorkerHandle } from './worker-handle';

export interface UdpCase {
  lossPct: number;
  seed: number;
  timeoutMs: number;
}

type SenderOutcome = Extract<EndpointEvent, { type: 'completed' | 'failed' }> | 'timeout';

export async function runUdpCase(worker: WorkerHandle, payload: Payload, settings: BenchEndpointSettings, c: UdpCase): Promise<BenchResult> {
  const sizeBytes = payload.data.length;
  const base = { transport: 'udp' as const, sizeBytes, lossPct: c.lossPct, datagramSize: settings.maxDatagram };
  const { port } = await worker.request({ cmd: 'udp-listen', settings, dropRate: c.lossPct / 100, seed: c.seed }, 'udp-ready');

  const driver = new UdpEndpointDriver(createBenchEndpoint(settings, c.seed + 1), { ...driverOptionsFor(settings), host: '127.0.0.1' });
  await driver.bind();
  let timer: NodeJS.Timeout | undefined;
  const outcome = new Promise<SenderOutcome>((resolve) => {
    driver.on('event', (event) => {
      if (event.role === 'sender' && (event.type === 'completed' || event.type === 'failed')) resolve(event);
    });
    timer = setTimeout(() => resolve('timeout'), c.timeoutMs);
  });

  const cpuBefore = cpuSnapshot();
  const start = performance.now();
  const startClock = driver.now();
  const sent = driver.send(`127.0.0.1:${port}`, { data: payload.data, sha256: payload.sha256, name: 'bench.bin', contentType: 'application/octet-stream' });
  const result = sent.ok ? await outcome : undefined;
  const timeMs = performance.now() - start;
  const endClock = driver.now();
  const cpuAfter = cpuSnapshot();
  clearTimeout(timer);
  const senderDriver = driver.stats();
  const senderBuffers = driver.bufferSizes();
  await driver.close();
  const { report } = await worker.request({ cmd: 'udp-report' }, 'udp-report');

  const dataMatches = report.bytes === 0 || report.sha256Hex === payload.sha256Hex;
  const stats: TransferStats | undefined = result !== undefined && result !== 'timeout' ? result.stats : undefined;
  const cpu = cpuReport(cpuBefore, cpuAfter, report.cpuMs, timeMs);
  const error = !sent.ok
    ? `send refused: ${sent.code} ${sent.message}`
    : result === 'timeout'
      ? `timeout after ${c.timeoutMs} ms (receiver: ${report.outcome})`
      : result?.type === 'failed'
        ? `failed: ${result.code} ${result.message}`
        : !dataMatches
          ? 'receiver hash differs'
          : report.bytes !== sizeBytes
            ? `receiver got ${report.bytes} bytes`
            : undefined;
  return {
    ...base,
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    dataMatches,
    timeMs,
    wallMs: timeMs,
    goodputMBps: error === undefined ? goodputMBps(sizeBytes, timeMs) : 0,
    ...(cpu.otherCores !== undefined ? { otherCores: cpu.otherCores } : {}),
    ...(stats
      ? {
          retransmitRatio: stats.chunksSent > 0 ? stats.chunksRetransmitted / stats.chunksSent : 0,
          datagramsPerSec: stats.datagramsSent / (timeMs / 1000),
          measuredRttMs: stats.rttMs,
        }
      : {}),
    details: {
      // Where the time went: OFFER -> receiver started, started -> verified
      // (all data in and the SHA-256 checked), verified -> sender completed.
      phasesMs: phases(startClock, report.eventTimes, endClock),
      cpu,
      settings,
      senderStats: stats,
      senderDriver,
      senderBuffers,
      receiver: report,
    },
  };
}

function phases(start: number, receiver: Record<string, number>, end: number): Record<string, number> | undefined {
  const started = receiver['started'];
  const verified = receiver['verified'];
  if (started === undefined || verified === undefined) return undefined;
  return { handshake: started - start, data: verified - started, confirm: end - verified };
}
