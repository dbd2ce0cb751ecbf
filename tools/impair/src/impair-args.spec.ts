import { burstyLoss, bytesPerSecond, parseAddress, parseImpairArgs, probability } from './impair-args';

describe('parseImpairArgs', () => {
  it('applies shared impairments to both directions and lets a direction override them', () => {
    const cli = parseImpairArgs(['--listen', '5001', '--target', '127.0.0.1:5000', '--loss', '5%', '--delay', '20ms', '--back-loss', '0', '--seed', '9']);
    expect(cli.options.listen).toEqual({ host: '0.0.0.0', port: 5001 });
    expect(cli.options.target).toEqual({ host: '127.0.0.1', port: 5000 });
    expect(cli.options.forward).toEqual({ loss: { model: 'bernoulli', p: 0.05 }, latencyMs: 20 });
    expect(cli.options.backward).toEqual({ loss: { model: 'bernoulli', p: 0 }, latencyMs: 20 });
    expect(cli.options.seed).toBe(9);
  });

  it('turns --burst into Gilbert-Elliott loss and --rate into a bottleneck with a queue', () => {
    const cli = parseImpairArgs(['--listen', '1', '--target', 'h:2', '--loss', '0.1', '--burst', '4', '--rate', '80mbit']);
    expect(cli.options.forward?.loss?.model).toBe('gilbert-elliott');
    expect(cli.options.forward?.bandwidthBytesPerSec).toBe(10_000_000);
    expect(cli.options.forward?.queueBytes).toBe(256 * 1024);
  });

  it('names the missing or bad argument', () => {
    expect(() => parseImpairArgs(['--target', 'h:1'])).toThrow('--listen is required');
    expect(() => parseImpairArgs(['--listen', '1', '--target', 'h:1', '--loss', '150%'])).toThrow(/--loss \(forward\)/);
    expect(() => parseImpairArgs(['--listen', '1', '--target', 'nowhere'])).toThrow(/--target must be HOST:PORT/);
    expect(() => parseImpairArgs(['--listen', '1', '--target', 'h:1', '--bogus', '1'])).toThrow(/bogus/);
  });
});

describe('burstyLoss', () => {
  it('has the requested stationary loss and mean burst length', () => {
    const loss = burstyLoss(0.1, 5);
    if (loss.model !== 'gilbert-elliott') throw new Error('expected Gilbert-Elliott');
    expect(loss.pGoodToBad / (loss.pGoodToBad + loss.pBadToGood)).toBeCloseTo(0.1, 10);
    expect(1 / loss.pBadToGood).toBeCloseTo(5, 10);
  });
});

describe('value parsers', () => {
  it('read percentages, rates and addresses', () => {
    expect(probability('2.5%', 'x')).toBeCloseTo(0.025);
    expect(bytesPerSecond('20MB', 'x')).toBe(20_000_000);
    expect(bytesPerSecond('1gbit', 'x')).toBe(125_000_000);
    expect(parseAddress('[::1]:5000', 'x')).toEqual({ host: '::1', port: 5000 });
  });
});
