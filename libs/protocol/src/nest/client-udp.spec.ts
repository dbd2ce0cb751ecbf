import { Logger } from '@nestjs/common';
import { createSocket, type Socket } from 'node:dgram';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { Endpoint, type EndpointEvent } from '../core';
import { UdpEndpointDriver, formatPeerAddress } from '../node';
import { Reason } from '../wire';
import { ClientUdp } from './client-udp';
import type { UdpStatus } from './udp.events';
import { encodeForOffer } from './helpers/udp-envelope';
import { UdpTransportError } from './helpers/udp-errors';
import { UdpOptionsError } from './helpers/udp-options';

/** A socket that swallows everything: a server that never answers. */
async function blackHole(): Promise<{ port: number; close: () => void }> {
  const socket = createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { port: socket.address().port, close: () => socket.close() };
}

/** A bare receiving endpoint that never commits: requests stay in flight until someone gives up. */
async function silentServer(): Promise<{ driver: UdpEndpointDriver; port: number; events: EndpointEvent[]; next: (type: string) => Promise<EndpointEvent> }> {
  const driver = new UdpEndpointDriver(new Endpoint(), { host: '127.0.0.1' });
  const events: EndpointEvent[] = [];
  const waiters: Array<{ type: string; resolve: (e: EndpointEvent) => void }> = [];
  driver.on('event', (e) => {
    events.push(e);
    for (const w of waiters.filter((x) => x.type === e.type)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  });
  const { port } = await driver.bind();
  return { driver, port, events, next: (type) => new Promise((resolve) => waiters.push({ type, resolve })) };
}

describe('ClientUdp', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('constructor', () => {
    it('validates options and names the bad one', () => {
      expect(() => new ClientUdp({ requestTimeoutMs: -1 })).toThrow(UdpOptionsError);
      expect(() => new ClientUdp({ limits: { maxTransfers: 0 } })).toThrow(/invalid option "limits.maxTransfers"/);
    });
  });

  describe('unwrap', () => {
    it('throws when not connected, returns the dgram socket once connected', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      expect(() => client.unwrap()).toThrow(/not connected/);
      await client.connect();
      expect(client.unwrap<Socket>().address().port).toBeGreaterThan(0);
      await client.close();
      expect(() => client.unwrap()).toThrow(/not connected/);
    });
  });

  describe('connect', () => {
    it('binds once (same promise) and tells listeners', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      const ports: number[] = [];
      client.on('listening', (a) => ports.push(a.port));
      const a = client.connect();
      expect(client.connect()).toBe(a);
      const address = await a;
      expect(ports).toEqual([address.port]);
      await client.close();
    });

    it('resolves a host name once, to the address replies come from', async () => {
      const server = await silentServer();
      const client = new ClientUdp({ host: 'localhost', port: server.port, localHost: '127.0.0.1' });
      await client.connect();
      const started = server.next('started');
      const sub = client.send('x', 1).subscribe({ error: () => undefined });
      expect(await started).toMatchObject({ type: 'started' });
      sub.unsubscribe();
      await client.close();
      await server.driver.close();
    });
  });

  describe('status', () => {
    it('emits connecting, listening, closed', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      const seen: UdpStatus[] = [];
      const sub = client.status.subscribe((s) => seen.push(s));
      await client.connect();
      await client.close();
      sub.unsubscribe();
      expect(seen).toEqual(['connecting', 'listening', 'closed']);
    });
  });

  describe('close', () => {
    it('fails every pending request and event with a clear error', async () => {
      const hole = await blackHole();
      const client = new ClientUdp({ port: hole.port, localHost: '127.0.0.1' });
      await client.connect();
      const request = firstValueFrom(client.send('sum', [1, 2])).catch((e: unknown) => e);
      const event = lastValueFrom(client.emit('image', { image: Buffer.alloc(10) })).catch((e: unknown) => e);
      await new Promise<void>((resolve) => {
        const check = (): void => (client.pendingCount() === 2 ? resolve() : void setImmediate(check));
        check();
      });
      await client.close();
      hole.close();
      const [r, e] = await Promise.all([request, event]);
      expect(r).toBeInstanceOf(UdpTransportError);
      expect(r).toMatchObject({ code: 'CLOSED', message: 'ClientUdp: closed while request "sum" was pending' });
      expect(e).toMatchObject({ code: 'CLOSED', message: 'ClientUdp: closed while event "image" was in flight' });
      expect(client.pendingCount()).toBe(0);
    });
  });

  describe('send', () => {
    it('fails a request that gets no answer within requestTimeoutMs, and aborts its transfer', async () => {
      const hole = await blackHole();
      const client = new ClientUdp({ port: hole.port, localHost: '127.0.0.1', requestTimeoutMs: 150 });
      const err = await firstValueFrom(client.send('sum', { a: 1 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UdpTransportError);
      expect(err).toMatchObject({ code: 'TIMEOUT' });
      expect((err as Error).message).toMatch(/^ClientUdp: no response to request "sum" from 127\.0\.0\.1:\d+ within 150 ms/);
      expect(client.pendingCount()).toBe(0);
      expect(client.getDriver()?.endpoint.transfers()).toEqual([]);
      await client.close();
      hole.close();
    });

    it('fails at once for data that cannot travel', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      await expect(firstValueFrom(client.send('x', { deep: { image: Buffer.alloc(1) } }))).rejects.toThrow(/nested field "image"/);
      expect(client.pendingCount()).toBe(0);
      await client.close();
    });
  });

  describe('publish', () => {
    it('returns a clean-up that aborts the transfer and forgets the request', async () => {
      const server = await silentServer();
      const client = new ClientUdp({ port: server.port, localHost: '127.0.0.1' });
      await client.connect();
      const started = server.next('started');
      const sub = client.send('upload', Buffer.alloc(3_000_000)).subscribe({ error: () => undefined });
      await started;
      const failed = server.next('failed');
      sub.unsubscribe();
      expect(client.pendingCount()).toBe(0);
      expect(await failed).toMatchObject({ type: 'failed', role: 'receiver', reason: Reason.CANCELLED });
      expect(client.getDriver()?.endpoint.transfers()).toEqual([]);
      await client.close();
      await server.driver.close();
    });
  });

  describe('unsolicited transfers', () => {
    it('aborts a transfer that is not a reply to a pending request', async () => {
      const server = await silentServer();
      const client = new ClientUdp({ port: server.port, localHost: '127.0.0.1' });
      const address = await client.connect();
      const enc = encodeForOffer({ kind: 'res', id: 'nobody', data: Buffer.alloc(5000) }, { maxDatagram: 1472 });
      const sent = server.driver.send(formatPeerAddress('127.0.0.1', address.port), { data: enc.body, metadata: enc.metadata });
      if (!sent.ok) throw new Error(sent.message);
      const failed = await server.next('failed');
      expect(failed).toMatchObject({ role: 'sender', reason: Reason.APPLICATION });
      await client.close();
      await server.driver.close();
    });
  });
});
