import { createHmac } from 'crypto';
import { authTag, verifyAuthTag } from './auth';
import { HeaderOffset, writeU32 } from './header';

describe('auth', () => {
  const key = new Uint8Array(32).fill(7);
  const header = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
  writeU32(header, HeaderOffset.CHECKSUM, 0);
  const body = Uint8Array.of(10, 20, 30);

  function assemble(tag: Uint8Array, checksum = 0): Uint8Array {
    const d = new Uint8Array(24 + body.length + 16);
    d.set(header);
    d.set(body, 24);
    d.set(tag, 27);
    writeU32(d, HeaderOffset.CHECKSUM, checksum);
    return d;
  }

  describe('authTag', () => {
    it('is the first 16 bytes of HMAC-SHA256 over header and body', () => {
      const full = createHmac('sha256', key).update(header).update(body).digest();
      expect([...authTag(key, [header, body])]).toEqual([...full.subarray(0, 16)]);
    });

    it('does not depend on how the input is split', () => {
      const joined = Uint8Array.from([...header, ...body]);
      expect([...authTag(key, [joined])]).toEqual([...authTag(key, [header, body])]);
    });
  });

  describe('verifyAuthTag', () => {
    it('accepts the right tag whatever the checksum field holds', () => {
      expect(verifyAuthTag(key, assemble(authTag(key, [header, body]), 0x12345678), 27)).toBe(true);
    });

    it('rejects a wrong tag, a wrong key and a bad offset', () => {
      const tag = authTag(key, [header, body]);
      const forged = Uint8Array.from(tag);
      forged[15] ^= 1;
      expect(verifyAuthTag(key, assemble(forged), 27)).toBe(false);
      expect(verifyAuthTag(new Uint8Array(32).fill(8), assemble(tag), 27)).toBe(false);
      expect(verifyAuthTag(key, assemble(tag), 30)).toBe(false);
      expect(verifyAuthTag(key, assemble(tag), 10)).toBe(false);
    });
  });
});
