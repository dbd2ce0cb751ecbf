import { flipBits, Link, type LinkDelivery, type LinkOutcome } from './link-model';
import { SeededRandom } from './seeded-random';

function deliveries(outcome: LinkOutcome): LinkDelivery[] {
  if (outcome.dropped !== undefined) throw new Error(`dropped: ${outcome.dropped}`);
  return outcome.deliveries;
}

describe('Link', () => {
  describe('transmit', () => {
    it('delays by the latency and counts', () => {
      const link = new Link('a', 'b', { latencyMs: 25 }, 1);
      const [d] = deliveries(link.transmit(new Uint8Array(100), 10));
      expect(d?.at).toBe(35);
      expect(link.counters).toMatchObject({ sent: 1, bytes: 100, delivered: 0 });
    });

    it('serialises at the bandwidth and tail-drops beyond the queue', () => {
      const link = new Link('a', 'b', { latencyMs: 0, bandwidthBytesPerSec: 1000, queueBytes: 250 }, 1);
      expect(deliveries(link.transmit(new Uint8Array(100), 0))[0]?.at).toBe(100);
      expect(deliveries(link.transmit(new Uint8Array(100), 0))[0]?.at).toBe(200);
      expect(link.queuedBytes(0)).toBe(200);
      expect(link.transmit(new Uint8Array(100), 0)).toEqual({ dropped: 'queue' });
      expect(link.counters.queueDropped).toBe(1);
      // 50 bytes still fit exactly.
      expect(deliveries(link.transmit(new Uint8Array(50), 0))[0]?.at).toBe(250);
      // Once the queue drains, the next datagram starts at once.
      expect(deliveries(link.transmit(new Uint8Array(100), 1000))[0]?.at).toBe(1100);
    });

    it('drops over the MTU', () => {
      const link = new Link('a', 'b', { mtu: 100 }, 1);
      expect(link.transmit(new Uint8Array(101), 0)).toEqual({ dropped: 'mtu' });
      expect(deliveries(link.transmit(new Uint8Array(100), 0))).toHaveLength(1);
      expect(link.counters.mtuDropped).toBe(1);
    });

    it('drops everything inside a blackhole window, half-open', () => {
      const link = new Link('a', 'b', { blackholes: [[10, 20]] }, 1);
      expect(link.transmit(new Uint8Array(1), 9.999).dropped).toBeUndefined();
      expect(link.transmit(new Uint8Array(1), 10).dropped).toBe('blackhole');
      expect(link.transmit(new Uint8Array(1), 19.999).dropped).toBe('blackhole');
      expect(link.transmit(new Uint8Array(1), 20).dropped).toBeUndefined();
      expect(link.counters.blackholed).toBe(2);
    });
  });

  describe('configure', () => {
    it('changes the config mid-run and keeps counters', () => {
      const link = new Link('a', 'b', {}, 1);
      link.transmit(new Uint8Array(1), 0);
      link.configure({ loss: { model: 'bernoulli', p: 1 } });
      expect(link.transmit(new Uint8Array(1), 1)).toEqual({ dropped: 'loss' });
      expect(link.counters).toMatchObject({ sent: 2, lost: 1 });
      expect(link.config.latencyMs).toBe(10);
    });

    it('validates, naming the link', () => {
      const link = new Link('a', 'b', {}, 1);
      expect(() => link.configure({ jitterMs: -1 })).toThrow('link a->b: jitterMs must be');
    });
  });
});

describe('flipBits', () => {
  it('flips exactly the requested number of distinct bits', () => {
    const rng = new SeededRandom(1);
    for (let count = 1; count <= 3; count++) {
      const bytes = new Uint8Array(8);
      flipBits(bytes, count, rng);
      const ones = bytes.reduce((n, b) => n + b.toString(2).split('1').length - 1, 0);
      expect(ones).toBe(count);
    }
  });

  it('flips no more bits than there are', () => {
    const bytes = new Uint8Array(1);
    flipBits(bytes, 20, new SeededRandom(1));
    expect(bytes[0]).toBe(0xff);
  });
});
