/**
 * Integration: the sender app (HTTP on port 0, a real ClientUdp) and a
 * minimal receiver (a Nest microservice on ServerUdp, port 0, with an 'image'
 * @MessagePattern that hashes what it got), both on loopback.
 */
import { Controller, Module, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ServerUdp } from '@udpix/protocol';
import { listenOnFreePort, loadConfig } from '@udpix/service-kit';
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SenderConfig } from './app/config/sender-config';
import { createSenderApp } from './app/sender-app';
import { TransfersService } from './app/transfers/transfers.service';

const PNG = readFileSync(join(__dirname, '../../../fixtures/images/chelsea.png'));
const PNG_SHA = createHash('sha256').update(PNG).digest('hex');
const KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

interface ImageMessage {
  image: Buffer;
  name: string;
  contentType: string;
  width: number;
  height: number;
}

const received: ImageMessage[] = [];

@Controller()
class ImageSinkController {
  @MessagePattern('image')
  image(@Payload() data: ImageMessage): { id: string; sha256: string; bytes: number; storedAt: string } {
    received.push(data);
    return { id: `img-${received.length}`, sha256: createHash('sha256').update(data.image).digest('hex'), bytes: data.image.length, storedAt: new Date().toISOString() };
  }
}

@Module({ controllers: [ImageSinkController] })
class ImageSinkModule {}

async function startReceiver(): Promise<{ app: INestMicroservice; port: number; server: ServerUdp }> {
  const server = new ServerUdp({ host: '127.0.0.1', port: 0, key: Buffer.from(KEY, 'hex'), rate: 500_000_000 });
  const app = await NestFactory.createMicroservice(ImageSinkModule, { strategy: server, logger: false });
  await app.listen();
  return { app, port: server.unwrap<Socket>().address().port, server };
}

/** A loopback UDP port with nobody behind it: bound once to learn a free number, then closed. */
async function deadPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

async function startSender(receiverPort: number, env: Record<string, string> = {}): Promise<{ app: INestApplication; base: string }> {
  const config = loadConfig(SenderConfig, {
    UDPIX_RECEIVER: `127.0.0.1:${receiverPort}`,
    UDPIX_UDP_HOST: '127.0.0.1',
    UDPIX_KEY: KEY,
    UDPIX_RATE_BYTES_PER_SEC: '500000000',
    UDPIX_DRAIN_TIMEOUT_MS: '1000',
    ...env,
  });
  const app = await createSenderApp(config, { logger: false });
  return { app, base: await listenOnFreePort(app) };
}

describe('POST /v1/images over udpix to a ServerUdp receiver', () => {
  describe('with the receiver up', () => {
    let receiver: { app: INestMicroservice; port: number; server: ServerUdp };
    let sender: { app: INestApplication; base: string };

    beforeAll(async () => {
      receiver = await startReceiver();
      sender = await startSender(receiver.port);
    });

    afterAll(async () => {
      await sender?.app.close();
      await receiver?.app.close();
    });

    it('delivers chelsea.png and answers 201 with the sha256 the receiver computed', async () => {
      const res = await fetch(`${sender.base}/v1/images?name=chelsea.png`, { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(201);
      expect(body).toMatchObject({ sha256: PNG_SHA, bytes: PNG.length, contentType: 'image/png', width: 451, height: 300, receiver: `127.0.0.1:${receiver.port}` });
      expect(body['id']).toBe(`img-${received.length}`);
      expect(body['stats']).toMatchObject({ chunksSent: expect.any(Number) });
      const last = received[received.length - 1];
      expect(Buffer.isBuffer(last.image) && last.image.equals(PNG)).toBe(true);
      expect(last).toMatchObject({ name: 'chelsea.png', contentType: 'image/png', width: 451, height: 300 });

      const transfer = (await (await fetch(`${sender.base}/v1/transfers/${String(body['transfer'])}`)).json()) as Record<string, unknown>;
      expect(transfer).toMatchObject({ state: 'completed', transferId: expect.stringMatching(/^[0-9a-f]{16}$/), result: { sha256: PNG_SHA } });
    });

    it('sends to another receiver (?to=) from the same UDP socket', async () => {
      const other = await startReceiver();
      try {
        const peers = new Set<string>();
        receiver.server.on('started', (e) => peers.add(e.peer));
        other.server.on('started', (e) => peers.add(e.peer));
        const res = await fetch(`${sender.base}/v1/images?to=127.0.0.1:${other.port}`, { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
        expect(res.status).toBe(201);
        expect(await res.json()).toMatchObject({ sha256: PNG_SHA, receiver: `127.0.0.1:${other.port}` });
        const again = await fetch(`${sender.base}/v1/images?to=localhost:${other.port}`, { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
        expect(again.status).toBe(201);
        expect((await fetch(`${sender.base}/v1/images`, { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } })).status).toBe(201);
        // Both receivers saw the same sender address: one socket for all.
        expect(peers.size).toBe(1);
      } finally {
        await other.app.close();
      }
    });

    it('answers 202 and completes in the background with wait=false', async () => {
      const res = await fetch(`${sender.base}/v1/images?wait=false`, { method: 'POST', body: PNG, headers: { 'content-type': 'application/octet-stream' } });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      expect(res.headers.get('location')).toBe(`/v1/transfers/${id}`);
      await sender.app.get(TransfersService).whenFinished(id);
      const transfer = (await (await fetch(`${sender.base}/v1/transfers/${id}`)).json()) as Record<string, unknown>;
      expect(transfer).toMatchObject({ state: 'completed', bytesConfirmed: PNG.length, result: { sha256: PNG_SHA } });
    });
  });

  describe('with the receiver down', () => {
    it('answers 504 within UDPIX_TIMEOUT_MS', async () => {
      const sender = await startSender(await deadPort(), { UDPIX_TIMEOUT_MS: '1500' });
      try {
        const started = Date.now();
        const res = await fetch(`${sender.base}/v1/images`, { method: 'POST', body: PNG, headers: { 'content-type': 'image/png' } });
        const elapsed = Date.now() - started;
        expect(res.status).toBe(504);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(((await res.json()) as Record<string, unknown>)['code']).toMatch(/^(TIMEOUT|UNREACHABLE)$/);
        expect(elapsed).toBeLessThan(1500 + 1000);
      } finally {
        await sender.app.close();
      }
    });
  });
});
