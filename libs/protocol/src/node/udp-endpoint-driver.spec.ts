import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import type {
  EndpointCounters,
  EndpointEvent,
  PeerAddress,
  ProtocolEndpoint,
  SendResult,
  TransferInfo,
  Transmit,
} from '../core/types';
import { UdpEndpointDriver } from './udp-endpoint-driver';

/** A scripted endpoint: records what the driver feeds in, hands out what the test queued. */
class ScriptedEndpoint implements ProtocolEndpoint {
  readonly received: { from: PeerAddress; bytes: Uint8Array; now: number }[] = [];
  readonly timeouts: number[] = [];
  readonly outbox: Transmit[] = [];
  readonly events: EndpointEvent[] = [];
  /** What pollTimeout answers; a function so a test can make it depend on state. */
  deadline: () => number | undefined = () => undefined;
  readonly counters = {} as EndpointCounters;

  send(): SendResult {
    return { ok: true, transferId: '0000000000000001' };
  }
  handleDatagram(from: PeerAddress, bytes: Uint8Array, now: number): void {
    this.received.push({ from, bytes: Uint8Array.from(bytes), now });
  }
  handleTimeout(now: number): void {
    this.timeouts.push(now);
  }
  pollTransmit(): Transmit | undefined {
    return this.outbox.shift();
  }
  pollTimeout(): number | undefined {
    return this.deadline();
  }
  pollEvent(): EndpointEvent | undefined {
    return this.events.shift();
  }
  commit(): boolean {
    return true;
  }
  fail(): boolean {
    return true;
  }
  abort(): boolean {
    return true;
  }
  drain(): void {
    /* nothing to drain */
  }
  transfers(): TransferInfo[] {
    return [];
  }
}

function transmitOf(to: PeerAddress, ...segments: number[][]): Transmit {
  const datagram = segments.map((s) => Uint8Array.from(s));
  return { to, datagram, length: datagram.reduce((n, s) => n + s.length, 0) };
}

function gapEvent(start: number): EndpointEvent {
  return { type: 'gap', role: 'receiver', transferId: '00000000000000aa', peer: 'x', ranges: [{ start, length: 1 }] };
}

async function plainSocket(type: 'udp4' | 'udp6' = 'udp4'): Promise<Socket> {
  const socket = createSocket(type);
  socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1');
  await once(socket, 'listening');
  return socket;
}

async function closeSocket(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(check, 2);
    };
    check();
  });
}

const ipv6Available = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.address === '::1');

