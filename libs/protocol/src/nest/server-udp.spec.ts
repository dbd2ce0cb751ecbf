import { createSocket, type Socket } from 'node:dgram';
import { Logger } from '@nestjs/common';
import { Endpoint, type EndpointEvent } from '../core';
import { UdpEndpointDriver, formatPeerAddress } from '../node';
import { Reason } from '../wire';
import { ServerUdp, UDP_TRANSPORT } from './server-udp';
import { UdpContext } from './udp.context';
import type { UdpStatus } from './udp.events';
import { decodeInline, encodeForOffer, type EnvelopeMessage } from './helpers/udp-envelope';
import { UdpOptionsError } from './helpers/udp-options';

type Finished = Extract<EndpointEvent, { type: 'completed' | 'failed' }>;

/** A bare endpoint standing in for a client: sends envelopes, reports how each transfer ended. */
class RawPeer {
  readonly driver = new UdpEndpointDriver(new Endpoint({ config: { sender: { rateBytesPerSec: 1e8 } } }), { host: '127.0.0.1' });
  private readonly waiters = new Map<string, (e: Finished) => void>();
  readonly finished = new Map<string, Finished>();

  constructor() {
    this.driver.on('event', (e) => {
      if (e.role !== 'sender' || (e.type !== 'completed' && e.type !== 'failed')) return;
      this.finished.set(e.transferId, e);
      this.waiters.get(e.transferId)?.(e);
    });
  }

