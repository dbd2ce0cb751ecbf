import { authTagLength, maxBodyLength, validateWireOptions } from './options';
import { chunkSizeFor, type WireOptions } from './messages';

describe('options', () => {
  describe('validateWireOptions', () => {
    it('accepts the defaults, the bounds and a 16-byte key', () => {
      expect(validateWireOptions({ maxDatagram: 1472 })).toBeUndefined();
      expect(validateWireOptions({ maxDatagram: 576 })).toBeUndefined();
      expect(validateWireOptions({ maxDatagram: 65507, key: new Uint8Array(16) })).toBeUndefined();
    });

    it.each([575, 65508, 1472.5, NaN])('names maxDatagram when it is %p', (maxDatagram) => {
      expect(validateWireOptions({ maxDatagram })).toMatch(/^wire\.maxDatagram must be an integer in \[576, 65507\]/);
    });

    it('names a short key', () => {
      expect(validateWireOptions({ maxDatagram: 1472, key: new Uint8Array(15) })).toBe('wire.key must be at least 16 bytes, got 15');
    });

    it('names a key that is not bytes', () => {
      const options = { maxDatagram: 1472, key: 'secret' } as unknown as WireOptions;
      expect(validateWireOptions(options)).toBe('wire.key must be a Uint8Array, got string');
    });
  });

  describe('authTagLength', () => {
    it('is 16 with a key, else 0', () => {
      expect(authTagLength({ maxDatagram: 1472 })).toBe(0);
      expect(authTagLength({ maxDatagram: 1472, key: new Uint8Array(16) })).toBe(16);
    });
  });

  describe('maxBodyLength', () => {
    it('is maxDatagram minus header and tag, the same as chunkSizeFor', () => {
      expect(maxBodyLength({ maxDatagram: 1472 })).toBe(1448);
      const keyed = { maxDatagram: 1472, key: new Uint8Array(16) };
      expect(maxBodyLength(keyed)).toBe(1432);
      expect(maxBodyLength(keyed)).toBe(chunkSizeFor(keyed));
    });
  });
});
