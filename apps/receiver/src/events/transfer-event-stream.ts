import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Subject, type Observable } from 'rxjs';
import { TRANSFER_EVENT_NAMES, type NamedTransferEvent, type TransferEventMap } from '../reassembly/transfer-events';

/**
 * The application events as one hot stream, for the SSE route. DrainService
 * ends it at shutdown, after the drain, so the last events still reach the
 * clients and then their SSE responses finish (the HTTP server waits for
 * open responses before it closes).
 */
@Injectable()
export class TransferEventStream {
  private readonly subject = new Subject<NamedTransferEvent & { seq: number }>();
  private seq = 0;
  private readonly listeners: Array<[string, (payload: unknown) => void]> = [];

  constructor(private readonly emitter: EventEmitter2) {
    for (const name of TRANSFER_EVENT_NAMES) {
      const listener = (payload: unknown): void => {
        // The emitter is typed by name in ReassemblyService; here it only passes through.
        this.subject.next({ name, payload: payload as TransferEventMap[typeof name], seq: ++this.seq } as NamedTransferEvent & { seq: number });
      };
      this.listeners.push([name, listener]);
      emitter.on(name, listener);
    }
  }

  get events$(): Observable<NamedTransferEvent & { seq: number }> {
    return this.subject.asObservable();
  }

  /** Completes every subscriber (ends their SSE responses). */
  end(): void {
    for (const [name, listener] of this.listeners) this.emitter.off(name, listener);
    this.listeners.length = 0;
    this.subject.complete();
  }
}
