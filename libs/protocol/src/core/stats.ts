/** TransferStats helpers shared by both sessions. */
import { createHash } from 'crypto';
import type { RttEstimator } from './rtt-estimator';
import type { TransferStats } from './types';

export function newTransferStats(): TransferStats {
  return {
    datagramsSent: 0,
    bytesSent: 0,
    datagramsReceived: 0,
    bytesReceived: 0,
    chunksSent: 0,
    chunksRetransmitted: 0,
    bytesRetransmitted: 0,
    duplicates: 0,
    corrupt: 0,
    outOfOrder: 0,
    nacksSent: 0,
    nacksReceived: 0,
    acksSent: 0,
    acksReceived: 0,
    gapsDetected: 0,
    gapsRepaired: 0,
    repairRounds: 0,
    lossEstimate: 0,
    rttMs: 0,
    rttVarMs: 0,
    minRttMs: 0,
    durationMs: 0,
    goodputBytesPerSec: 0,
  };
}

/**
 * A copy of `stats` with the derived fields filled in at `now`: events carry
 * snapshots, so a listener that keeps one does not see it change later.
 */
export function snapshotStats(stats: TransferStats, rtt: RttEstimator, startedAt: number, now: number, bytesDone: number): TransferStats {
  const durationMs = Math.max(0, now - startedAt);
  return {
    ...stats,
    rttMs: rtt.hasSample ? rtt.smoothed : 0,
    rttVarMs: rtt.hasSample ? rtt.variation : 0,
    minRttMs: rtt.minRtt,
    durationMs,
    goodputBytesPerSec: durationMs > 0 ? (bytesDone * 1000) / durationMs : 0,
  };
}

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
