/** Bad HTTP input gets the right 4xx, as application/problem+json. */
import { fetchImage, fixtureImages, freeUdpPort, postImage, startReceiver, startSender, type RunningReceiver, type RunningSender } from '@udpix/stack';
import { tempDir, type Problem } from './support/e2e';

const MAX_BYTES = 200_000;
const fixtures = new Map(fixtureImages().map((f) => [f.name, f]));
const rocket = fixtures.get('rocket.jpg'); // 112 KB: under the limit
const chelsea = fixtures.get('chelsea.png'); // 240 KB: over it

describe('bad input', () => {
  let sender: RunningSender | undefined;
  let receiver: RunningReceiver | undefined;
  const data = tempDir('bad-input');

  beforeAll(async () => {
    if (!rocket || !chelsea) throw new Error('fixtures missing');
    // Nothing here reaches the receiver: validation answers first.
    sender = await startSender({ receiver: `127.0.0.1:${await freeUdpPort()}`, env: { UDPIX_MAX_BYTES: String(MAX_BYTES), UDPIX_TIMEOUT_MS: '2000' } });
    receiver = await startReceiver({ dataDir: data.path });
  });

  afterAll(async () => {
    await sender?.stop();
    await receiver?.stop();
    data.remove();
  });

  const post = (bytes: Uint8Array, contentType: string, query: Record<string, string> = {}) =>
    postImage<Problem>((sender as RunningSender).url, bytes, { contentType, query, timeoutMs: 15_000 });

  it.each([
    ['to', { to: 'not a host:port' }],
    ['to', { to: '127.0.0.1:99999' }],
    ['wait', { wait: 'maybe' }],
    ['name', { name: 'x'.repeat(5000) }],
  ])('400 naming %s', async (field, query) => {
    const res = await post(rocket?.bytes as Buffer, 'image/jpeg', query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('400 for an unknown query parameter', async () => {
    const res = await post(rocket?.bytes as Buffer, 'image/jpeg', { colour: 'blue' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('colour');
  });

  it('413 TOO_LARGE past UDPIX_MAX_BYTES', async () => {
    const res = await post(chelsea?.bytes as Buffer, 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('TOO_LARGE');
  });

  it('415 NOT_AN_IMAGE for text sent as image/png (judged from the bytes)', async () => {
    const res = await post(Buffer.from('this is not an image, whatever the header says\n'.repeat(20)), 'image/png');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('NOT_AN_IMAGE');
  });

  it('415 for a truncated image', async () => {
    const res = await post((rocket?.bytes as Buffer).subarray(0, 64), 'image/jpeg');
    expect(res.status).toBe(415);
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a non-image Content-Type', async () => {
    const res = await post(rocket?.bytes as Buffer, 'text/plain');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('the receiver: 400 for a malformed image id, 404 for an unknown one', async () => {
    const r = receiver as RunningReceiver;
    expect((await fetchImage(r.url, 'not-an-id')).status).toBe(400);
    expect((await fetchImage(r.url, '0123456789abcdef')).status).toBe(404);
  });
});
