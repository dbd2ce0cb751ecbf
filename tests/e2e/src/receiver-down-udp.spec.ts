/** No receiver (never started, or stopped): the sender answers 504 within its deadline. */
import { freeUdpPort, postImage, startSender, startStack, fixtureImages, type RunningSender, type Stack } from '@udpix/stack';
import { tempDir, type Problem } from './support/e2e';

const TIMEOUT_MS = 2_000;
// The deadline plus what HTTP and process scheduling may add on a busy 2-core machine.
const SLACK_MS = 3_000;
const rocket = fixtureImages().find((f) => f.name === 'rocket.jpg');

describe('the receiver is down', () => {
  let sender: RunningSender | undefined;
  let stack: Stack | undefined;
  const data = tempDir('down');

  afterAll(async () => {
    await sender?.stop();
    await stack?.stop();
    data.remove();
  });

  it('never started: 504 within UDPIX_TIMEOUT_MS', async () => {
    if (!rocket) throw new Error('rocket.jpg missing');
    const port = await freeUdpPort(); // nothing listens there
    sender = await startSender({ receiver: `127.0.0.1:${port}`, env: { UDPIX_TIMEOUT_MS: String(TIMEOUT_MS) } });
    const res = await postImage<Problem>(sender.url, rocket.bytes, { name: 'rocket.jpg', contentType: 'image/jpeg', timeoutMs: TIMEOUT_MS + SLACK_MS + 5_000 });
    expect(res.status).toBe(504);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(['TIMEOUT', 'UNREACHABLE']).toContain(res.body.code);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });

  it('stopped after a good transfer: the next one gets 504 within the deadline', async () => {
    if (!rocket) throw new Error('rocket.jpg missing');
    stack = await startStack({ dataDir: data.path, senders: [{ env: { UDPIX_TIMEOUT_MS: String(TIMEOUT_MS) } }] });
    const ok = await postImage(stack.sender.url, rocket.bytes, { name: 'rocket.jpg', contentType: 'image/jpeg' });
    expect(ok.status).toBe(201);

    const exit = await stack.receiver.process.stop(15_000);
    expect(exit?.code === 0 || exit?.signal === 'SIGTERM').toBe(true);

    const res = await postImage<Problem>(stack.sender.url, rocket.bytes, { name: 'rocket.jpg', contentType: 'image/jpeg', timeoutMs: TIMEOUT_MS + SLACK_MS + 5_000 });
    expect(res.status).toBe(504);
    expect(['TIMEOUT', 'UNREACHABLE']).toContain(res.body.code);
    expect(res.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});
