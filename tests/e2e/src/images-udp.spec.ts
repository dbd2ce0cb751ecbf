/**
 * Real images (JPEG, PNG, GIF, TIFF fixtures, a WebP and a ~50 MB PNG made
 * here) through sender → relay → receiver at 0, 5 and 20% loss with
 * reordering and duplication: each one fetched back from the receiver is
 * byte-identical to what was posted.
 */
import { fetchImage, fixtureImages, lossyLink, noisePng, postImage, startStack, toWebp, type SampleImage, type Stack } from '@udpix/stack';
import { sha256, tempDir, type ImageSent } from './support/e2e';

const LOSSES = [0, 0.05, 0.2];
const BIG_MAX_BYTES = String(80 * 1024 * 1024);

const fixtures = fixtureImages();
const BIG = 'noise-4096x4096.png';
const NAMES = [...fixtures.map((f) => f.name), 'rocket.webp', BIG];
const images = new Map<string, SampleImage>();

beforeAll(async () => {
  for (const f of fixtures) images.set(f.name, f);
  const rocket = images.get('rocket.jpg');
  if (!rocket) throw new Error('fixtures/images/rocket.jpg is missing');
  images.set('rocket.webp', await toWebp(rocket.bytes, 'rocket.webp'));
  // 4096 x 4096 RGB noise, stored uncompressed: about 50 MB.
  images.set(BIG, await noisePng(4096, 4096, 0));
});

it('covers JPEG, PNG, GIF, TIFF, WebP and a file over 50 MB', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(4);
  expect([...new Set([...images.values()].map((i) => i.contentType))].sort()).toEqual(['image/gif', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp']);
  expect(images.get(BIG)?.bytes.length).toBeGreaterThan(50_000_000);
});

describe.each(LOSSES)('through the relay at %p loss with reordering and duplication', (loss) => {
  let stack: Stack | undefined;
  const data = tempDir(`images-${loss}`);

  beforeAll(async () => {
    stack = await startStack({
      dataDir: data.path,
      link: lossyLink(loss, 1, { reorderProbability: 0.02, reorderExtraDelayMs: 4, duplicateProbability: 0.02 }),
      seed: 7 + Math.round(loss * 100),
      senders: [{ env: { UDPIX_MAX_BYTES: BIG_MAX_BYTES, UDPIX_TIMEOUT_MS: '120000' } }],
    });
  });

  afterAll(async () => {
    await stack?.stop();
    data.remove();
  });

  let retransmitted = 0;

  it.each(NAMES)('%s arrives byte-identical', async (name) => {
    const s = stack as Stack;
    const image = images.get(name) as SampleImage;
    const res = await postImage<ImageSent>(s.sender.url, image.bytes, { name: image.name, contentType: image.contentType, timeoutMs: 150_000 });
    if (res.status !== 201) throw new Error(`${image.name}: ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.body.sha256).toBe(sha256(image.bytes));
    expect(res.body.bytes).toBe(image.bytes.length);
    retransmitted += res.body.stats.chunksRetransmitted;

    const back = await fetchImage(s.receiver.url, res.body.id);
    expect(back.status).toBe(200);
    expect(back.contentType).toContain(image.contentType);
    expect(back.bytes.length).toBe(image.bytes.length);
    // Buffer.equals, not toEqual: a 50 MB diff would drown the report.
    expect(back.bytes.equals(image.bytes)).toBe(true);
  });

  it('the relay really impaired the link', () => {
    const counters = (stack as Stack).relay.relay.counters();
    expect(counters.forward.duplicated).toBeGreaterThan(0);
    expect(counters.forward.reordered).toBeGreaterThan(0);
    if (loss > 0) {
      expect(counters.forward.lost).toBeGreaterThan(0);
      expect(retransmitted).toBeGreaterThan(0);
    }
  });
});
