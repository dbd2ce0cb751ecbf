/**
 * The datagram checksum: CRC-32 (IEEE 802.3, as zlib computes it) over the
 * whole datagram with the checksum field taken as zero. It catches corruption
 * UDP's optional 16-bit checksum misses; it is not a defence against an
 * attacker (that is the auth tag's job).
 */
import { crc32 } from 'zlib';
import { HEADER_LENGTH } from './messages';
import { HeaderOffset, readU32 } from './header';

/** Stands in for the checksum field while the CRC is computed. */
const ZERO_CHECKSUM = new Uint8Array(4);

/** CRC-32 of the segments as if they were one array (zlib.crc32 continues from `initial`). */
export function crc32Segments(segments: readonly Uint8Array[], initial = 0): number {
  let crc = initial;
  for (const s of segments) crc = crc32(s, crc);
  return crc;
}

/**
 * The CRC a datagram should carry: computed over bytes with the checksum
 * field read as zero, without copying. Requires bytes.length >= HEADER_LENGTH.
 */
export function datagramChecksum(bytes: Uint8Array): number {
  let crc = crc32(bytes.subarray(0, HeaderOffset.CHECKSUM));
  crc = crc32(ZERO_CHECKSUM, crc);
  return crc32(bytes.subarray(HEADER_LENGTH), crc);
}

/** The checksum stored in the header. */
export function storedChecksum(bytes: Uint8Array): number {
  return readU32(bytes, HeaderOffset.CHECKSUM);
}

/** True when the stored checksum matches the content. */
export function checksumValid(bytes: Uint8Array): boolean {
  return datagramChecksum(bytes) === storedChecksum(bytes);
}
