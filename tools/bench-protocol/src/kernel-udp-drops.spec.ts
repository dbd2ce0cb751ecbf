import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelUdpDrops } from './kernel-udp-drops';

describe('kernelUdpDrops', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'udp-')), 'udp');
  writeFileSync(
    file,
    [
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops',
      '  123: 0100007F:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 17',
      '  124: 00000000:A1B2 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4243 2 0000000000000000 0',
    ].join('\n'),
  );

  it('reads the drops column of the socket bound to a port', () => {
    expect(kernelUdpDrops(5000, file)).toBe(17);
    expect(kernelUdpDrops(0xa1b2, file)).toBe(0);
  });

  it('is undefined for an unknown port or a missing file', () => {
    expect(kernelUdpDrops(1, file)).toBeUndefined();
    expect(kernelUdpDrops(5000, '/nonexistent/udp')).toBeUndefined();
  });
});
