/**
 * Integration: two real Endpoints behind UdpEndpointDriver on loopback
 * sockets (port 0), objects sent both ways at once, bytes compared.
 */
import { randomBytes } from 'node:crypto';
import { Endpoint } from '../core/endpoint';
import type { EndpointEvent } from '../core/types';
import { randomInboundDrop } from './inbound-drop';
import { formatPeerAddress } from './peer-address';
import { UdpEndpointDriver } from './udp-endpoint-driver';
import type { UdpEndpointDriverOptions } from './udp-driver-options';

type Finished = Extract<EndpointEvent, { type: 'completed' | 'failed' }>;

interface Side {
  driver: UdpEndpointDriver;
  address: string;
  /** What this side received, by transfer id. */
  received: Map<string, Uint8Array>;
  /** Sender-side outcomes, by transfer id. */
  finished: Map<string, Finished>;
}

async function side(options: UdpEndpointDriverOptions = {}): Promise<Side> {
  const endpoint = new Endpoint({
    config: { sender: { rateBytesPerSec: 50e6, burstDatagrams: 32 }, receiver: { autoCommit: true } },
  });
  const driver = new UdpEndpointDriver(endpoint, { host: '127.0.0.1', ...options });
  const { address, port } = await driver.bind();
  const s: Side = { driver, address: formatPeerAddress(address, port), received: new Map(), finished: new Map() };
  driver.on('event', (e) => {
    if (e.type === 'verified') s.received.set(e.transferId, e.data);
    if (e.role === 'sender' && (e.type === 'completed' || e.type === 'failed')) s.finished.set(e.transferId, e);
  });
  return s;
}

/** Resolves when `condition` holds, checked after every event of the given sides (jest's timeout bounds the wait). */
function whenEvents(sides: Side[], condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!condition()) return;
      for (const s of sides) s.driver.off('event', check);
      resolve();
    };
    for (const s of sides) s.driver.on('event', check);
    check();
  });
}

describe('transfers over UdpEndpointDriver on loopback', () => {
  let a: Side;
  let b: Side;

  afterEach(async () => {
    await Promise.all([a?.driver.close(), b?.driver.close()]);
  });

  it('delivers several objects both ways, byte for byte', async () => {
    a = await side();
    b = await side();
    const sizes = [0, 1, 1447, 1448, 1449, 100_000, 3_000_000];
    const fromA = new Map<string, Uint8Array>();
    const fromB = new Map<string, Uint8Array>();
    for (const size of sizes) {
      const x = new Uint8Array(randomBytes(size));
      const y = new Uint8Array(randomBytes(size + 7));
      const sa = a.driver.send(b.address, { data: x, name: `a-${size}` });
      const sb = b.driver.send(a.address, { data: y, name: `b-${size}` });
      if (!sa.ok || !sb.ok) throw new Error('send refused');
      fromA.set(sa.transferId, x);
      fromB.set(sb.transferId, y);
    }
    await whenEvents([a, b], () => a.finished.size === sizes.length && b.finished.size === sizes.length);

    for (const [id, data] of fromA) {
      expect(a.finished.get(id)?.type).toBe('completed');
      expect(Buffer.from(b.received.get(id) ?? []).equals(Buffer.from(data))).toBe(true);
    }
    for (const [id, data] of fromB) {
      expect(b.finished.get(id)?.type).toBe('completed');
      expect(Buffer.from(a.received.get(id) ?? []).equals(Buffer.from(data))).toBe(true);
    }
    expect(a.driver.stats().sendErrors).toBe(0);
    expect(b.driver.stats().sendErrors).toBe(0);
  }, 30_000);

  it('repairs seeded inbound loss', async () => {
    a = await side();
    b = await side({ dropInbound: randomInboundDrop(0.05, 1234) });
    const data = new Uint8Array(randomBytes(2_000_000));
    const sent = a.driver.send(b.address, { data });
    if (!sent.ok) throw new Error('send refused');
    await whenEvents([a], () => a.finished.has(sent.transferId));

    const outcome = a.finished.get(sent.transferId);
    expect(outcome?.type).toBe('completed');
    expect(b.driver.stats().inboundDropped).toBeGreaterThan(0);
    expect(outcome?.type === 'completed' && outcome.stats.chunksRetransmitted).toBeGreaterThan(0);
    expect(Buffer.from(b.received.get(sent.transferId) ?? []).equals(Buffer.from(data))).toBe(true);
  }, 30_000);
});
