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
import { UdpRecord, UdpRecordBuilder } from './helpers/udp-record';

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
      const err = await firstValueFrom(client.send('x', { deep: { image: Buffer.alloc(1) } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UdpTransportError);
      expect(err).toMatchObject({ code: 'BAD_ENVELOPE', local: true, message: expect.stringMatching(/nested field "image"/) });
      expect(client.pendingCount()).toBe(0);
      await client.close();
    });

    it('fails with a local TOO_MANY_TRANSFERS when its own limits.maxTransfers is reached', async () => {
      const hole = await blackHole();
      const client = new ClientUdp({ port: hole.port, localHost: '127.0.0.1', limits: { maxTransfers: 1 } });
      const first = firstValueFrom(client.send('sum', 1)).catch((e: unknown) => e);
      const err = await firstValueFrom(client.send('sum', 2)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UdpTransportError);
      expect(err).toMatchObject({ code: 'TOO_MANY_TRANSFERS', local: true });
      await client.close();
      expect(await first).toMatchObject({ code: 'CLOSED', local: true });
      hole.close();
    });

    it('fails with a local BAD_TARGET for a UdpRecord target that is not an address', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      for (const target of ['no-port', '::1:80', { host: '127.0.0.1', port: 0 }]) {
        const err = await firstValueFrom(client.send('x', new UdpRecord(1, { target }))).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'BAD_TARGET', local: true });
      }
      const unresolvable = new UdpRecordBuilder(1).setTarget('no-such-host.invalid:5000').build();
      expect(await firstValueFrom(client.send('x', unresolvable)).catch((e: unknown) => e)).toMatchObject({ code: 'BAD_TARGET', local: true });
      expect(client.pendingCount()).toBe(0);
      await client.close();
    });

    it('sends to a UdpRecord target instead of the configured server', async () => {
      const hole = await blackHole();
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1', requestTimeoutMs: 100 });
      const err = await firstValueFrom(client.send('sum', new UdpRecord([1, 2], { target: `127.0.0.1:${hole.port}` }))).catch((e: unknown) => e);
      expect((err as Error).message).toContain(`from 127.0.0.1:${hole.port} within 100 ms`);
      await client.close();
      hole.close();
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

  describe('sendWithTransfer', () => {
    it('resolves once the transfer started, with its id, and emits the request event', async () => {
      const server = await silentServer();
      const client = new ClientUdp({ port: server.port, localHost: '127.0.0.1' });
      const events: unknown[] = [];
      client.on('request', (e) => events.push(e));
      const started = server.next('started');
      const sent = await client.sendWithTransfer('upload', Buffer.alloc(100_000));
      expect(sent).toMatchObject({ requestId: expect.any(String), transferId: expect.stringMatching(/^[0-9a-f]{16}$/), target: `127.0.0.1:${server.port}` });
      expect(events).toEqual([{ kind: 'req', requestId: sent.requestId, pattern: 'upload', transferId: sent.transferId, target: sent.target }]);
      expect((await started).transferId).toBe(sent.transferId);
      expect(client.transfers()).toEqual([expect.objectContaining({ transferId: sent.transferId, role: 'sender' })]);
      expect(client.counters()?.transfersStarted.sender).toBe(1);
      // Unsubscribing before the end cancels the request, as with send().
      const failed = server.next('failed');
      const sub = sent.response$.subscribe({ error: () => undefined });
      sub.unsubscribe();
      expect(await failed).toMatchObject({ role: 'receiver', reason: Reason.CANCELLED });
      expect(client.pendingCount()).toBe(0);
      await client.close();
      await server.driver.close();
    });

    it('rejects when the transfer cannot start', async () => {
      const client = new ClientUdp({ port: 9, localHost: '127.0.0.1' });
      await expect(client.sendWithTransfer('x', new UdpRecord(1, { target: 'nonsense' }))).rejects.toMatchObject({ code: 'BAD_TARGET', local: true });
      await client.close();
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

    it('aborts a reply to a pending request that comes from another server than the request went to', async () => {
      const server = await silentServer();
      const impostor = await silentServer();
      const client = new ClientUdp({ port: server.port, localHost: '127.0.0.1' });
      const sent = await client.sendWithTransfer('sum', [1, 2]);
      const enc = encodeForOffer({ kind: 'res', id: sent.requestId, data: Buffer.alloc(5000), isDisposed: true }, { maxDatagram: 1472 });
      const r = impostor.driver.send(formatPeerAddress('127.0.0.1', client.unwrap<Socket>().address().port), { data: enc.body, metadata: enc.metadata });
      if (!r.ok) throw new Error(r.message);
      expect(await impostor.next('failed')).toMatchObject({ role: 'sender', reason: Reason.APPLICATION });
      expect(client.pendingCount()).toBe(1);
      await client.close();
      await server.driver.close();
      await impostor.driver.close();
    });
  });
});
