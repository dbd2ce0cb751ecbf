import { HEADER_LENGTH, MessageType } from './messages';
import { HeaderOffset, isMessageType, messageTypeName, readU16, readU32, writeHeader, writeU32 } from './header';

describe('header', () => {
  describe('writeHeader', () => {
    it('lays out every field at its offset, checksum zero', () => {
      const out = new Uint8Array(HEADER_LENGTH).fill(0xee);
      writeHeader(out, MessageType.NACK, 0x0a, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0x01020304, 0x0506);
      expect([...out]).toEqual([0x55, 0x58, 1, 5, 0x0a, 0, 0x05, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 0, 0, 0, 0]);
    });

    it('keeps the documented offsets', () => {
      expect(HeaderOffset).toEqual({ MAGIC: 0, VERSION: 2, TYPE: 3, FLAGS: 4, RESERVED: 5, PAYLOAD_LENGTH: 6, TRANSFER_ID: 8, SEQ: 16, CHECKSUM: 20 });
    });
  });

  describe('readU16 / readU32 / writeU32', () => {
    it('round-trip big-endian values, u32 never negative', () => {
      const b = new Uint8Array(6);
      writeU32(b, 1, 0xfedcba98);
      expect(readU32(b, 1)).toBe(0xfedcba98);
      expect(readU16(b, 1)).toBe(0xfedc);
    });
  });

  describe('isMessageType', () => {
    it('accepts 1..11 only', () => {
      expect([0, 1, 11, 12, 255, 1.5].map(isMessageType)).toEqual([false, true, true, false, false, false]);
    });
  });

  describe('messageTypeName', () => {
    it('names known and unknown types', () => {
      expect(messageTypeName(MessageType.DATA)).toBe('DATA');
      expect(messageTypeName(MessageType.PONG)).toBe('PONG');
      expect(messageTypeName(99)).toBe('UNKNOWN(99)');
    });
  });
});
