import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { METRICS_REGISTRY } from '@udpix/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ReassemblyService } from '../reassembly/reassembly.service';
import { TransferEventName, type TransferCompletedEvent, type TransferFailedEvent, type TransferGapEvent } from '../reassembly/transfer-events';
import { RECEIVER_TRANSPORT, type ReceiverTransport, type UdpCounters } from '../transport/udp-transport';

export const METRIC_PREFIX = 'udpix_receiver_';

/**
 * The receiver's Prometheus metrics. Per-transfer ones come from the
 * application events; datagram and drop counts are read from the transport's
 * counters (endpoint and socket) at scrape time (collect), so they are exact
 * and cost nothing per datagram.
 */
@Injectable()
export class ReceiverMetrics {
  private readonly transfers: Counter<'outcome' | 'code'>;
  private readonly imageBytes: Counter;
  private readonly repairedChunks: Counter;
  private readonly rtt: Histogram;
  private readonly duration: Histogram;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(RECEIVER_TRANSPORT) private readonly transport: ReceiverTransport,
    reassembly: ReassemblyService,
  ) {
    const registers = [registry];
    const counters = (): UdpCounters | undefined => this.transport.counters();
    this.transfers = new Counter({ name: `${METRIC_PREFIX}transfers_total`, help: 'Transfers received, by outcome (completed, failed) and error code', labelNames: ['outcome', 'code'], registers });
    this.imageBytes = new Counter({ name: `${METRIC_PREFIX}image_bytes_total`, help: 'Bytes of objects received and verified', registers });
    this.repairedChunks = new Counter({ name: `${METRIC_PREFIX}retransmitted_chunks_total`, help: 'Chunks that were missing and arrived again after a NACK (retransmissions received)', registers });
    this.rtt = new Histogram({
      name: `${METRIC_PREFIX}transfer_rtt_seconds`,
      help: 'Smoothed RTT of each completed transfer',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.duration = new Histogram({
      name: `${METRIC_PREFIX}transfer_duration_seconds`,
      help: 'Duration of each completed transfer, first datagram to verification',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    mirror(registry, `${METRIC_PREFIX}datagrams_received_total`, 'Valid datagrams received, by message type', 'type', () => counters()?.receivedByType);
    mirror(registry, `${METRIC_PREFIX}datagrams_sent_total`, 'Datagrams sent, by message type', 'type', () => counters()?.sentByType);
    mirror(registry, `${METRIC_PREFIX}datagrams_dropped_total`, 'Datagrams dropped, by reason (decode errors, bad checksum, unknown transfer, replayed, ...)', 'reason', () => counters()?.dropped);
    mirror(registry, `${METRIC_PREFIX}udp_bytes_total`, 'UDP payload bytes, by direction', 'direction', () => {
      const c = counters();
      return c && { received: c.bytesReceived, sent: c.bytesSent };
    });
    mirror(registry, `${METRIC_PREFIX}udp_send_errors_total`, 'Datagrams the socket failed to send (the protocol repairs them as loss)', undefined, () => {
      const c = counters();
      return c && { '': c.socket.sendErrors };
    });
    mirror(registry, `${METRIC_PREFIX}tombstone_answers_total`, 'Late datagrams of finished transfers answered with their recorded COMPLETE/FAILED', undefined, () => {
      const c = counters();
      return c && { '': c.tombstoneAnswers };
    });
    mirror(registry, `${METRIC_PREFIX}offers_rejected_total`, 'OFFERs refused (limits, draining, bad offer)', undefined, () => {
      const c = counters();
      return c && { '': c.offersRejected };
    });
    new Gauge({
      name: `${METRIC_PREFIX}reserved_bytes`,
      help: 'Reassembly buffer bytes reserved by transfers in flight',
      registers,
      collect() {
        this.set(counters()?.bytesReserved ?? 0);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}transfers_in_flight`,
      help: 'Transfers being received',
      registers,
      collect() {
        this.set(reassembly.list().length);
      },
    });
  }

  @OnEvent(TransferEventName.COMPLETED)
  onCompleted(event: TransferCompletedEvent): void {
    this.transfers.inc({ outcome: 'completed', code: 'OK' });
    this.imageBytes.inc(event.bytes);
    if (event.stats.rttMs > 0) this.rtt.observe(event.stats.rttMs / 1000);
    this.duration.observe(event.stats.durationMs / 1000);
  }

  @OnEvent(TransferEventName.FAILED)
  onFailed(event: TransferFailedEvent): void {
    this.transfers.inc({ outcome: 'failed', code: event.code });
  }

  @OnEvent(TransferEventName.GAP_REPAIRED)
  onGapRepaired(event: TransferGapEvent): void {
    this.repairedChunks.inc(event.chunks);
  }
}

/**
 * A counter whose values are copied from a live record at scrape time. With
 * `label` undefined the record has one entry (key '') and the counter no label.
 */
function mirror(registry: Registry, name: string, help: string, label: string | undefined, read: () => Record<string, number> | undefined): void {
  new Counter({
    name,
    help,
    labelNames: label === undefined ? [] : [label],
    registers: [registry],
    collect() {
      const values = read();
      this.reset();
      if (values === undefined) return;
      for (const [key, value] of Object.entries(values)) {
        if (label === undefined) this.inc(value);
        else if (value > 0) this.inc({ [label]: key }, value);
      }
    },
  });
}
