/**
 * Integration: two real Nest microservices on loopback (ports 0). "receiver"
 * runs ServerUdp with @MessagePattern/@EventPattern handlers; "sender" runs
 * its own ServerUdp and holds a ClientUdp aimed at the receiver.
 */
import { Controller, Inject, Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { ClientUdp } from './client-udp';
import type { UdpRequestEvent } from './udp.events';
import { UdpRecord } from './helpers/udp-record';
import { ServerUdp } from './server-udp';
import { UdpContext } from './udp.context';
import { UdpTransportError } from './helpers/udp-errors';
import type { UdpClientOptions, UdpServerOptions } from './helpers/udp-options';

const CLIENT = Symbol('CLIENT');
const KEY = 'a shared secret of enough bytes!';
/** Fast loopback pacing; the protocol's own knobs otherwise. */
const FAST = { rate: 500_000_000, endpoint: { sender: { burstDatagrams: 64 } } };

interface ReceivedEvent {
  data: { image: Buffer; name: string };
  ctx: UdpContext;
}

/** What the receiver's handlers saw, resolved as they run. */
class Inbox {
  private waiters: Array<(e: ReceivedEvent) => void> = [];
  readonly events: ReceivedEvent[] = [];
  push(e: ReceivedEvent): void {
    this.events.push(e);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(e);
  }
  next(): Promise<ReceivedEvent> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
const inbox = new Inbox();

@Controller()
class ReceiverController {
  @MessagePattern('sha256')
  sha256(@Payload() data: Buffer, @Ctx() ctx: UdpContext): { sha256: string; bytes: number; transferSha: string } {
    return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, transferSha: ctx.getOffer().sha256 };
  }

  @MessagePattern({ cmd: 'blob' })
  blob(@Payload() n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = i & 0xff;
    return out;
  }

  @MessagePattern('boom')
  boom(): never {
    throw new RpcException('boom: the handler failed');
  }

  @MessagePattern('quota')
  quota(): never {
    throw new RpcException({ code: 'QUOTA_EXCEEDED', message: 'the store is full' });
  }

  @MessagePattern('transfer-id')
  transferId(@Ctx() ctx: UdpContext): string {
    return ctx.getTransferId();
  }

  @MessagePattern('count')
  count(@Payload() n: number) {
    return of(...Array.from({ length: n }, (_, i) => i + 1));
  }

  @MessagePattern('meta')
  meta(@Payload() data: { image: Buffer; name: string }, @Ctx() ctx: UdpContext) {
    return { name: ctx.getOffer().name, contentType: ctx.getOffer().contentType, pattern: ctx.getPattern(), len: data.image.length };
  }

  @EventPattern('image')
  async image(@Payload() data: { image: Buffer; name: string }, @Ctx() ctx: UdpContext): Promise<void> {
    await Promise.resolve();
    inbox.push({ data, ctx });
  }
}

@Module({ controllers: [ReceiverController] })
class ReceiverModule {}

@Injectable()
class SenderService {
  constructor(@Inject(CLIENT) readonly client: ClientUdp) {}
}

function senderModule(client: ClientUdp) {
  @Module({ providers: [{ provide: CLIENT, useValue: client }, SenderService] })
  class SenderModule {}
  return SenderModule;
}

async function startReceiver(options: UdpServerOptions = {}): Promise<{ app: INestMicroservice; server: ServerUdp; port: number }> {
  const server = new ServerUdp({ host: '127.0.0.1', port: 0, ...FAST, ...options });
  const app = await NestFactory.createMicroservice(ReceiverModule, { strategy: server, logger: false });
  await app.listen();
  const port = server.unwrap<Socket>().address().port;
  return { app, server, port };
}

async function startSender(port: number, options: UdpClientOptions = {}): Promise<{ app: INestMicroservice; client: ClientUdp }> {
  const client = new ClientUdp({ host: '127.0.0.1', port, ...FAST, ...options });
  const moduleRef = await Test.createTestingModule({ imports: [senderModule(client)] }).compile();
  const app = moduleRef.createNestMicroservice({ strategy: new ServerUdp({ host: '127.0.0.1', port: 0 }), logger: false });
  await app.listen();
  const service = app.get(SenderService);
  await service.client.connect();
  return { app, client: service.client };
}

describe('ServerUdp and ClientUdp between two Nest microservices', () => {
  let receiver: { app: INestMicroservice; server: ServerUdp; port: number };
  let sender: { app: INestMicroservice; client: ClientUdp };

  beforeAll(async () => {
    receiver = await startReceiver();
    sender = await startSender(receiver.port);
  });

  afterAll(async () => {
    await sender?.client.close();
    await sender?.app.close();
    await receiver?.app.close();
  });

  it('sends a 5 MB Buffer and gets back its SHA-256 from a @MessagePattern', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    const expected = createHash('sha256').update(data).digest('hex');
    const reply = await firstValueFrom(sender.client.send<{ sha256: string; bytes: number; transferSha: string }>('sha256', data));
    expect(reply).toEqual({ sha256: expected, bytes: data.length, transferSha: expected });
  });

  it('emits an event with {image, name} and the handler gets identical bytes', async () => {
    const image = randomBytes(300_000);
    const arrived = inbox.next();
    const result = await lastValueFrom(sender.client.emit('image', { image, name: 'cat.jpg', contentType: 'image/jpeg' }));
    const { data, ctx } = await arrived;
    expect(Buffer.isBuffer(data.image)).toBe(true);
    expect(data.image.equals(image)).toBe(true);
    expect(data.name).toBe('cat.jpg');
    expect(ctx.getOffer()).toMatchObject({ name: 'cat.jpg', contentType: 'image/jpeg', size: image.length });
    expect(ctx.getPattern()).toBe('image');
    expect(result).toMatchObject({ bytes: image.length, sha256: createHash('sha256').update(image).digest('hex') });
  });

  it('sends binary as bytes: the transfer is the buffer, with a small header', async () => {
    const image = randomBytes(100_000);
    const reply = await firstValueFrom(sender.client.send('meta', { image, name: 'x.png', contentType: 'image/png' }));
    expect(reply).toEqual({ name: 'x.png', contentType: 'image/png', pattern: 'meta', len: image.length });
  });

  it('brings a large response (> 256 bytes) back as a reply transfer', async () => {
    const started: string[] = [];
    sender.client.on('started', (e) => started.push(e.transferId));
    const reply = await firstValueFrom(sender.client.send<Buffer>({ cmd: 'blob' }, 200_000));
    expect(Buffer.isBuffer(reply)).toBe(true);
    expect(reply.length).toBe(200_000);
    expect(reply[255]).toBe(255);
    expect(reply[256]).toBe(0);
    expect(started.length).toBe(1);
  });

  it('carries a small binary response in COMPLETE (no reply transfer)', async () => {
    const before = sender.client.getDriver()?.endpoint.counters.transfersStarted.receiver;
    const reply = await firstValueFrom(sender.client.send<Buffer>({ cmd: 'blob' }, 64));
    expect(reply.length).toBe(64);
    expect(sender.client.getDriver()?.endpoint.counters.transfersStarted.receiver).toBe(before);
  });

  it('returns every value of an Observable, in order', async () => {
    const values = await lastValueFrom(sender.client.send<number>('count', 4).pipe(toArray()));
    expect(values).toEqual([1, 2, 3, 4]);
  });

  it('turns a handler error into an error of client.send', async () => {
    await expect(firstValueFrom(sender.client.send('boom', {}))).rejects.toEqual({ status: 'error', message: 'boom: the handler failed' });
  });

  it('hands an RpcException\'s {code, message} to the caller unchanged', async () => {
    await expect(firstValueFrom(sender.client.send('quota', {}))).rejects.toEqual({ code: 'QUOTA_EXCEEDED', message: 'the store is full' });
  });

  it('emits a request event naming the transfer that carries each send and emit', async () => {
    const seen: UdpRequestEvent[] = [];
    const listener = (e: UdpRequestEvent): void => void seen.push(e);
    sender.client.on('request', listener);
    const serverSide = await firstValueFrom(sender.client.send<string>('transfer-id', {}));
    const emitted = await lastValueFrom(sender.client.emit('image', { image: Buffer.alloc(10), name: 'e.png' }));
    expect(seen).toEqual([
      { kind: 'req', requestId: expect.any(String), pattern: 'transfer-id', transferId: serverSide, target: `127.0.0.1:${receiver.port}` },
      { kind: 'evt', requestId: undefined, pattern: 'image', transferId: (emitted as { transferId: string }).transferId, target: `127.0.0.1:${receiver.port}` },
    ]);
  });

  it('sendWithTransfer resolves with the transfer id the server sees, then the response', async () => {
    const sent = await sender.client.sendWithTransfer<string>('transfer-id', {});
    expect(sent.target).toBe(`127.0.0.1:${receiver.port}`);
    expect(await lastValueFrom(sent.response$)).toBe(sent.transferId);
    // Replayed to a late subscriber.
    expect(await lastValueFrom(sent.response$)).toBe(sent.transferId);
  });

  it('sends to another server from the same socket with a UdpRecord target', async () => {
    const other = await startReceiver();
    try {
      const port = sender.client.unwrap<Socket>().address().port;
      const started: string[] = [];
      other.server.on('started', (e) => started.push(e.peer));
      const data = randomBytes(50_000);
      const viaRecord = await firstValueFrom(sender.client.send<{ sha256: string }>('sha256', new UdpRecord(data, { target: `127.0.0.1:${other.port}` })));
      const viaName = await sender.client.sendWithTransfer<{ sha256: string }>('sha256', new UdpRecord(data, { target: { host: 'localhost', port: other.port } }));
      expect(viaName.target).toBe(`127.0.0.1:${other.port}`);
      expect((await lastValueFrom(viaName.response$)).sha256).toBe(viaRecord.sha256);
      await lastValueFrom(sender.client.emit('image', new UdpRecord({ image: data, name: 'o.png' }, { target: `127.0.0.1:${other.port}` })));
      expect(started).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `127.0.0.1:${port}`]);
      // The default target is untouched.
      expect(await firstValueFrom(sender.client.send<string>('transfer-id', {}))).toMatch(/^[0-9a-f]{16}$/);
    } finally {
      await other.app.close();
    }
  });

  it('fails a request for a pattern without handler', async () => {
    await expect(firstValueFrom(sender.client.send('nobody-home', { x: 1 }))).rejects.toBe(
      'There is no matching message handler defined in the remote service.',
    );
  });

  it('runs concurrent requests', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => randomBytes(10_000 + i * 20_000));
    const replies = await Promise.all(inputs.map((d) => firstValueFrom(sender.client.send<{ sha256: string }>('sha256', d))));
    replies.forEach((r, i) => expect(r.sha256).toBe(createHash('sha256').update(inputs[i]).digest('hex')));
    expect(sender.client.pendingCount()).toBe(0);
  });
});

