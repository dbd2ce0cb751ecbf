/** 20 transfers at once from two sender processes to one receiver, through a lossy relay. */
import { fetchImage, lossyLink, noisePng, postImage, startStack, type SampleImage, type Stack } from '@udpix/stack';
import { sha256, tempDir, type ImageSent } from './support/e2e';

describe('20 concurrent transfers from two senders at 5% loss', () => {
  const data = tempDir('concurrent');
  let stack: Stack | undefined;
  const images: SampleImage[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 20; i++) {
      const image = await noisePng(200 + 20 * i, 240); // 144 KB .. 417 KB, all different
      images.push({ ...image, name: `concurrent-${i}.png` });
    }
    stack = await startStack({ dataDir: data.path, link: lossyLink(0.05, 2), seed: 21, senders: [{}, {}] });
  });

  afterAll(async () => {
    await stack?.stop();
    data.remove();
  });

  it('delivers all 20 byte-identical, with distinct ids', async () => {
    const s = stack as Stack;
    expect(s.senders).toHaveLength(2);
    const results = await Promise.all(
      images.map((image, i) => postImage<ImageSent>((s.senders[i % 2] as Stack['sender']).url, image.bytes, { name: image.name, contentType: image.contentType, timeoutMs: 120_000 })),
    );
    const failures = results.map((r, i) => (r.status === 201 ? undefined : `${images[i]?.name}: ${r.status} ${JSON.stringify(r.body)}`)).filter(Boolean);
    expect(failures).toEqual([]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(20);

    for (const [i, res] of results.entries()) {
      const image = images[i] as SampleImage;
      expect(res.body.sha256).toBe(sha256(image.bytes));
      const back = await fetchImage(s.receiver.url, res.body.id);
      expect(back.status).toBe(200);
      expect(back.bytes.equals(image.bytes)).toBe(true);
    }

    const list = await fetch(`${s.receiver.url}/v1/images?limit=100`, { signal: AbortSignal.timeout(10_000) });
    expect(list.status).toBe(200);
    const body = (await list.json()) as unknown;
    const items = (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as Array<{ id: string }>;
    const listed = new Set(items.map((x) => x.id));
    for (const res of results) expect(listed.has(res.body.id)).toBe(true);
  });
});
