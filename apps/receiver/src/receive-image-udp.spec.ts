/**
 * Integration: the receiver app as it runs in production (HTTP + ServerUdp,
 * both on 127.0.0.1 port 0, data in a temp dir), fed by the transport's
 * ClientUdp over real loopback UDP.
 */
import type { INestApplication } from '@nestjs/common';
import { ClientUdp } from '@udpix/protocol';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { createReceiverApp, startReceiverApp } from './app/receiver-app';
import { ReceiverConfig } from './config/receiver-config';
import type { ImageReceipt } from './images/image-message';
import { SseReader } from '@udpix/service-kit';

const ROCKET = join(__dirname, '../../../fixtures/images/rocket.jpg');
const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('receiver over UDP', () => {
  let app: INestApplication;
  let client: ClientUdp;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'udpix-receive-'));
    const config = Object.assign(new ReceiverConfig(), {
      UDPIX_HTTP_HOST: '127.0.0.1',
      UDPIX_HTTP_PORT: 0,
      UDPIX_UDP_HOST: '127.0.0.1',
      UDPIX_UDP_PORT: 0,
      UDPIX_DATA_DIR: dataDir,
      UDPIX_KEY: KEY,
      UDPIX_DRAIN_TIMEOUT_MS: 2000,
      UDPIX_LINGER_MS: 0,
    });
    const receiver = await createReceiverApp(config, false);
    app = receiver.app;
    const { http, udp } = await startReceiverApp(receiver, config);
    base = `http://127.0.0.1:${http.port}`;
    // The sender's side: the key as the sender decodes it (hex → bytes).
    client = new ClientUdp({ host: '127.0.0.1', port: udp.port, key: Buffer.from(KEY, 'hex'), rate: 200_000_000, requestTimeoutMs: 20_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores an image sent with ClientUdp, serves it back byte-identical, and streams its events', async () => {
    const bytes = await readFile(ROCKET);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const sse = await SseReader.open(`${base}/v1/events`);
    await sse.next((m) => m.event === 'snapshot');

    const receipt = await firstValueFrom(client.send<ImageReceipt>('image', { image: bytes, name: 'rocket.jpg', contentType: 'image/jpeg' }));
    expect(receipt).toMatchObject({ sha256, bytes: bytes.length });
    expect(receipt.id).toMatch(/^[0-9a-f]{16}$/);

    // COMPLETE came after storage: the files are there already.
    expect((await readdir(dataDir)).sort()).toEqual([`${receipt.id}.bin`, `${receipt.id}.json`]);

    const res = await fetch(`${base}/v1/images/${receipt.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    const started = await sse.next((m) => m.event === 'transfer.started');
    expect(JSON.parse(started.data ?? '')).toMatchObject({ transferId: receipt.id, name: 'rocket.jpg', totalBytes: bytes.length });
    const completed = await sse.next((m) => m.event === 'transfer.completed');
    expect(JSON.parse(completed.data ?? '')).toMatchObject({ transferId: receipt.id, imageId: receipt.id, bytes: bytes.length, sha256 });
    sse.close();

    const list = (await (await fetch(`${base}/v1/images`)).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items[0]).toMatchObject({ id: receipt.id, name: 'rocket.jpg', sha256, bytes: bytes.length, contentType: 'image/jpeg' });
    expect(list.items[0]?.['width']).toEqual(expect.any(Number));
    expect(list.items[0]?.['stats']).toMatchObject({ datagramsReceived: expect.any(Number) });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/udpix_receiver_transfers_total\{outcome="completed",code="OK"\} 1/);
    expect(metrics).toMatch(/udpix_receiver_datagrams_received_total\{type="DATA"\} \d+/);
  });

  it('fails the transfer at the sender when the payload is not an image message', async () => {
    await expect(firstValueFrom(client.send('image', { name: 'no bytes' }))).rejects.toMatchObject({
      code: 'BAD_MESSAGE',
      message: expect.stringContaining('bad image message'),
    });
  });
});
