import type { TransferStats } from '../transport/udp-transport';

/** A transfer being received, as GET /v1/transfers lists it. */
export interface InFlightTransfer {
  transferId: string;
  peer: string;
  name: string;
  contentType: string;
  totalBytes: number;
  /** Bytes received so far. */
  bytes: number;
  /** 0..100, one decimal. */
  percent: number;
  /** Gap ranges reported and not repaired yet. */
  openGaps: number;
  startedAt: string;
  updatedAt: string;
  /** As of the last progress event (undefined before the first). */
  stats?: TransferStats;
}

export function percentOf(bytes: number, total: number): number {
  return total <= 0 ? 100 : Math.round((bytes / total) * 1000) / 10;
}
