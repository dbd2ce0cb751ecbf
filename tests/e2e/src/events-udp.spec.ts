/**
 * GET /v1/events on the receiver during a lossy transfer: started, then
 * gaps and their repairs, then completed, all for the same transfer; the
 * sender's stats agree that there was loss.
 */
import { lossyLink, noisePng, postImage, startStack, type SampleImage, type Stack } from '@udpix/stack';
import { SseReader } from '@udpix/service-kit';
import { sha256, tempDir, type ImageSent } from './support/e2e';

interface EventData {
  transferId: string;
  imageId?: string;
  sha256?: string;
  bytes?: number;
  chunks?: number;
  ranges?: Array<{ start: number; length: number }>;
  stats?: { chunksRetransmitted?: number; duplicates?: number };
}

describe('GET /v1/events during a transfer at 10% loss', () => {
  const data = tempDir('events');
  let stack: Stack | undefined;
  let sse: SseReader | undefined;
  let image: SampleImage;

  beforeAll(async () => {
    image = await noisePng(800, 800); // ~1.9 MB, ~1300 datagrams: gaps are certain at 10% loss
    stack = await startStack({ dataDir: data.path, link: lossyLink(0.1, 5), seed: 11 });
  });

  afterAll(async () => {
    sse?.close();
    await stack?.stop();
    data.remove();
  });

  it('streams started, gap, gap-repaired and completed in order, with plausible stats', async () => {
    const s = stack as Stack;
    sse = await SseReader.open(`${s.receiver.url}/v1/events`);
    expect(sse.status).toBe(200);
    // The snapshot says the subscription is live: nothing after it can be missed.
    await sse.next((m) => m.event === 'snapshot', 10_000);

    const res = await postImage<ImageSent>(s.sender.url, image.bytes, { name: image.name, contentType: image.contentType });
    expect(res.status).toBe(201);
    const id = res.body.id;
    await sse.next((m) => m.event === 'transfer.completed' && m.data !== undefined && (JSON.parse(m.data) as EventData).transferId === id, 30_000);

    const mine = sse.events<EventData>((m) => m.event?.startsWith('transfer.') === true).filter((e) => e.data.transferId === id);
    const names = mine.map((e) => e.event).filter((n) => n !== 'transfer.progress');
    expect(names[0]).toBe('transfer.started');
    expect(names.at(-1)).toBe('transfer.completed');
    expect(names).not.toContain('transfer.failed');
    expect(names.filter((n) => n === 'transfer.started')).toHaveLength(1);
    expect(names.filter((n) => n === 'transfer.completed')).toHaveLength(1);
    const firstGap = names.indexOf('transfer.gap');
    const firstRepair = names.indexOf('transfer.gap-repaired');
    expect(firstGap).toBeGreaterThan(0);
    expect(firstRepair).toBeGreaterThan(firstGap);
    expect(names.lastIndexOf('transfer.gap-repaired')).toBeLessThan(names.length - 1);

    // Every missing chunk reported in a gap event is reported repaired before completion.
    const chunks = (event: string): number => mine.filter((e) => e.event === event).reduce((sum, e) => sum + (e.data.chunks ?? 0), 0);
    expect(chunks('transfer.gap')).toBeGreaterThan(0);
    expect(chunks('transfer.gap-repaired')).toBe(chunks('transfer.gap'));

    // SSE ids increase.
    const ids = sse.messages.filter((m) => m.id !== undefined).map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const completed = mine.at(-1)?.data as EventData;
    expect(completed.sha256).toBe(sha256(image.bytes));
    expect(completed.bytes).toBe(image.bytes.length);
    expect(completed.imageId).toBe(id);

    const stats = res.body.stats;
    expect(stats.chunksRetransmitted).toBeGreaterThan(0);
    expect(stats.lossEstimate).toBeGreaterThan(0.02);
    expect(stats.lossEstimate).toBeLessThan(0.4);
    expect(stats.chunksSent).toBe(Math.ceil(image.bytes.length / (1472 - 24)));
    expect(stats.datagramsSent).toBeGreaterThanOrEqual(stats.chunksSent + stats.chunksRetransmitted);
    expect(stats.rttMs).toBeGreaterThanOrEqual(10); // 5 ms each way through the relay
    expect(stats.rttMs).toBeLessThan(2_000);
  });
});
