/**
 * The fixed 24-byte header (PROTOCOL.md, "Header"), big-endian:
 *
 *   0 magic u16 | 2 version u8 | 3 type u8 | 4 flags u8 | 5 reserved u8 |
 *   6 payload length u16 | 8 transfer id 8 bytes | 16 seq u32 | 20 checksum u32
 *
 * Byte-level writes instead of a DataView: the DATA hot loop then allocates
 * nothing but the header array itself.
 */
import { HEADER_LENGTH, MAGIC, MessageType, VERSION } from './messages';

/** Byte offset of every header field. */
export const HeaderOffset = {
  MAGIC: 0,
  VERSION: 2,
  TYPE: 3,
  FLAGS: 4,
  RESERVED: 5,
  PAYLOAD_LENGTH: 6,
  TRANSFER_ID: 8,
  SEQ: 16,
  CHECKSUM: 20,
} as const;

/** Reads a big-endian u16 at `offset` (caller checked bounds). */
export function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

/** Reads a big-endian u32 at `offset` (caller checked bounds); always non-negative. */
export function readU32(bytes: Uint8Array, offset: number): number {
  return bytes[offset] * 0x100_0000 + ((bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]);
}

/** Writes a big-endian u32 at `offset`. */
export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

/**
 * Fills out[0, 24) with a header whose checksum is zero (the checksum and the
 * tag are computed over exactly that form). Arguments are already validated.
 */
export function writeHeader(
  out: Uint8Array,
  type: MessageType,
  flags: number,
  transferId: Uint8Array,
  seq: number,
  payloadLength: number,
): void {
  out[HeaderOffset.MAGIC] = MAGIC >>> 8;
  out[HeaderOffset.MAGIC + 1] = MAGIC & 0xff;
  out[HeaderOffset.VERSION] = VERSION;
  out[HeaderOffset.TYPE] = type;
  out[HeaderOffset.FLAGS] = flags;
  out[HeaderOffset.RESERVED] = 0;
  out[HeaderOffset.PAYLOAD_LENGTH] = payloadLength >>> 8;
  out[HeaderOffset.PAYLOAD_LENGTH + 1] = payloadLength & 0xff;
  out.set(transferId, HeaderOffset.TRANSFER_ID);
  writeU32(out, HeaderOffset.SEQ, seq);
  writeU32(out, HeaderOffset.CHECKSUM, 0);
}

/** True for the type bytes version 1 defines. */
export function isMessageType(type: number): type is MessageType {
  return Number.isInteger(type) && type >= MessageType.OFFER && type <= MessageType.PONG;
}

/** 'OFFER', 'DATA', ... for counters and logs; `UNKNOWN(n)` for other values. */
export function messageTypeName(type: number): string {
  return isMessageType(type) ? MessageType[type] : `UNKNOWN(${type})`;
}

/** Re-exported for readers of this module: the header is HEADER_LENGTH bytes. */
export { HEADER_LENGTH };