  send(to: string, message: EnvelopeMessage): { id: string; done: Promise<Finished> } {
    const enc = encodeForOffer(message, { maxDatagram: 1472 });
    const r = this.driver.send(to, { data: enc.body, metadata: enc.metadata, name: enc.name, contentType: enc.contentType });
    if (!r.ok) throw new Error(r.message);
    const id = r.transferId;
    return { id, done: new Promise((resolve) => this.waiters.set(id, resolve)) };
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function listen(server: ServerUdp): Promise<unknown> {
  return new Promise((resolve) => server.listen((err?: unknown) => resolve(err)));
}

describe('ServerUdp', () => {
  beforeAll(() => Logger.overrideLogger(false));

  describe('constructor', () => {
    it('validates options and names the bad one', () => {
      expect(() => new ServerUdp({ port: -1 })).toThrow(UdpOptionsError);
      expect(() => new ServerUdp({ rate: 0 })).toThrow(/invalid option "rate"/);
    });

    it('has its own transport id', () => {
      expect(new ServerUdp().transportId).toBe(UDP_TRANSPORT);
    });
  });

  describe('unwrap', () => {
    it('throws when not listening, returns the socket while listening', async () => {
      const server = new ServerUdp({ host: '127.0.0.1', port: 0 });
      expect(() => server.unwrap()).toThrow(/not listening/);
      await listen(server);
      expect(server.unwrap<Socket>().address().port).toBeGreaterThan(0);
      await server.close();
      expect(() => server.unwrap()).toThrow(/not listening/);
    });
  });

  describe('status', () => {
    it('emits listening, then closed', async () => {
      const server = new ServerUdp({ host: '127.0.0.1', port: 0 });
      const seen: UdpStatus[] = [];
      const sub = server.status.subscribe((s) => seen.push(s));
      await listen(server);
      await server.close();
      sub.unsubscribe();
      expect(seen).toEqual(['listening', 'closed']);
    });
  });

  describe('on', () => {
    it('calls listening and close listeners', async () => {
      const server = new ServerUdp({ host: '127.0.0.1', port: 0 });
      const calls: string[] = [];
      server.on('listening', (a) => calls.push(`listening ${a.port > 0}`));
      server.on('close', () => calls.push('close'));
      await listen(server);
      await server.close();
      expect(calls).toEqual(['listening true', 'close']);
    });
  });

  describe('listen', () => {
    it('calls back with the error when the port is taken', async () => {
      const taken = createSocket('udp4');
      await new Promise<void>((r) => taken.bind(0, '127.0.0.1', r));
      const server = new ServerUdp({ host: '127.0.0.1', port: taken.address().port });
      const seen: UdpStatus[] = [];
      server.status.subscribe((s) => seen.push(s));
      const err = await listen(server);
      taken.close();
      expect(err).toMatchObject({ code: 'EADDRINUSE' });
      expect(seen).toEqual(['error']);
    });
  });

  describe('handling transfers', () => {
    let server: ServerUdp;
    let peer: RawPeer;
    let to: string;

    beforeEach(async () => {
      server = new ServerUdp({ host: '127.0.0.1', port: 0 });
      await listen(server);
      to = formatPeerAddress('127.0.0.1', server.unwrap<Socket>().address().port);
      peer = new RawPeer();
      await peer.driver.bind();
    });

    afterEach(async () => {
      await peer.driver.close();
      await server.close();
    });

    it('commits a request only after its handler resolved, with the response in COMPLETE', async () => {
      const gate = deferred<string>();
      const called = deferred<{ data: unknown; ctx: UdpContext }>();
      server.addHandler('slow', async (data: unknown, ctx?: UdpContext) => {
        if (ctx) called.resolve({ data, ctx });
        return gate.promise;
      });
      const { id, done } = peer.send(to, { kind: 'req', pattern: 'slow', id: 'r1', data: { image: Buffer.alloc(50_000, 3), n: 1 } });
      const { data, ctx } = await called.promise;
      expect(data).toEqual({ image: Buffer.alloc(50_000, 3), n: 1 });
      expect(ctx.getTransferId()).toBe(id);
      expect(ctx.getPattern()).toBe('slow');
      expect(peer.finished.has(id)).toBe(false);
      gate.resolve('stored');
      const end = await done;
      expect(end.type).toBe('completed');
      if (end.type !== 'completed') return;
      expect(decodeInline(end.result)).toEqual({ kind: 'res', data: 'stored', isDisposed: true });
    });

    it('fails the transfer with APPLICATION and the error as JSON when the handler throws', async () => {
      server.addHandler('bad', async () => {
        throw new Error('disk on fire');
      });
      const end = await peer.send(to, { kind: 'req', pattern: 'bad', id: 'r2', data: 1 }).done;
      expect(end).toMatchObject({ type: 'failed', reason: Reason.APPLICATION });
      expect(end.type === 'failed' && end.message).toContain('{"status":"error","message":"disk on fire"}');
    });

    it('commits an event after its handler, and fails it with STORE_FAILED when the handler throws', async () => {
      const got: unknown[] = [];
      server.addHandler('ok', async (data: unknown) => void got.push(data), true);
      server.addHandler('broken', async () => Promise.reject(new Error('no space')), true);
      const ok = await peer.send(to, { kind: 'evt', pattern: 'ok', data: Buffer.from('abc') }).done;
      expect(ok.type).toBe('completed');
      expect(got).toEqual([Buffer.from('abc')]);
      const broken = await peer.send(to, { kind: 'evt', pattern: 'broken', data: 1 }).done;
      expect(broken).toMatchObject({ type: 'failed', reason: Reason.STORE_FAILED });
    });

    it('aborts a transfer for a pattern without handler as soon as its OFFER arrives', async () => {
      const started: string[] = [];
      server.on('started', (e) => started.push(e.transferId));
      const end = await peer.send(to, { kind: 'req', pattern: 'missing', id: 'r3', data: Buffer.alloc(2_000_000) }).done;
      expect(end).toMatchObject({ type: 'failed', reason: Reason.APPLICATION });
      expect(end.type === 'failed' && end.message).toContain('There is no matching message handler');
      expect(started).toEqual([end.transferId]);
      expect(end.stats.chunksSent).toBeLessThan(1400);
    });

    it('refuses a transfer that is not an envelope', async () => {
      const r = peer.driver.send(to, { data: Buffer.from('raw'), metadata: Buffer.from('not json') });
      if (!r.ok) throw new Error(r.message);
      const end = await new Promise<Finished>((resolve) =>
        peer.driver.on('event', (e) => e.transferId === r.transferId && (e.type === 'failed' || e.type === 'completed') && resolve(e)),
      );
      expect(end).toMatchObject({ type: 'failed', reason: Reason.APPLICATION });
    });

    it('forwards transfer events to listeners', async () => {
      const types: string[] = [];
      server.on('started', (e) => types.push(`${e.type}:${e.role}`));
      server.on('completed', (e) => types.push(`${e.type}:${e.role}`));
      server.addHandler('ev', async () => undefined, true);
      await peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(10) }).done;
      expect(types).toEqual(['started:receiver', 'completed:receiver']);
    });
  });
});
