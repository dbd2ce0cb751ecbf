import { Controller, Inject, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable, interval, map, merge, of } from 'rxjs';
import { ReceiverConfig } from '../config/receiver-config';
import { ReassemblyService } from '../reassembly/reassembly.service';
import { TRANSFER_EVENT_NAMES } from '../reassembly/transfer-events';
import { TransferEventStream } from './transfer-event-stream';

/** A client that does not read this many characters of events is dropped (it reconnects); the service never buffers without bound. */
export const SSE_MAX_PENDING_CHARS = 1024 * 1024;

@ApiTags('events')
@Controller('v1')
export class EventsController {
  constructor(
    private readonly stream: TransferEventStream,
    private readonly reassembly: ReassemblyService,
    @Inject(ReceiverConfig) private readonly config: ReceiverConfig,
  ) {}

  /**
   * Server-Sent Events: first `snapshot` (the transfers in flight), then every
   * application event under its own name (`transfer.started`, ...) with its
   * payload as JSON and an increasing id, and a comment line every
   * UDPIX_SSE_HEARTBEAT_MS. Backpressure: Nest writes an event only once the
   * previous one drained, and drops a client with more than
   * SSE_MAX_PENDING_CHARS waiting.
   */
  @Sse('events', { maxPendingDataLength: SSE_MAX_PENDING_CHARS })
  @ApiOperation({ summary: `Live reassembly events (SSE): snapshot, ${TRANSFER_EVENT_NAMES.join(', ')}` })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream; each event is `event: <name>` + `data: <JSON payload>`', schema: { type: 'string' } })
  events(): Observable<MessageEvent> {
    const snapshot = of<MessageEvent>({ type: 'snapshot', data: { transfers: this.reassembly.list() } });
    const events = this.stream.events$.pipe(map((e): MessageEvent => ({ type: e.name, id: String(e.seq), data: e.payload })));
    const heartbeats = interval(this.config.UDPIX_SSE_HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' })));
    // The heartbeat never completes on its own: end with the event stream.
    return new Observable<MessageEvent>((subscriber) => {
      const inner = merge(snapshot, events, heartbeats).subscribe(subscriber);
      const end = this.stream.events$.subscribe({ complete: () => subscriber.complete() });
      return () => {
        inner.unsubscribe();
        end.unsubscribe();
      };
    });
  }
}
