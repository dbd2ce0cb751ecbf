import { utf8Decode, utf8Encode, utf8Truncate } from './utf8';

describe('utf8', () => {
  describe('utf8Encode / utf8Decode', () => {
    it.each(['', 'plain', 'héllo wörld', '画像.png', '😀 emoji', '\uFEFFbom kept'])('round-trips %j', (s) => {
      expect(utf8Decode(utf8Encode(s))).toBe(s);
    });

    it('rejects invalid UTF-8 instead of replacing it', () => {
      expect(utf8Decode(Uint8Array.of(0xff))).toBeUndefined();
      expect(utf8Decode(Uint8Array.of(0xc3))).toBeUndefined(); // lead byte without continuation
      expect(utf8Decode(Uint8Array.of(0xed, 0xa0, 0x80))).toBeUndefined(); // encoded surrogate
      expect(utf8Decode(Uint8Array.of(0xc0, 0x80))).toBeUndefined(); // overlong NUL
    });

    it('encodes a lone surrogate as U+FFFD, so the output is always valid', () => {
      expect(utf8Decode(utf8Encode('a\uD800b'))).toBe('a\uFFFDb');
    });
  });

  describe('utf8Truncate', () => {
    it('returns the input when it fits', () => {
      const b = utf8Encode('abc');
      expect(utf8Truncate(b, 3)).toBe(b);
    });

    it('cuts on a character boundary', () => {
      const b = utf8Encode('aé😀'); // 1 + 2 + 4 bytes
      for (let max = 0; max <= b.length; max++) {
        const cut = utf8Truncate(b, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(utf8Decode(cut)).toBeDefined();
      }
      expect(utf8Decode(utf8Truncate(b, 6))).toBe('aé');
      expect(utf8Decode(utf8Truncate(b, 2))).toBe('a');
    });
  });
});
