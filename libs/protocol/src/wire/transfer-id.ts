/**
 * Transfer ids: 8 random bytes on the wire, 16 lowercase hex digits in memory
 * (a string is a cheap, immutable Map key). The all-zero id is reserved for
 * endpoint-level PING/PONG.
 */
import type { TransferId } from './messages';

/** Bytes of a transfer id on the wire. */
export const TRANSFER_ID_LENGTH = 8;
/** The reserved id of endpoint-level PING/PONG. */
export const ZERO_TRANSFER_ID: TransferId = '0000000000000000';

const HEX_ID = /^[0-9a-f]{16}$/;
// Byte -> two hex digits, so formatting an id is 8 lookups and no number formatting.
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** True when `id` is 16 lowercase hex digits. */
export function isTransferId(id: string): id is TransferId {
  return HEX_ID.test(id);
}

/** The 8 wire bytes of `id` (a new array). Throws RangeError when `id` is not 16 lowercase hex digits. */
export function transferIdToBytes(id: TransferId): Uint8Array {
  if (!isTransferId(id)) throw new RangeError(`transfer id must be 16 lowercase hex digits, got ${JSON.stringify(id)}`);
  const out = new Uint8Array(TRANSFER_ID_LENGTH);
  for (let i = 0; i < TRANSFER_ID_LENGTH; i++) out[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The id held in bytes[offset, offset + 8). The caller guarantees the 8 bytes exist. */
export function transferIdFromBytes(bytes: Uint8Array, offset = 0): TransferId {
  let s = '';
  for (let i = offset; i < offset + TRANSFER_ID_LENGTH; i++) s += HEX_BYTE[bytes[i]];
  return s;
}

/** True when the 8 bytes at `offset` are all zero. */
export function isZeroTransferIdBytes(bytes: Uint8Array, offset = 0): boolean {
  for (let i = offset; i < offset + TRANSFER_ID_LENGTH; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A fresh id from an injected random source (`crypto.randomBytes` in
 * production, a seeded generator in tests). The reserved zero id is never
 * returned: should the source yield 8 zero bytes, the last byte becomes 1.
 */
export function newTransferId(random: (n: number) => Uint8Array): TransferId {
  const raw = random(TRANSFER_ID_LENGTH);
  if (raw.length < TRANSFER_ID_LENGTH) throw new RangeError(`random source returned ${raw.length} bytes, need ${TRANSFER_ID_LENGTH}`);
  const bytes = raw.subarray(0, TRANSFER_ID_LENGTH);
  if (isZeroTransferIdBytes(bytes)) return transferIdFromBytes(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1));
  return transferIdFromBytes(bytes);
}

/**
 * Bytes of recently encoded ids, so the DATA hot loop does not parse the
 * same hex string 100k times a second. Bounded: when full it is simply
 * cleared (a sender has few transfers in flight, so this is rare).
 */
const CACHE_LIMIT = 1024;
const cache = new Map<string, Uint8Array>();

/**
 * Cached wire bytes of `id`, or undefined when `id` is not a valid id. The
 * returned array is shared: callers must not modify it.
 */
export function cachedTransferIdBytes(id: string): Uint8Array | undefined {
  let bytes = cache.get(id);
  if (bytes === undefined) {
    if (!isTransferId(id)) return undefined;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    bytes = transferIdToBytes(id);
    cache.set(id, bytes);
  }
  return bytes;
}
