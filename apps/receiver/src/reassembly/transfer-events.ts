/**
 * The receiver's application events (@nestjs/event-emitter), one payload type
 * per name. They are what GET /v1/events streams (the SSE event name is the
 * event name, the data is the payload as JSON) and what metrics and other
 * providers subscribe to with @OnEvent(TransferEventName.COMPLETED).
 */
import type { TransferStats } from '../transport/udp-transport';

export const TransferEventName = {
  STARTED: 'transfer.started',
  PROGRESS: 'transfer.progress',
  GAP: 'transfer.gap',
  GAP_REPAIRED: 'transfer.gap-repaired',
  COMPLETED: 'transfer.completed',
  FAILED: 'transfer.failed',
} as const;
export type TransferEventName = (typeof TransferEventName)[keyof typeof TransferEventName];

export const TRANSFER_EVENT_NAMES: readonly TransferEventName[] = Object.values(TransferEventName);

/** A run of missing (or repaired) chunks: chunk indexes [start, start + length). */
export interface ChunkSpan {
  start: number;
  length: number;
}

interface TransferEventBase {
  transferId: string;
  /** The sender's address, host:port. */
  peer: string;
  /** When the receiver saw it, ISO 8601. */
  at: string;
}

export interface TransferStartedEvent extends TransferEventBase {
  name: string;
  contentType: string;
  totalBytes: number;
  chunkCount: number;
  sha256: string;
}

export interface TransferProgressEvent extends TransferEventBase {
  bytes: number;
  totalBytes: number;
  /** 0..100, one decimal. */
  percent: number;
  stats: TransferStats;
}

export interface TransferGapEvent extends TransferEventBase {
  ranges: ChunkSpan[];
  /** Chunks in `ranges`. */
  chunks: number;
}

export type TransferGapRepairedEvent = TransferGapEvent;

export interface TransferCompletedEvent extends TransferEventBase {
  bytes: number;
  sha256: string;
  stats: TransferStats;
  /** The stored image's id (GET /v1/images/:id), when the transfer carried an image. */
  imageId?: string;
}

export interface TransferFailedEvent extends TransferEventBase {
  /** Error name (TIMEOUT, STORE_FAILED, HASH_MISMATCH, ...). */
  code: string;
  message: string;
  stats: TransferStats;
}

/** Payload type of each event name. */
export interface TransferEventMap {
  'transfer.started': TransferStartedEvent;
  'transfer.progress': TransferProgressEvent;
  'transfer.gap': TransferGapEvent;
  'transfer.gap-repaired': TransferGapRepairedEvent;
  'transfer.completed': TransferCompletedEvent;
  'transfer.failed': TransferFailedEvent;
}

/** One event with its name, as the SSE stream and tests see it. */
export type NamedTransferEvent = { [K in TransferEventName]: { name: K; payload: TransferEventMap[K] } }[TransferEventName];
