import { MAX_VARINT, readVarint, varintLength, writeVarint } from './varint';

describe('varint', () => {
  const samples = [0, 1, 127, 128, 16383, 16384, 2097151, 2097152, 268435455, 268435456, 2 ** 31, MAX_VARINT];

  describe('varintLength', () => {
    it('matches the bytes writeVarint produces', () => {
      const buf = new Uint8Array(8);
      for (const v of samples) expect(writeVarint(buf, 0, v)).toBe(varintLength(v));
    });

    it('is 1..5 bytes at the group boundaries', () => {
      expect([0, 127, 128, 16384, 2097152, 268435456, MAX_VARINT].map(varintLength)).toEqual([1, 1, 2, 3, 4, 5, 5]);
    });
  });

  describe('writeVarint', () => {
    it('writes least significant group first', () => {
      const buf = new Uint8Array(4);
      expect(writeVarint(buf, 1, 300)).toBe(3);
      expect([...buf]).toEqual([0, 0xac, 0x02, 0]);
    });
  });

  describe('readVarint', () => {
    it('round-trips every sample', () => {
      const buf = new Uint8Array(8);
      for (const v of samples) {
        const end = writeVarint(buf, 1, v);
        expect(readVarint(buf, 1, end)).toEqual({ ok: true, value: v, next: end });
      }
    });

    it('reports a varint cut by the end', () => {
      expect(readVarint(Uint8Array.of(0x80, 0x80), 0, 2)).toEqual({ ok: false, error: 'TRUNCATED' });
      expect(readVarint(Uint8Array.of(0x05), 0, 0)).toEqual({ ok: false, error: 'TRUNCATED' });
    });

    it('refuses values above u32 and forms longer than 5 bytes', () => {
      expect(readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), 0, 5)).toEqual({ ok: false, error: 'OVERFLOW' });
      expect(readVarint(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x01), 0, 6)).toEqual({ ok: false, error: 'OVERFLOW' });
    });

    it('refuses non-shortest forms', () => {
      expect(readVarint(Uint8Array.of(0x81, 0x00), 0, 2)).toEqual({ ok: false, error: 'NON_CANONICAL' });
      expect(readVarint(Uint8Array.of(0x00), 0, 1)).toEqual({ ok: true, value: 0, next: 1 });
    });
  });
});
