/** The sender's own Prometheus metrics, on the app's registry (service-kit's METRICS_REGISTRY). */
import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@udpix/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type TransferOutcome = 'completed' | 'rejected' | 'unreachable' | 'unavailable';

@Injectable()
export class SenderMetrics {
  readonly transfers: Counter<'outcome'>;
  readonly bytesSent: Counter;
  readonly retransmissions: Counter;
  readonly duration: Histogram<'outcome'>;
  readonly inFlight: Gauge;
  /** Uploads refused before any transfer started, by HTTP-facing code (TOO_LARGE, NOT_AN_IMAGE, DRAINING, ...). */
  readonly refused: Counter<'code'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.transfers = new Counter({ name: 'udpix_sender_transfers_total', help: 'Transfers finished, by outcome', labelNames: ['outcome'], registers });
    this.bytesSent = new Counter({ name: 'udpix_sender_bytes_sent_total', help: 'Bytes put on the wire by finished transfers (datagrams, repairs included)', registers });
    this.retransmissions = new Counter({ name: 'udpix_sender_retransmissions_total', help: 'DATA chunks sent again (repairs and probes)', registers });
    this.duration = new Histogram({
      name: 'udpix_sender_transfer_duration_seconds',
      help: 'Time from the start of a transfer to its end, by outcome',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.inFlight = new Gauge({ name: 'udpix_sender_transfers_in_flight', help: 'Transfers in flight', registers });
    this.refused = new Counter({ name: 'udpix_sender_uploads_refused_total', help: 'Uploads refused before a transfer started, by code', labelNames: ['code'], registers });
  }
}
