import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ReceiverConfig } from '../config/receiver-config';
import { TransferEventStream } from '../events/transfer-event-stream';
import { ReassemblyService } from '../reassembly/reassembly.service';
import { RECEIVER_TRANSPORT, type ReceiverTransport } from '../transport/udp-transport';

/**
 * Graceful stop (SIGTERM with enableShutdownHooks, or app.close()): refuse new
 * OFFERs, give the transfers in flight UDPIX_DRAIN_TIMEOUT_MS to finish or
 * fail, end the SSE streams, then close the transport: it aborts whatever is
 * still in flight (SHUTTING_DOWN), so the senders learn at once instead of
 * timing out, and keeps the socket open until UDPIX_LINGER_MS passed since
 * the last transfer finished, so a sender whose COMPLETE was lost gets it
 * again instead of failing a stored image. Nest then closes HTTP (and calls
 * the transport's close() again, a no-op by then).
 *
 * One hook does it all in order: Nest runs the hooks of one module's
 * providers concurrently.
 */
@Injectable()
export class DrainService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DrainService.name);

  constructor(
    @Inject(RECEIVER_TRANSPORT) private readonly transport: ReceiverTransport,
    private readonly reassembly: ReassemblyService,
    private readonly stream: TransferEventStream,
    private readonly config: ReceiverConfig,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.transport.drain();
    const inFlight = this.reassembly.list().length;
    if (inFlight > 0) this.logger.log(`${signal ?? 'shutdown'}: draining ${inFlight} transfer(s), up to ${this.config.UDPIX_DRAIN_TIMEOUT_MS} ms`);
    const idle = await this.reassembly.whenIdle(this.config.UDPIX_DRAIN_TIMEOUT_MS);
    if (!idle) this.logger.warn(`drain timed out with ${this.reassembly.list().length} transfer(s) in flight; they will be aborted`);
    this.stream.end();
    await this.transport.close({ lingerMs: this.config.UDPIX_LINGER_MS });
  }
}
