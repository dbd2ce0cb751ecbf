import { bootHttp, type HttpHarness } from '../testing/http-harness';
import { events } from '../testing/fake-transport';
import type { UdpCounters } from '../transport/udp-transport';

const A = '00000000000000aa';

function counters(): UdpCounters {
  return {
    datagramsReceived: 12,
    bytesReceived: 12_000,
    datagramsSent: 4,
    bytesSent: 200,
    receivedByType: { OFFER: 1, DATA: 11 },
    sentByType: { ACCEPT: 1, ACK: 2, NACK: 1 },
    dropped: { BAD_CHECKSUM: 3, UNKNOWN_TRANSFER: 1 },
    transfersStarted: { sender: 0, receiver: 1 },
    transfersCompleted: { sender: 0, receiver: 1 },
    transfersFailed: { sender: 0, receiver: 0 },
    offersRejected: 2,
    tombstoneAnswers: 5,
    tombstonesEvicted: 0,
    bytesReserved: 4096,
    socket: {
      datagramsSent: 4,
      bytesSent: 200,
      datagramsReceived: 12,
      bytesReceived: 12_000,
      sendErrors: 2,
      badDestinations: 0,
      inboundDropped: 0,
      backpressureStalls: 0,
      peakSendsInFlight: 1,
      sendsInFlight: 0,
      sendQueueCount: 0,
      sendQueueBytes: 0,
      wakeUps: 3,
      lastSendError: undefined,
    },
  };
}

describe('AppModule', () => {
  let h: HttpHarness;

  beforeAll(async () => {
    h = await bootHttp();
  });

  afterAll(async () => {
    await h.close();
  });

  it('describes every HTTP route in the OpenAPI document', () => {
    expect(Object.keys(h.document.paths).sort()).toEqual(['/health', '/metrics', '/v1/events', '/v1/images', '/v1/images/{id}', '/v1/transfers']);
  });

  it('serves /health with the store and udp checks', async () => {
    const res = await fetch(`${h.base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'receiver', checks: { store: { ok: true }, udp: { ok: true } } });
  });

  it('answers 503 on /health while the UDP socket is not bound', async () => {
    const saved = h.transport.boundAddress;
    h.transport.boundAddress = undefined;
    const res = await fetch(`${h.base}/health`);
    h.transport.boundAddress = saved;
    expect(res.status).toBe(503);
  });

  it('lists transfers in flight with progress on /v1/transfers', async () => {
    h.transport.push(events.started(A));
    h.transport.push(events.progress(A, 300));
    const body = (await (await fetch(`${h.base}/v1/transfers`)).json()) as { items: Array<Record<string, unknown>> };
    expect(body.items).toEqual([expect.objectContaining({ transferId: A, bytes: 300, totalBytes: 1000, percent: 30, name: 'a.png' })]);
    h.transport.push(events.completed(A));
    expect(((await (await fetch(`${h.base}/v1/transfers`)).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('exposes transfer outcomes, endpoint counters and the RTT histogram on /metrics', async () => {
    h.transport.endpointCounters = counters();
    h.transport.push(events.started('00000000000000bb'));
    h.transport.push(events.gapRepaired('00000000000000bb'));
    h.transport.push(events.failed('00000000000000bb'));
    const text = await (await fetch(`${h.base}/metrics`)).text();
    expect(text).toMatch(/udpix_receiver_transfers_total\{outcome="completed",code="OK"\} 1/);
    expect(text).toMatch(/udpix_receiver_transfers_total\{outcome="failed",code="TIMEOUT"\} 1/);
    expect(text).toMatch(/udpix_receiver_datagrams_received_total\{type="DATA"\} 11/);
    expect(text).toMatch(/udpix_receiver_datagrams_dropped_total\{reason="BAD_CHECKSUM"\} 3/);
    expect(text).toMatch(/udpix_receiver_offers_rejected_total 2/);
    expect(text).toMatch(/udpix_receiver_retransmitted_chunks_total 3/);
    expect(text).toMatch(/udpix_receiver_transfer_rtt_seconds_count 1/);
    expect(text).toMatch(/udpix_receiver_reserved_bytes 4096/);
    expect(text).toMatch(/udpix_receiver_udp_send_errors_total 2/);
    expect(text).toMatch(/udpix_receiver_tombstone_answers_total 5/);
    expect(text).toContain('udpix_receiver_process_cpu_user_seconds_total');
  });
});