describe('UdpEndpointDriver', () => {
  let endpoint: ScriptedEndpoint;
  let driver: UdpEndpointDriver;
  let peer: Socket;

  beforeEach(async () => {
    endpoint = new ScriptedEndpoint();
    peer = await plainSocket();
  });

  afterEach(async () => {
    await driver?.close();
    await closeSocket(peer);
  });

  describe('bind', () => {
    it('binds an ephemeral port and reports it', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      const listening = jest.fn();
      driver.on('listening', listening);
      const address = await driver.bind();
      expect(address.port).toBeGreaterThan(0);
      expect(address.address).toBe('127.0.0.1');
      expect(driver.address()).toEqual(address);
      expect(listening).toHaveBeenCalledWith(address);
    });

    it('asks for larger socket buffers and reports what the kernel granted', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', recvBufferSize: 1 << 20, sendBufferSize: 1 << 20 });
      await driver.bind();
      const sizes = driver.bufferSizes();
      expect(sizes.recv).toBeGreaterThan(0);
      expect(sizes.send).toBeGreaterThan(0);
      expect(driver.unwrap().getRecvBufferSize()).toBe(sizes.recv);
    });

    it('rejects when the port is taken', async () => {
      const port = (peer.address()).port;
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', port });
      await expect(driver.bind()).rejects.toThrow(/EADDRINUSE/);
      expect(() => driver.unwrap()).toThrow(/not bound/);
    });

    it('refuses a second bind', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      await expect(driver.bind()).rejects.toThrow(/state bound/);
    });

    it('validates options', () => {
      expect(() => new UdpEndpointDriver(endpoint, { port: 70000 })).toThrow(RangeError);
      expect(() => new UdpEndpointDriver(endpoint, { maxSendsInFlight: 0 })).toThrow(RangeError);
    });
  });

  describe('unwrap', () => {
    it('throws before bind and after close', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      expect(() => driver.unwrap()).toThrow(/not bound/);
      await driver.bind();
      expect(driver.unwrap()).toBeDefined();
      await driver.close();
      expect(() => driver.unwrap()).toThrow(/not bound/);
    });
  });

  describe('receive path', () => {
    it('feeds datagrams with "host:port" and the injected clock', async () => {
      let clock = 1000;
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', now: () => clock++ });
      const { port } = await driver.bind();
      peer.send(Uint8Array.from([1, 2, 3]), port, '127.0.0.1');
      await until(() => endpoint.received.length === 1);
      expect(endpoint.received[0].from).toBe(`127.0.0.1:${peer.address().port}`);
      expect(Array.from(endpoint.received[0].bytes)).toEqual([1, 2, 3]);
      expect(endpoint.received[0].now).toBeGreaterThanOrEqual(1000);
      expect(driver.stats().datagramsReceived).toBe(1);
    });

    it('drops what the dropInbound test hook refuses', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', dropInbound: (b) => b[0] === 0 });
      const { port } = await driver.bind();
      peer.send(Uint8Array.from([0]), port, '127.0.0.1');
      peer.send(Uint8Array.from([1]), port, '127.0.0.1');
      await until(() => driver.stats().datagramsReceived === 2);
      expect(endpoint.received.map((r) => r.bytes[0])).toEqual([1]);
      expect(driver.stats().inboundDropped).toBe(1);
    });
  });

  describe('send path', () => {
    it('sends the segments of a datagram back to back', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      const got = once(peer, 'message');
      endpoint.outbox.push(transmitOf(`127.0.0.1:${peer.address().port}`, [1, 2], [3], [4, 5, 6]));
      driver.drive();
      const [msg] = (await got) as [Buffer];
      expect(Array.from(msg)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(driver.stats()).toMatchObject({ datagramsSent: 1, bytesSent: 6 });
    });

    it('counts a bad destination instead of throwing', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      endpoint.outbox.push(transmitOf('::1:5000', [1]), transmitOf('nowhere', [1]));
      expect(() => driver.drive()).not.toThrow();
      expect(driver.stats().badDestinations).toBe(2);
      expect(driver.stats().datagramsSent).toBe(0);
    });

    it('bounds the sends in flight and the datagrams per tick, and still sends everything', async () => {
      peer.setRecvBufferSize(8 << 20);
      let delivered = 0;
      peer.on('message', () => delivered++);
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', maxSendsInFlight: 8, maxDatagramsPerTick: 4 });
      await driver.bind();
      const to = `127.0.0.1:${peer.address().port}`;
      const payload = Array.from({ length: 1472 }, (_, i) => i & 0xff);
      for (let i = 0; i < 2000; i++) endpoint.outbox.push(transmitOf(to, payload));
      driver.drive();
      // One drive call sends at most one tick's worth.
      expect(driver.stats().datagramsSent).toBe(4);
      await until(() => driver.stats().datagramsSent === 2000 && driver.stats().sendsInFlight === 0, 5000);
      const stats = driver.stats();
      expect(stats.peakSendsInFlight).toBeLessThanOrEqual(8);
      expect(stats.sendErrors).toBe(0);
      await until(() => delivered >= 1900, 2000);
    });

    (ipv6Available ? it : it.skip)('speaks IPv6 with bracketed addresses', async () => {
      const peer6 = await plainSocket('udp6');
      try {
        driver = new UdpEndpointDriver(endpoint, { type: 'udp6', host: '::1' });
        const { port } = await driver.bind();
        const got = once(peer6, 'message');
        endpoint.outbox.push(transmitOf(`[::1]:${peer6.address().port}`, [9, 9]));
        driver.drive();
        const [msg] = (await got) as [Buffer];
        expect(Array.from(msg)).toEqual([9, 9]);
        peer6.send(Uint8Array.from([7]), port, '::1');
        await until(() => endpoint.received.length === 1);
        expect(endpoint.received[0].from).toBe(`[::1]:${peer6.address().port}`);
      } finally {
        await closeSocket(peer6);
      }
    });
  });

  describe('events', () => {
    it('re-emits endpoint events in order', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      const seen: EndpointEvent[] = [];
      driver.on('event', (e) => seen.push(e));
      endpoint.events.push(gapEvent(1), gapEvent(2));
      driver.drive();
      expect(seen.map((e) => (e.type === 'gap' ? e.ranges[0].start : -1))).toEqual([1, 2]);
    });

    it('folds a drive() from inside a listener into the running one', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      const seen: number[] = [];
      driver.on('event', (e) => {
        if (e.type !== 'gap') return;
        seen.push(e.ranges[0].start);
        if (e.ranges[0].start === 1) {
          endpoint.events.push(gapEvent(2));
          driver.drive();
        }
      });
      endpoint.events.push(gapEvent(1));
      driver.drive();
      expect(seen).toEqual([1, 2]);
    });
  });

  describe('timers', () => {
    it('calls handleTimeout once the deadline passes, and keeps one timer for an unchanged deadline', async () => {
      let clock = 0;
      const realStart = performance.now();
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', now: () => clock + performance.now() - realStart });
      await driver.bind();
      endpoint.deadline = () => (endpoint.timeouts.length === 0 ? 30 : undefined);
      driver.drive();
      driver.drive();
      await until(() => endpoint.timeouts.length > 0);
      expect(endpoint.timeouts[0]).toBeGreaterThanOrEqual(29);
      await new Promise((r) => setTimeout(r, 40));
      expect(endpoint.timeouts).toHaveLength(1);
      clock = 0;
    });

    it('does not spin on an overdue deadline the endpoint never clears', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      endpoint.deadline = () => 0;
      driver.drive();
      await new Promise((r) => setTimeout(r, 100));
      // A spinning loop would wake hundreds of thousands of times in 100 ms; a 1 ms timer about 100.
      expect(driver.stats().wakeUps).toBeLessThan(200);
    });

    it('stops waking after close', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      endpoint.deadline = () => driver.now() + 5;
      driver.drive();
      await driver.close();
      const fired = endpoint.timeouts.length;
      await new Promise((r) => setTimeout(r, 30));
      expect(endpoint.timeouts).toHaveLength(fired);
    });
  });

  describe('close', () => {
    it('resolves once closed, emits close once, and is idempotent', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1' });
      await driver.bind();
      const closed = jest.fn();
      driver.on('close', closed);
      await Promise.all([driver.close(), driver.close()]);
      await driver.close();
      expect(closed).toHaveBeenCalledTimes(1);
    });

    it('works on a driver that was never bound', async () => {
      driver = new UdpEndpointDriver(endpoint);
      await expect(driver.close()).resolves.toBeUndefined();
    });

    it('settles a bind still in progress and leaves nothing open', async () => {
      driver = new UdpEndpointDriver(endpoint, { host: 'localhost' });
      const bound = driver.bind().then(
        () => 'bound',
        (err: Error) => err.message,
      );
      await driver.close();
      expect(await bound).toMatch(/bound|closed while binding/);
      expect(() => driver.unwrap()).toThrow(/not bound/);
    });
  });
});
