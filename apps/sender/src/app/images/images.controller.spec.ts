import type { INestApplication } from '@nestjs/common';
import { listenOnFreePort, loadConfig } from '@udpix/service-kit';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeImageClient } from '../../testing/fake-image-client';
import { SenderConfig } from '../config/sender-config';
import { createSenderApp } from '../sender-app';
import { TransfersService } from '../transfers/transfers.service';

const PNG = readFileSync(join(__dirname, '../../../../../fixtures/images/chelsea.png'));
const PNG_SHA = createHash('sha256').update(PNG).digest('hex');

interface Answer {
  status: number;
  type: string | null;
  headers: Headers;
  body: Record<string, unknown>;
}

describe('ImagesController', () => {
  let app: INestApplication;
  let base: string;
  let client: FakeImageClient;

  async function boot(env: Record<string, string> = {}): Promise<void> {
    client = new FakeImageClient();
    app = await createSenderApp(loadConfig(SenderConfig, { UDPIX_RECEIVER: '10.9.8.7:5000', UDPIX_DRAIN_TIMEOUT_MS: '100', ...env }), { imageClient: client, logger: false });
    base = await listenOnFreePort(app);
  }

  async function post(query: string, body: Uint8Array | string, contentType = 'image/png'): Promise<Answer> {
    const res = await fetch(`${base}/v1/images${query}`, { method: 'POST', body, headers: { 'content-type': contentType } });
    return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  let closed = false;

  beforeEach(async () => {
    closed = false;
    await boot();
  });
  afterEach(async () => {
    if (!closed) await app.close();
  });

  describe('send', () => {
    it('answers 201 with the receiver id, the hash and the geometry once the receiver confirmed', async () => {
      const { status, body } = await post('?name=cat.png', PNG, 'application/octet-stream');
      expect(status).toBe(201);
      expect(body).toMatchObject({ id: 'img-1', sha256: PNG_SHA, bytes: PNG.length, contentType: 'image/png', width: 451, height: 300, receiver: '10.9.8.7:5000' });
      expect((body['stats'] as Record<string, number>)['chunksRetransmitted']).toBe(3);
      expect(client.sends[0].meta).toEqual({ name: 'cat.png', contentType: 'image/png', width: 451, height: 300 });
      expect(client.sends[0].bytes.equals(PNG)).toBe(true);
    });

    it('sends to the receiver named by `to`', async () => {
      await post('?to=receiver.local:6000', PNG);
      expect(client.sends[0].to).toEqual({ host: 'receiver.local', port: 6000 });
    });

    it('answers 202 with a Location when wait=false, and the transfer can be followed there', async () => {
      client.behaviour = { kind: 'hold' };
      const { status, headers, body } = await post('?wait=false', PNG);
      expect(status).toBe(202);
      const location = headers.get('location');
      expect(location).toBe(`/v1/transfers/${String(body['id'])}`);
      const during = (await (await fetch(`${base}${location}`)).json()) as Record<string, unknown>;
      expect(during).toMatchObject({ state: 'sending', bytes: PNG.length, sha256: PNG_SHA });
      FakeImageClient.complete(client.sends[0]);
      await app.get(TransfersService).whenFinished(String(body['id']));
      const after = (await (await fetch(`${base}${location}`)).json()) as Record<string, unknown>;
      expect(after).toMatchObject({ state: 'completed', result: { id: 'img-1', sha256: PNG_SHA } });
    });

    it.each([
      ['rejected', 'HASH_MISMATCH', 502],
      ['rejected', 'APPLICATION', 502],
      ['unreachable', 'TIMEOUT', 504],
      ['unreachable', 'UNREACHABLE', 504],
      ['unavailable', 'CLOSED', 503],
    ] as const)('maps a %s send (%s) to %d problem+json', async (failure, code, status) => {
      client.behaviour = { kind: 'fail', failure, code };
      const answer = await post('', PNG);
      expect(answer.status).toBe(status);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status, code, receiver: '10.9.8.7:5000' });
    });

    it('answers 415 for bytes that are not an image, whatever the Content-Type says', async () => {
      const answer = await post('', Buffer.from('definitely not a PNG'), 'image/png');
      expect(answer.status).toBe(415);
      expect(answer.body).toMatchObject({ code: 'NOT_AN_IMAGE' });
      expect(client.sends).toHaveLength(0);
    });

    it('answers 415 for a truncated image', async () => {
      expect((await post('', PNG.subarray(0, 1000))).body).toMatchObject({ status: 415, code: 'CORRUPT' });
    });

    it('answers 415 for a Content-Type that is not image/* or octet-stream', async () => {
      expect((await post('', PNG, 'application/json')).body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('answers 400 naming a bad parameter', async () => {
      const answer = await post('?to=nowhere&wait=perhaps', PNG);
      expect(answer.status).toBe(400);
      expect((answer.body['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['to', 'wait']);
    });

    it('answers 503 when UDPIX_MAX_TRANSFERS are in flight', async () => {
      await app.close();
      await boot({ UDPIX_MAX_TRANSFERS: '1' });
      client.behaviour = { kind: 'hold' };
      expect((await post('?wait=false', PNG)).status).toBe(202);
      expect((await post('', PNG)).body).toMatchObject({ status: 503, code: 'TOO_MANY_TRANSFERS' });
    });
  });

  describe('limits', () => {
    it('answers 413 for a body over UDPIX_MAX_BYTES', async () => {
      await app.close();
      await boot({ UDPIX_MAX_BYTES: '100000' });
      const answer = await post('', PNG);
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ code: 'TOO_LARGE' });
      expect(answer.headers.get('connection')).toBe('close');
    });

    it('answers 413 to a chunked upload without reading it to the end', async () => {
      await app.close();
      await boot({ UDPIX_MAX_BYTES: '100000' });
      let produced = 0;
      const chunk = new Uint8Array(64 * 1024);
      // 1 GB on offer, no Content-Length: only the running count can stop it.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (produced >= 1024 ** 3) return controller.close();
          produced += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const res = await fetch(`${base}/v1/images`, { method: 'POST', body, headers: { 'content-type': 'image/png' }, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as Record<string, unknown>)['code']).toBe('TOO_LARGE');
      // What the client managed to push into socket buffers before the server said no, not the gigabyte.
      expect(produced).toBeLessThan(32 * 1024 * 1024);
    });

    it('answers 413 for an image with more pixels than UDPIX_MAX_PIXELS', async () => {
      await app.close();
      await boot({ UDPIX_MAX_PIXELS: '1000' });
      expect((await post('', PNG)).body).toMatchObject({ status: 413, code: 'TOO_MANY_PIXELS' });
    });
  });

  describe('shutdown', () => {
    it('refuses new uploads with 503 while the one in flight finishes, and still answers it', async () => {
      client.behaviour = { kind: 'hold' };
      const sent = client.nextSend();
      const waiting = post('', PNG);
      const send = await sent;
      closed = true;
      const closing = app.close();
      expect((await post('', PNG)).body).toMatchObject({ status: 503, code: 'DRAINING' });
      expect((await fetch(`${base}/health`)).status).toBe(503);
      FakeImageClient.complete(send);
      expect((await waiting).status).toBe(201);
      await closing;
    });
  });

  describe('the rest of the API', () => {
    it('answers 404 for an unknown transfer and 400 for a malformed id', async () => {
      expect((await fetch(`${base}/v1/transfers/9b2f7f8e-3f43-4a52-9a3a-6c1f3c2b8f10`)).status).toBe(404);
      expect((await fetch(`${base}/v1/transfers/nope`)).status).toBe(400);
    });

    it('serves /health, /metrics and an OpenAPI document with every route', async () => {
      expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ status: 'ok', service: 'sender' });
      await post('', PNG);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('udpix_sender_transfers_total{outcome="completed"} 1');
      expect(metrics).toContain('udpix_sender_transfer_duration_seconds_bucket');
      const doc = (await (await fetch(`${base}/docs-json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
      expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/metrics', '/v1/images', '/v1/transfers/{id}']);
      expect(JSON.stringify(doc.paths['/v1/images']['post'].requestBody)).toContain('"format":"binary"');
    });
  });
});
