import { formatTable, formatTransferTable } from './table';

describe('formatTable', () => {
  it('pads the first column right and the others left, with a rule under the header', () => {
    expect(formatTable(['a', 'bb'], [['xyz', '1'], ['q', '123']]).split('\n')).toEqual(['a     bb', '---  ---', 'xyz    1', 'q    123']);
  });
});

describe('formatTransferTable', () => {
  it('shows loss as a percentage, throughput and the verdict', () => {
    const out = formatTransferTable([{ file: 'rocket.jpg', bytes: 2_000_000, timeMs: 1000, datagrams: 1400, retransmitted: 70, lossSeen: 0.05, verified: true }]);
    expect(out).toContain('rocket.jpg');
    expect(out).toContain('5.0%');
    expect(out).toContain('2.00');
    expect(out).toContain('yes (sha256 + bytes)');
  });

  it('shows a failure in the verified column', () => {
    const out = formatTransferTable([{ file: 'x.png', bytes: 10, timeMs: 5, datagrams: 0, retransmitted: 0, lossSeen: 0, verified: false, error: '504 TIMEOUT' }]);
    expect(out).toContain('FAILED: 504 TIMEOUT');
  });
});
