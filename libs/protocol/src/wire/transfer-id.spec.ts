import {
  cachedTransferIdBytes,
  isTransferId,
  isZeroTransferIdBytes,
  newTransferId,
  transferIdFromBytes,
  transferIdToBytes,
  ZERO_TRANSFER_ID,
} from './transfer-id';

describe('transfer-id', () => {
  describe('isTransferId', () => {
    it('accepts exactly 16 lowercase hex digits', () => {
      expect(isTransferId('0123456789abcdef')).toBe(true);
      expect(isTransferId('0123456789ABCDEF')).toBe(false);
      expect(isTransferId('0123456789abcde')).toBe(false);
      expect(isTransferId('0123456789abcdefa')).toBe(false);
      expect(isTransferId('0123456789abcdeg')).toBe(false);
    });
  });

  describe('transferIdToBytes', () => {
    it('parses big-endian hex', () => {
      expect([...transferIdToBytes('0102030405a0b0ff')]).toEqual([1, 2, 3, 4, 5, 0xa0, 0xb0, 0xff]);
    });

    it('throws RangeError on a malformed id', () => {
      expect(() => transferIdToBytes('nope')).toThrow(RangeError);
    });
  });

  describe('transferIdFromBytes', () => {
    it('formats 8 bytes at an offset as lowercase hex', () => {
      expect(transferIdFromBytes(Uint8Array.of(9, 0, 0xab, 1, 2, 3, 4, 5, 6, 9), 1)).toBe('00ab010203040506');
    });

    it('inverts transferIdToBytes', () => {
      const id = 'fedcba9876543210';
      expect(transferIdFromBytes(transferIdToBytes(id))).toBe(id);
    });
  });

  describe('isZeroTransferIdBytes', () => {
    it('detects the reserved id', () => {
      expect(isZeroTransferIdBytes(transferIdToBytes(ZERO_TRANSFER_ID))).toBe(true);
      expect(isZeroTransferIdBytes(transferIdToBytes('0000000000000100'))).toBe(false);
    });
  });

  describe('newTransferId', () => {
    it('uses the injected random source', () => {
      expect(newTransferId((n) => Uint8Array.from({ length: n }, (_, i) => i + 1))).toBe('0102030405060708');
    });

    it('never returns the reserved zero id', () => {
      expect(newTransferId((n) => new Uint8Array(n))).toBe('0000000000000001');
    });

    it('rejects a source that returns too few bytes', () => {
      expect(() => newTransferId(() => new Uint8Array(4))).toThrow(RangeError);
    });
  });

  describe('cachedTransferIdBytes', () => {
    it('returns the same bytes for the same id', () => {
      const a = cachedTransferIdBytes('00000000000000aa');
      expect(a).toBe(cachedTransferIdBytes('00000000000000aa'));
      expect([...(a ?? [])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0xaa]);
    });

    it('returns undefined for a malformed id', () => {
      expect(cachedTransferIdBytes('xyz')).toBeUndefined();
    });

    it('stays correct past its size limit', () => {
      for (let i = 0; i < 3000; i++) {
        const id = i.toString(16).padStart(16, '0');
        expect(transferIdFromBytes(cachedTransferIdBytes(id) ?? new Uint8Array(8))).toBe(id);
      }
    });
  });
});
