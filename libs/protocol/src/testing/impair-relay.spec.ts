import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { ImpairRelay } from './impair-relay';

/** A UDP echo server on loopback that records what it received. */
async function echoServer(): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    socket.send(Buffer.concat([Buffer.from('echo:'), msg]), rinfo.port, rinfo.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { socket, port: socket.address().port, received };
}

async function clientSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/** Resolves with the next `count` datagrams the socket receives. */
function nextMessages(socket: Socket, count: number): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    const onMessage = (msg: Buffer): void => {
      got.push(msg);
      if (got.length === count) {
        socket.off('message', onMessage);
        resolve(got);
      }
    };
    socket.on('message', onMessage);
  });
}

describe('ImpairRelay', () => {
  const sockets: Socket[] = [];
  const relays: ImpairRelay[] = [];
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
    for (const s of sockets.splice(0)) s.close();
  });

  async function setup(options: Partial<ConstructorParameters<typeof ImpairRelay>[0]> = {}) {
    const server = await echoServer();
    const client = await clientSocket();
    sockets.push(server.socket, client);
    const relay = new ImpairRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: server.port }, ...options });
    relays.push(relay);
    const bound = await relay.start();
    const send = (text: string): void => client.send(Buffer.from(text), bound.port, '127.0.0.1');
    return { server, client, relay, send, port: bound.port };
  }

  describe('start', () => {
    it('relays datagrams to the target and answers back to the client, in order, on a clean link', async () => {
      const { client, send, relay } = await setup();
      const replies = nextMessages(client, 20);
      for (let i = 0; i < 20; i++) send(`m${i}`);
      expect((await replies).map(String)).toEqual(Array.from({ length: 20 }, (_, i) => `echo:m${i}`));
      const c = relay.counters();
      expect(c.forward.delivered).toBe(20);
      expect(c.backward.delivered).toBe(20);
      expect(c.clients).toBe(1);
    });

    it('keeps each client apart: answers go back to the client that asked', async () => {
      const { server, relay, client: first, port } = await setup();
      const other = await clientSocket();
      sockets.push(other);
      const a = nextMessages(first, 1);
      const b = nextMessages(other, 1);
      first.send('from-a', port, '127.0.0.1');
      other.send('from-b', port, '127.0.0.1');
      expect(String((await a)[0])).toBe('echo:from-a');
      expect(String((await b)[0])).toBe('echo:from-b');
      expect(server.received).toHaveLength(2);
      expect(relay.counters().clients).toBe(2);
    });
  });

  describe('impairments', () => {
    it('drops everything at 100% forward loss and counts it', async () => {
      const { send, relay, server } = await setup({ forward: { loss: { model: 'bernoulli', p: 1 } } });
      for (let i = 0; i < 10; i++) send(`x${i}`);
      // A clean second relay to the same server proves the datagrams had time to arrive.
      const probe = await setup();
      const answered = nextMessages(probe.client, 1);
      probe.send('probe');
      await answered;
      expect(server.received).toHaveLength(0);
      expect(relay.counters().forward.lost).toBe(10);
    });

    it('delays each datagram by at least the configured latency', async () => {
      const { client, send } = await setup({ forward: { latencyMs: 30 } });
      const reply = nextMessages(client, 1);
      const started = performance.now();
      send('slow');
      await reply;
      expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    });

    it('duplicates and corrupts as asked', async () => {
      const { client, send, relay } = await setup({ forward: { duplicateProbability: 1 }, backward: { corruptProbability: 1 } });
      const replies = nextMessages(client, 2);
      send('payload-to-corrupt');
      const got = await replies;
      for (const reply of got) {
        expect(reply.length).toBe('echo:payload-to-corrupt'.length);
        expect(String(reply)).not.toBe('echo:payload-to-corrupt');
      }
      expect(relay.counters().forward.duplicated).toBe(1);
      expect(relay.counters().backward.corrupted).toBe(2);
    });

    it('reorders: a held-back datagram arrives after later ones', async () => {
      const { client, send, relay } = await setup({ forward: { reorderProbability: 0.5, reorderExtraDelayMs: 20 }, seed: 7 });
      const replies = nextMessages(client, 40);
      for (let i = 0; i < 40; i++) send(String(i).padStart(2, '0'));
      const order = (await replies).map((m) => Number(String(m).slice(5)));
      expect(relay.counters().forward.reordered).toBeGreaterThan(0);
      expect(order).not.toEqual([...order].sort((x, y) => x - y));
      expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    });
  });

  describe('constructor', () => {
    it('names a bad option', () => {
      expect(() => new ImpairRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: 1 }, maxClients: 0 })).toThrow(/maxClients/);
      expect(() => new ImpairRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: 1 }, forward: { loss: { model: 'bernoulli', p: 2 } } })).toThrow(/loss\.p/);
    });
  });
});