describe('ServerUdp and ClientUdp in authenticated mode', () => {
  let receiver: { app: INestMicroservice; server: ServerUdp; port: number };
  const clients: ClientUdp[] = [];

  beforeAll(async () => {
    receiver = await startReceiver({ key: KEY });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await receiver?.app.close();
  });

  it('works with the same key on both sides', async () => {
    const client = new ClientUdp({ host: '127.0.0.1', port: receiver.port, key: KEY, ...FAST });
    clients.push(client);
    const data = randomBytes(200_000);
    const reply = await firstValueFrom(client.send<{ sha256: string }>('sha256', data));
    expect(reply.sha256).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('times out with a clear error when the client has a wrong key', async () => {
    const client = new ClientUdp({ host: '127.0.0.1', port: receiver.port, key: 'another secret, also long enough', requestTimeoutMs: 800, ...FAST });
    clients.push(client);
    const error = await firstValueFrom(client.send('sha256', randomBytes(1000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UdpTransportError);
    expect((error as UdpTransportError).code).toBe('TIMEOUT');
    expect((error as UdpTransportError).message).toMatch(/no response to request "sha256" .* within 800 ms .*keys differ/);
    expect(receiver.server.getDriver()?.endpoint.counters.dropped['BAD_AUTH']).toBeGreaterThan(0);
  });
});
