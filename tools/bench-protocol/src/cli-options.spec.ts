import { parseCli } from './cli-options';

describe('parseCli', () => {
  it('defaults to every transport, 1/10/50 MB, both datagram sizes, 0/1/5% loss', () => {
    const o = parseCli([]);
    expect([...o.only].sort()).toEqual(['sim', 'tcp', 'udp']);
    expect(o.sizes).toEqual([1e6, 10e6, 50e6]);
    expect(o.datagramSizes).toEqual([1472, 65507]);
    expect(o.udpLosses).toEqual([0, 1, 5]);
    expect(o.rateMBps).toBeUndefined();
    expect(o.repeat).toBe(3);
    expect(o.simSeeds).toBe(3);
  });

  it('--quick keeps 1 MB and 50 MB (the targets) unless sizes are given, and runs each case once', () => {
    expect(parseCli(['--quick']).sizes).toEqual([1e6, 50e6]);
    expect(parseCli(['--quick', '--sizes=2']).sizes).toEqual([2e6]);
    expect(parseCli(['--quick']).repeat).toBe(1);
    expect(parseCli(['--quick']).simSeeds).toBe(1);
    expect(parseCli(['--quick', '--sim-seeds=5']).simSeeds).toBe(5);
  });

  it('reads overrides', () => {
    const o = parseCli(['--only=udp', '--sizes=0.5,5', '--dgram=1472', '--loss=0', '--rate=120', '--burst=32', '--window=4', '--repeat=3', '--seed=9', '--out=x']);
    expect([...o.only]).toEqual(['udp']);
    expect(o.sizes).toEqual([500_000, 5_000_000]);
    expect(o).toMatchObject({ datagramSizes: [1472], udpLosses: [0], rateMBps: 120, burstDatagrams: 32, windowMB: 4, repeat: 3, seed: 9, outDir: 'x' });
  });

  it('refuses unknown flags and bad values', () => {
    expect(() => parseCli(['--fast'])).toThrow(/unknown flag/);
    expect(() => parseCli(['--only=quic'])).toThrow(/unknown transport/);
    expect(() => parseCli(['--rate=-1'])).toThrow(/--rate/);
    expect(() => parseCli(['--sizes=1,x'])).toThrow(/--sizes/);
  });
});
