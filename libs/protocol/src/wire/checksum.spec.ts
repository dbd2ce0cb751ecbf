import { crc32 } from 'zlib';
import { checksumValid, crc32Segments, datagramChecksum, storedChecksum } from './checksum';
import { HeaderOffset, writeU32 } from './header';

describe('checksum', () => {
  describe('crc32Segments', () => {
    it('equals the CRC of the concatenation', () => {
      const a = Uint8Array.of(1, 2, 3);
      const b = Uint8Array.of(4, 5);
      expect(crc32Segments([a, b])).toBe(crc32(Uint8Array.of(1, 2, 3, 4, 5)));
      expect(crc32Segments([])).toBe(0);
    });

    it('is the IEEE CRC-32 ("123456789" -> 0xcbf43926)', () => {
      expect(crc32Segments([new TextEncoder().encode('123456789')])).toBe(0xcbf43926);
    });
  });

  describe('datagramChecksum', () => {
    it('reads the checksum field as zero', () => {
      const d = Uint8Array.from({ length: 40 }, (_, i) => i);
      const zeroed = d.slice();
      writeU32(zeroed, HeaderOffset.CHECKSUM, 0);
      expect(datagramChecksum(d)).toBe(crc32(zeroed));
    });
  });

  describe('storedChecksum / checksumValid', () => {
    it('agree once the CRC is stored', () => {
      const d = Uint8Array.from({ length: 30 }, (_, i) => i * 7);
      expect(checksumValid(d)).toBe(false);
      writeU32(d, HeaderOffset.CHECKSUM, datagramChecksum(d));
      expect(storedChecksum(d)).toBe(datagramChecksum(d));
      expect(checksumValid(d)).toBe(true);
    });
  });
});
