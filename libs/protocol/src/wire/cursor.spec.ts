import { ByteReader, ByteWriter, isSafeU64, isU16, isU32, isU8, timeToU64 } from './cursor';

describe('cursor', () => {
  describe('ByteWriter', () => {
    it('writes big-endian fields', () => {
      const out = new Uint8Array(1 + 2 + 4 + 8 + 2);
      const w = new ByteWriter(out);
      w.u8(0xab);
      w.u16(0x1234);
      w.u32(0xdeadbeef);
      w.u64(2 ** 53 - 1);
      w.raw(Uint8Array.of(7, 8));
      expect(w.pos).toBe(out.length);
      expect([...out]).toEqual([0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 8]);
    });
  });

  describe('ByteReader', () => {
    it('reads what ByteWriter wrote', () => {
      const out = new Uint8Array(19);
      const w = new ByteWriter(out);
      w.u8(1);
      w.u16(0xfffe);
      w.u32(0xffffffff);
      w.u64(123456789012345);
      w.raw(Uint8Array.of(0x68, 0x69, 0xff, 0xff));
      const r = new ByteReader(out, 0, out.length);
      expect([r.u8('a'), r.u16('b'), r.u32('c'), r.u64('d'), r.utf8(2, 'e')]).toEqual([1, 0xfffe, 0xffffffff, 123456789012345, 'hi']);
      expect(r.remaining).toBe(2);
      expect(r.error).toBeUndefined();
    });

    it('records the first overrun and returns zero values after it', () => {
      const r = new ByteReader(Uint8Array.of(1, 2, 3), 0, 3);
      expect(r.u16('first')).toBe(0x0102);
      expect(r.u16('second')).toBe(0);
      expect(r.u8('third')).toBe(0);
      expect(r.error).toBe('second overruns the body');
    });

    it('respects the end bound, not the array length', () => {
      const r = new ByteReader(Uint8Array.of(1, 2, 3, 4), 1, 3);
      expect(r.u32('x')).toBe(0);
      expect(r.error).toMatch(/overruns/);
    });

    it('refuses u64 values above 2^53 - 1', () => {
      const r = new ByteReader(Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 0), 0, 8);
      r.u64('total');
      expect(r.error).toBe('total exceeds 2^53 - 1');
    });

    it('refuses invalid UTF-8', () => {
      const r = new ByteReader(Uint8Array.of(0xc3, 0x28), 0, 2);
      expect(r.utf8(2, 'name')).toBe('');
      expect(r.error).toBe('name is not valid UTF-8');
    });

    it('gives views and copies', () => {
      const bytes = Uint8Array.of(1, 2, 3, 4);
      const r = new ByteReader(bytes, 0, 4);
      const view = r.view(2, 'v');
      const copy = r.copy(2, 'c');
      bytes[0] = 9;
      bytes[2] = 9;
      expect([...view]).toEqual([9, 2]);
      expect([...copy]).toEqual([3, 4]);
    });

    it('reads varints and reports bad ones', () => {
      const ok = new ByteReader(Uint8Array.of(0xac, 0x02), 0, 2);
      expect(ok.varint('v')).toBe(300);
      const bad = new ByteReader(Uint8Array.of(0x81, 0x00), 0, 2);
      bad.varint('gap');
      expect(bad.error).toBe('gap: varint not in shortest form');
    });

    describe('finish', () => {
      it('flags trailing bytes', () => {
        const r = new ByteReader(Uint8Array.of(1, 2), 0, 2);
        r.u8('x');
        r.finish();
        expect(r.error).toBe('1 trailing byte(s) after the body');
      });

      it('keeps an earlier error', () => {
        const r = new ByteReader(Uint8Array.of(1), 0, 1);
        r.u16('x');
        r.finish();
        expect(r.error).toBe('x overruns the body');
      });
    });
  });

  describe('range checks', () => {
    it('isU8 / isU16 / isU32 accept integers in range only', () => {
      expect([isU8(0), isU8(255), isU8(256), isU8(-1), isU8(1.5)]).toEqual([true, true, false, false, false]);
      expect([isU16(65535), isU16(65536)]).toEqual([true, false]);
      expect([isU32(0xffffffff), isU32(2 ** 32), isU32(NaN)]).toEqual([true, false, false]);
    });

    it('isSafeU64 stops at 2^53 - 1', () => {
      expect([isSafeU64(Number.MAX_SAFE_INTEGER), isSafeU64(2 ** 53), isSafeU64(-1)]).toEqual([true, false, false]);
    });
  });

  describe('timeToU64', () => {
    it('floors fractional milliseconds', () => {
      expect(timeToU64(1700000000123.9)).toBe(1700000000123);
      expect(timeToU64(0)).toBe(0);
    });

    it('refuses negative, non-finite and unsafe values', () => {
      expect([timeToU64(-0.5), timeToU64(Infinity), timeToU64(NaN), timeToU64(2 ** 53)]).toEqual([undefined, undefined, undefined, undefined]);
    });
  });
});
