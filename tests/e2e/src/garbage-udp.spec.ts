/**
 * Random, truncated and bad-checksum datagrams thrown at the receiver's UDP
 * port while a transfer is under way: the transfer completes byte-identical
 * and the receiver's /metrics counts them as dropped.
 */
import { encodeData, concatDatagram, DEFAULT_MAX_DATAGRAM } from '@udpix/protocol';
import { fetchImage, getText, lossyLink, metricValue, noisePng, postImage, startStack, type SampleImage, type Stack } from '@udpix/stack';
import { SseReader } from '@udpix/service-kit';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { tempDir, type ImageSent } from './support/e2e';

const EACH = 200;
const DROPPED = 'udpix_receiver_datagrams_dropped_total';

/** Sends every datagram, resolving once all are handed to the kernel. */
async function sendAll(socket: Socket, port: number, datagrams: Uint8Array[]): Promise<void> {
  for (const d of datagrams) {
    await new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }
}

/** A well-formed DATA datagram of `transferId` (chunk `index`, random payload). */
function dataDatagram(transferId: string, index: number): Uint8Array {
  const encoded = encodeData(transferId, index, 0, randomBytes(512), { maxDatagram: DEFAULT_MAX_DATAGRAM });
  if (!encoded.ok) throw new Error(`encodeData: ${encoded.error}`);
  return concatDatagram(encoded.datagram);
}

describe('garbage datagrams during a transfer', () => {
  const data = tempDir('garbage');
  let stack: Stack | undefined;
  let sse: SseReader | undefined;
  let socket: Socket | undefined;
  let image: SampleImage;

  beforeAll(async () => {
    image = await noisePng(1600, 1600); // ~7.7 MB
    // A slower pace keeps the transfer going for a couple of seconds.
    stack = await startStack({ dataDir: data.path, link: lossyLink(0.02, 2), seed: 31, senders: [{ env: { UDPIX_RATE_BYTES_PER_SEC: '4000000' } }] });
    socket = createSocket('udp4');
    await new Promise<void>((resolve) => (socket as Socket).bind(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    sse?.close();
    await new Promise<void>((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
    await stack?.stop();
    data.remove();
  });

  it('does not disturb the transfer and shows in the drop counters', async () => {
    const s = stack as Stack;
    const before = metricValue((await getText(`${s.receiver.url}/metrics`)).text, DROPPED);
    sse = await SseReader.open(`${s.receiver.url}/v1/events`);
    await sse.next((m) => m.event === 'snapshot', 10_000);

    const posting = postImage<ImageSent>(s.sender.url, image.bytes, { name: image.name, contentType: image.contentType, timeoutMs: 60_000 });
    const started = await sse.next((m) => m.event === 'transfer.started', 20_000);
    const transferId = (JSON.parse(started.data as string) as { transferId: string }).transferId;

    const random = Array.from({ length: EACH }, () => randomBytes(randomInt(1, DEFAULT_MAX_DATAGRAM + 1)));
    // Cut inside the header or inside the payload of a real DATA datagram of this transfer.
    const truncated = Array.from({ length: EACH }, (_, i) => {
      const d = dataDatagram(transferId, i);
      return d.subarray(0, i % 2 === 0 ? randomInt(1, 24) : randomInt(25, d.length - 1));
    });
    // Valid DATA for real chunks of this transfer, one payload bit flipped after the checksum.
    const badChecksum = Array.from({ length: EACH }, (_, i) => {
      const d = Uint8Array.from(dataDatagram(transferId, i));
      const at = 24 + randomInt(0, 512);
      d[at] = (d[at] as number) ^ 0x10;
      return d;
    });
    await sendAll(socket as Socket, s.receiver.udpPort, [...random, ...truncated, ...badChecksum]);
    // It was still under way when all of them had been sent.
    expect(sse.messages.some((m) => m.event === 'transfer.completed' && (m.data ?? '').includes(transferId))).toBe(false);

    const res = await posting;
    expect(res.status).toBe(201);
    const back = await fetchImage(s.receiver.url, res.body.id);
    expect(back.bytes.equals(image.bytes)).toBe(true);

    const done = await sse.next((m) => (m.event === 'transfer.completed' || m.event === 'transfer.failed') && (m.data ?? '').includes(transferId), 10_000);
    expect(done.event).toBe('transfer.completed');

    // Counters have no event of their own: read them a bounded number of times
    // (the garbage is normally counted long before the transfer completes).
    let metrics = '';
    let after = before;
    for (let i = 0; i < 20 && after - before < 3 * EACH; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      metrics = (await getText(`${s.receiver.url}/metrics`)).text;
      after = metricValue(metrics, DROPPED);
    }
    expect(after - before).toBeGreaterThanOrEqual(3 * EACH);
    const reasons = metrics
      .split('\n')
      .filter((l) => l.startsWith(`${DROPPED}{`))
      .map((l) => /reason="([^"]+)"/.exec(l)?.[1])
      .filter((r): r is string => r !== undefined);
    expect(reasons.some((r) => /checksum/i.test(r))).toBe(true);
    expect(metricValue(metrics, DROPPED, { reason: reasons.find((r) => /checksum/i.test(r)) ?? '' })).toBeGreaterThanOrEqual(EACH);
    // Half of the truncated ones end inside the 24-byte header.
    expect(metricValue(metrics, DROPPED, { reason: reasons.find((r) => /truncated/i.test(r)) ?? '' })).toBeGreaterThanOrEqual(EACH / 2);
  });
});
