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
  readonly driver: UdpEndpointDriver;
  private readonly waiters = new Map<string, (e: Finished) => void>();
  readonly finished = new Map<string, Finished>();

  constructor(dropInbound?: (bytes: Uint8Array) => boolean) {
    this.driver = new UdpEndpointDriver(new Endpoint({ config: { sender: { rateBytesPerSec: 1e8 } } }), { host: '127.0.0.1', dropInbound });
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

  describe('graceful stop', () => {
    let server: ServerUdp;
    let to: string;
    const peers: RawPeer[] = [];

    async function newPeer(dropInbound?: (bytes: Uint8Array) => boolean): Promise<RawPeer> {
      const peer = new RawPeer(dropInbound);
      await peer.driver.bind();
      peers.push(peer);
      return peer;
    }

    beforeEach(async () => {
      server = new ServerUdp({ host: '127.0.0.1', port: 0 });
      await listen(server);
      to = formatPeerAddress('127.0.0.1', server.address().port);
    });

    afterEach(async () => {
      for (const peer of peers.splice(0)) await peer.driver.close();
      await server.close();
    });

    it('has no counters and no transfers while not listening', async () => {
      const idle = new ServerUdp({ host: '127.0.0.1', port: 0 });
      expect(idle.counters()).toBeUndefined();
      expect(idle.transfers()).toEqual([]);
      idle.drain();
      await idle.close();
    });

    it('drain() refuses new OFFERs while the transfer in flight goes on to COMPLETE', async () => {
      const gate = deferred<string>();
      const entered = deferred<void>();
      server.addHandler('hold', async () => {
        entered.resolve();
        return gate.promise;
      });
      const peer = await newPeer();
      const first = peer.send(to, { kind: 'req', pattern: 'hold', id: 'r1', data: Buffer.alloc(20_000, 1) });
      await entered.promise;
      expect(server.transfers()).toEqual([expect.objectContaining({ transferId: first.id, role: 'receiver', totalBytes: 20_000 })]);
      server.drain();
      const refused = await peer.send(to, { kind: 'req', pattern: 'hold', id: 'r2', data: 1 }).done;
      expect(refused).toMatchObject({ type: 'failed', reason: Reason.SHUTTING_DOWN });
      gate.resolve('stored');
      expect(await first.done).toMatchObject({ type: 'completed' });
      expect(server.transfers()).toEqual([]);
    });

    it('counters() snapshots the endpoint counters with the socket stats', async () => {
      server.addHandler('ev', async () => undefined, true);
      const peer = await newPeer();
      await peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(5_000) }).done;
      const c = server.counters();
      expect(c).toMatchObject({ transfersCompleted: { receiver: 1, sender: 0 }, receivedByType: { OFFER: 1 } });
      expect(c?.socket.datagramsReceived).toBeGreaterThanOrEqual(c?.datagramsReceived ?? Infinity);
      expect(c?.socket.sendErrors).toBe(0);
      await peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(10) }).done;
      // A snapshot: the first one did not move with the endpoint.
      expect(c?.transfersCompleted.receiver).toBe(1);
      expect(server.counters()?.transfersCompleted.receiver).toBe(2);
    });

    it('close({ lingerMs }) keeps answering from tombstones, so a sender whose COMPLETE was lost still completes', async () => {
      server.addHandler('ev', async () => undefined, true);
      let completes = 0;
      // The peer loses the first COMPLETE (type byte 7 at offset 3) and must probe for it.
      const peer = await newPeer((bytes) => bytes[3] === 7 && completes++ === 0);
      const sent = peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(3_000) });
      await new Promise<void>((resolve) => {
        const check = (): void => (server.counters()?.transfersCompleted.receiver === 1 ? resolve() : void setTimeout(check, 5));
        check();
      });
      expect(peer.finished.has(sent.id)).toBe(false);
      const closing = server.close({ lingerMs: 5_000 });
      expect(await sent.done).toMatchObject({ type: 'completed' });
      expect(server.counters()?.tombstoneAnswers).toBeGreaterThanOrEqual(1);
      // A second close() cuts the linger short.
      const started = Date.now();
      await server.close();
      await closing;
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(() => server.address()).toThrow(/not listening/);
    });

    it('close() without lingerMs closes at once, and refuses a bad lingerMs', async () => {
      server.addHandler('ev', async () => undefined, true);
      const peer = await newPeer();
      await peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(10) }).done;
      await expect(server.close({ lingerMs: -1 })).rejects.toThrow(RangeError);
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(500);
      expect(server.counters()).toBeUndefined();
    });

    it('close({ lingerMs }) does not linger when no incoming transfer ever finished', async () => {
      const started = Date.now();
      await server.close({ lingerMs: 5_000 });
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('close({ lingerMs }) counts the linger from the last incoming transfer that finished', async () => {
      server.addHandler('ev', async () => undefined, true);
      const peer = await newPeer();
      await peer.send(to, { kind: 'evt', pattern: 'ev', data: Buffer.alloc(10) }).done;
      await new Promise((resolve) => setTimeout(resolve, 150));
      const started = Date.now();
      await server.close({ lingerMs: 100 });
      expect(Date.now() - started).toBeLessThan(50);
    });
  });
});
