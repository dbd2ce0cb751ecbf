import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ReceiverConfig } from '../config/receiver-config';
import { RECEIVER_TRANSPORT, type ReceiverTransport, type UdpTransferEvent } from '../transport/udp-transport';
import { percentOf, type InFlightTransfer } from './in-flight-transfer';
import { TransferEventName, type ChunkSpan, type TransferEventMap } from './transfer-events';

/**
 * Owns the transfers being received: turns the transport's transfer events
 * into the application events of transfer-events.ts and keeps a bounded list
 * of transfers in flight with their progress.
 *
 * Only receiver-role events count: the same socket also sends replies (sender
 * role) for large @MessagePattern results, which are not transfers in.
 */
@Injectable()
export class ReassemblyService implements OnModuleInit {
  private readonly logger = new Logger(ReassemblyService.name);
  /** Insertion order = start order, so the first key is the oldest (evicted first). */
  private readonly inFlight = new Map<string, InFlightTransfer>();
  /** Image ids recorded by the handler, reported with `transfer.completed`. */
  private readonly stored = new Map<string, string>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    @Inject(RECEIVER_TRANSPORT) private readonly transport: ReceiverTransport,
    private readonly events: EventEmitter2,
    private readonly config: ReceiverConfig,
  ) {}

  onModuleInit(): void {
    this.transport.onTransferEvent((event) => this.handle(event));
  }

  /** Transfers in flight, oldest first. */
  list(): InFlightTransfer[] {
    return [...this.inFlight.values()].map((t) => ({ ...t }));
  }

  /** Called by the image handler once the image is stored, before it resolves. */
  noteStored(transferId: string, imageId: string): void {
    this.stored.set(transferId, imageId);
  }

  /** Resolves true once no transfer is in flight, false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  /** Maps one transport event (exposed for tests; the transport calls it). */
  handle(event: UdpTransferEvent): void {
    if (event.role !== 'receiver') return;
    const at = new Date().toISOString();
    switch (event.type) {
      case 'started': {
        const { offer } = event;
        this.track({
          transferId: event.transferId,
          peer: event.peer,
          name: offer.name,
          contentType: offer.contentType,
          totalBytes: offer.totalSize,
          bytes: 0,
          percent: 0,
          openGaps: 0,
          startedAt: at,
          updatedAt: at,
        });
        this.emit(TransferEventName.STARTED, {
          transferId: event.transferId,
          peer: event.peer,
          at,
          name: offer.name,
          contentType: offer.contentType,
          totalBytes: offer.totalSize,
          chunkCount: offer.chunkCount,
          sha256: offer.sha256,
        });
        return;
      }
      case 'progress': {
        const percent = percentOf(event.bytes, event.totalBytes);
        this.update(event.transferId, at, (t) => ({ ...t, bytes: event.bytes, totalBytes: event.totalBytes, percent, stats: event.stats }));
        this.emit(TransferEventName.PROGRESS, {
          transferId: event.transferId,
          peer: event.peer,
          at,
          bytes: event.bytes,
          totalBytes: event.totalBytes,
          percent,
          stats: event.stats,
        });
        return;
      }
      case 'gap':
      case 'gap-repaired': {
        const ranges: ChunkSpan[] = event.ranges.map((r) => ({ start: r.start, length: r.length }));
        const delta = event.type === 'gap' ? ranges.length : -ranges.length;
        this.update(event.transferId, at, (t) => ({ ...t, openGaps: Math.max(0, t.openGaps + delta) }));
        const payload = { transferId: event.transferId, peer: event.peer, at, ranges, chunks: ranges.reduce((n, r) => n + r.length, 0) };
        this.emit(event.type === 'gap' ? TransferEventName.GAP : TransferEventName.GAP_REPAIRED, payload);
        return;
      }
      case 'completed': {
        const imageId = this.stored.get(event.transferId);
        this.finish(event.transferId);
        this.logger.log(`transfer ${event.transferId} from ${event.peer} completed: ${event.bytes} bytes`);
        this.emit(TransferEventName.COMPLETED, {
          transferId: event.transferId,
          peer: event.peer,
          at,
          bytes: event.bytes,
          sha256: event.sha256,
          stats: event.stats,
          ...(imageId === undefined ? {} : { imageId }),
        });
        return;
      }
      case 'failed': {
        this.finish(event.transferId);
        this.logger.warn(`transfer ${event.transferId} from ${event.peer} failed: ${event.code}: ${event.message}`);
        this.emit(TransferEventName.FAILED, {
          transferId: event.transferId,
          peer: event.peer,
          at,
          code: event.code,
          message: event.message,
          stats: event.stats,
        });
        return;
      }
    }
  }

  private emit<K extends keyof TransferEventMap>(name: K, payload: TransferEventMap[K]): void {
    this.events.emit(name, payload);
  }

  private track(transfer: InFlightTransfer): void {
    this.inFlight.set(transfer.transferId, transfer);
    // Bounded: a flood of OFFERs must not grow the list without limit (the endpoint bounds transfers too).
    while (this.inFlight.size > this.config.UDPIX_MAX_LISTED_TRANSFERS) {
      const oldest = this.inFlight.keys().next().value;
      if (oldest === undefined) break;
      this.inFlight.delete(oldest);
    }
  }

  private update(transferId: string, at: string, change: (t: InFlightTransfer) => InFlightTransfer): void {
    const current = this.inFlight.get(transferId);
    if (current !== undefined) this.inFlight.set(transferId, { ...change(current), updatedAt: at });
  }

  private finish(transferId: string): void {
    this.inFlight.delete(transferId);
    this.stored.delete(transferId);
    if (this.isIdle()) for (const waiter of [...this.idleWaiters]) waiter();
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && this.transport.transfers().every((t) => t.role !== 'receiver');
  }
}
