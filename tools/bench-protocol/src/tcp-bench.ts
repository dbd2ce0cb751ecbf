/** Parent side of the TCP baseline: connect, send length + bytes, wait for the receiver's hash. */
import { connect } from 'node:net';
import { goodputMBps, type BenchResult } from './bench-result';
import { cpuReport, cpuSnapshot } from './cpu-sample';
import type { Payload } from './payload';
import type { WorkerHandle } from './worker-handle';

export async function runTcpCase(worker: WorkerHandle, payload: Payload, timeoutMs: number): Promise<BenchResult> {
  const ready = await worker.request({ cmd: 'tcp-listen' }, 'tcp-ready');
  const sizeBytes = payload.data.length;
  const cpuBefore = cpuSnapshot();
  const wallStart = performance.now();
  let digest: Buffer;
  try {
    digest = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ port: ready.port, host: '127.0.0.1', noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`TCP transfer timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const parts: Buffer[] = [];
      socket.on('connect', () => {
        const header = Buffer.alloc(8);
        header.writeBigUInt64BE(BigInt(sizeBytes));
        socket.write(header);
        socket.write(payload.data);
      });
      socket.on('data', (chunk: Buffer) => parts.push(chunk));
      socket.on('end', () => {
        clearTimeout(timer);
        socket.end();
        resolve(Buffer.concat(parts));
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } catch (err) {
    return failed(sizeBytes, performance.now() - wallStart, String(err));
  }
  const timeMs = performance.now() - wallStart;
  // The TCP receiver does not report its CPU time: count it as "other", so
  // otherCores is an upper bound here (about 1 when the receiver is busy).
  const cpu = cpuReport(cpuBefore, cpuSnapshot(), 0, timeMs);
  const dataMatches = digest.toString('hex') === payload.sha256Hex;
  return {
    transport: 'tcp',
    sizeBytes,
    lossPct: 0,
    ok: dataMatches,
    ...(dataMatches ? {} : { error: 'receiver hash differs' }),
    dataMatches,
    timeMs,
    wallMs: timeMs,
    goodputMBps: goodputMBps(sizeBytes, timeMs),
    details: { cpu },
  };
}

function failed(sizeBytes: number, wallMs: number, error: string): BenchResult {
  return {
    transport: 'tcp',
    sizeBytes,
    lossPct: 0,
    ok: false,
    error,
    // A crash or timeout is not a mismatch: nothing arrived to compare.
    dataMatches: true,
    timeMs: wallMs,
    wallMs,
    goodputMBps: 0,
    details: {},
  };
}
