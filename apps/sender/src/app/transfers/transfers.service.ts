/**
 * Bookkeeping of transfers: at most UDPIX_MAX_TRANSFERS in flight (the next
 * one is refused, not queued: a queue would only hide the overload from the
 * caller), the last UDPIX_KEEP_FINISHED finished ones kept for
 * GET /v1/transfers/:id, and the drain on shutdown.
 */
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { TransferStats } from '@udpix/protocol';
import { formatReceiverAddress, type ReceiverAddress } from '../config/receiver-address';
import { SenderConfig } from '../config/sender-config';
import { SenderMetrics } from '../metrics/sender-metrics';
import { IMAGE_CLIENT, type ImageClient, type ImageMeta } from '../udp/image-client';
import { toImageSendError } from '../udp/send-failure';
import type { TransferRecord } from './transfer-record';
import { TransferRefusedError } from './transfer-refused.error';

export interface TransferInput {
  to: ReceiverAddress;
  bytes: Buffer;
  meta: ImageMeta;
  format: string;
  sha256: string;
}

export interface StartedTransfer {
  record: TransferRecord;
  /** Settles when the transfer ends; never rejects (the record says how it ended). */
  done: Promise<TransferRecord>;
}

/** How long aborted transfers get to report their failure after the client closed, ms. */
const CLOSE_GRACE_MS = 1000;

@Injectable()
export class TransfersService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TransfersService.name);
  private readonly running = new Map<string, TransferRecord>();
  /** The `done` promise of each running transfer, for whenFinished. */
  private readonly settling = new Map<string, Promise<TransferRecord>>();
  /** In the order they finished: the first key is the oldest. */
  private readonly finished = new Map<string, TransferRecord>();
  private draining = false;
  /** Woken when the last running transfer ends (for drain). */
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly config: SenderConfig,
    @Inject(IMAGE_CLIENT) private readonly client: ImageClient,
    private readonly metrics: SenderMetrics,
  ) {}

  /** Throws TransferRefusedError when a new transfer could not start now; call before reading a large body. */
  assertAccepting(): void {
    if (this.draining) throw new TransferRefusedError('DRAINING', 'the sender is shutting down and takes no new transfers');
    if (this.running.size >= this.config.UDPIX_MAX_TRANSFERS) {
      throw new TransferRefusedError('TOO_MANY_TRANSFERS', `${this.running.size} transfers are in flight (UDPIX_MAX_TRANSFERS=${this.config.UDPIX_MAX_TRANSFERS})`);
    }
  }

  isAccepting(): boolean {
    return !this.draining;
  }

  start(input: TransferInput): StartedTransfer {
    this.assertAccepting();
    const record: TransferRecord = {
      id: randomUUID(),
      transferId: undefined,
      state: 'sending',
      receiver: formatReceiverAddress(input.to),
      name: input.meta.name,
      contentType: input.meta.contentType,
      format: input.format,
      width: input.meta.width,
      height: input.meta.height,
      bytes: input.bytes.length,
      sha256: input.sha256,
      bytesConfirmed: 0,
      stats: undefined,
      createdAt: new Date(),
      finishedAt: undefined,
      receipt: undefined,
      error: undefined,
    };
    this.running.set(record.id, record);
    this.metrics.inFlight.set(this.running.size);
    const done = this.run(record, input);
    this.settling.set(record.id, done);
    return { record, done };
  }

  get(id: string): TransferRecord | undefined {
    return this.running.get(id) ?? this.finished.get(id);
  }

  /** The record once the transfer ended; undefined for an unknown (or forgotten) id. */
  whenFinished(id: string): Promise<TransferRecord | undefined> {
    return this.settling.get(id) ?? Promise.resolve(this.finished.get(id));
  }

  inFlight(): number {
    return this.running.size;
  }

  /**
   * SIGTERM: refuse new transfers, let those in flight finish for up to
   * UDPIX_DRAIN_TIMEOUT_MS, then abort the rest (closing the client fails
   * them, so every waiting HTTP request still gets an answer).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain(this.config.UDPIX_DRAIN_TIMEOUT_MS);
  }

  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.running.size > 0) this.logger.log(`draining: ${this.running.size} transfers in flight, waiting up to ${timeoutMs} ms`);
    if (!(await this.whenIdle(timeoutMs))) this.logger.warn(`drain timeout: aborting ${this.running.size} transfers`);
    await this.client.close();
    // Closing the client rejects every send still running: give their records a moment to become final.
    await this.whenIdle(CLOSE_GRACE_MS);
  }

  /** True once no transfer runs, false if `timeoutMs` passed first. */
  private whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  private async run(record: TransferRecord, input: TransferInput): Promise<TransferRecord> {
    try {
      const result = await this.client.send(input.to, input.bytes, input.meta, {
        transferStarted: (transferId) => (record.transferId = transferId),
        progress: (bytes, _total, stats) => {
          record.bytesConfirmed = bytes;
          record.stats = stats;
        },
      });
      if (result.receipt.sha256.toLowerCase() !== record.sha256) {
        this.fail(record, { kind: 'rejected', code: 'HASH_MISMATCH', message: `the receiver stored sha256 ${result.receipt.sha256}, expected ${record.sha256}` });
      } else {
        record.receipt = result.receipt;
        record.stats = result.stats ?? record.stats;
        record.bytesConfirmed = record.bytes;
        this.finish(record, 'completed');
      }
    } catch (err) {
      const error = toImageSendError(err);
      this.fail(record, { kind: error.kind, code: error.code, message: error.message });
    }
    return record;
  }

  private fail(record: TransferRecord, error: NonNullable<TransferRecord['error']>): void {
    record.error = error;
    this.logger.warn(`transfer ${record.id} to ${record.receiver} failed: ${error.code}: ${error.message}`);
    this.finish(record, 'failed');
  }

  private finish(record: TransferRecord, state: 'completed' | 'failed'): void {
    record.state = state;
    record.finishedAt = new Date();
    this.running.delete(record.id);
    this.settling.delete(record.id);
    this.finished.set(record.id, record);
    while (this.finished.size > this.config.UDPIX_KEEP_FINISHED) {
      const oldest = this.finished.keys().next();
      if (oldest.done) break;
      this.finished.delete(oldest.value);
    }
    this.record(record);
    if (this.running.size === 0) {
      const waiters = [...this.idleWaiters];
      this.idleWaiters.clear();
      for (const wake of waiters) wake();
    }
  }

  private record(record: TransferRecord): void {
    const outcome = record.state === 'completed' ? 'completed' : (record.error?.kind ?? 'rejected');
    const stats: TransferStats | undefined = record.stats;
    this.metrics.transfers.inc({ outcome });
    this.metrics.inFlight.set(this.running.size);
    this.metrics.duration.observe({ outcome }, ((record.finishedAt?.getTime() ?? Date.now()) - record.createdAt.getTime()) / 1000);
    if (stats !== undefined) {
      this.metrics.bytesSent.inc(stats.bytesSent);
      this.metrics.retransmissions.inc(stats.chunksRetransmitted);
    }
  }
}
