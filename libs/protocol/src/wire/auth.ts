/**
 * Authenticated mode: a 16-byte tag, the first half of
 * HMAC-SHA256(key, header-with-checksum-zero || body), follows the body. The
 * checksum is computed after the tag (and covers it), so the tag never
 * depends on the checksum and either can be checked first.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { AUTH_TAG_LENGTH, HEADER_LENGTH } from './messages';
import { HeaderOffset } from './header';

const ZERO_CHECKSUM = new Uint8Array(4);

/** The tag over `segments` (header with zero checksum, then the body), as 16 bytes. */
export function authTag(key: Uint8Array, segments: readonly Uint8Array[]): Uint8Array {
  const hmac = createHmac('sha256', key);
  for (const s of segments) hmac.update(s);
  // A view of the fresh digest: no second copy on the DATA hot path.
  return hmac.digest().subarray(0, AUTH_TAG_LENGTH);
}

/**
 * Checks the tag stored at bytes[tagOffset, tagOffset + 16) against the
 * header (checksum read as zero) and body before it. Constant-time compare,
 * so response timing does not leak how many tag bytes were right.
 */
export function verifyAuthTag(key: Uint8Array, bytes: Uint8Array, tagOffset: number): boolean {
  if (tagOffset < HEADER_LENGTH || tagOffset + AUTH_TAG_LENGTH > bytes.length) return false;
  const hmac = createHmac('sha256', key);
  hmac.update(bytes.subarray(0, HeaderOffset.CHECKSUM));
  hmac.update(ZERO_CHECKSUM);
  hmac.update(bytes.subarray(HEADER_LENGTH, tagOffset));
  const expected = hmac.digest().subarray(0, AUTH_TAG_LENGTH);
  return timingSafeEqual(expected, bytes.subarray(tagOffset, tagOffset + AUTH_TAG_LENGTH));
}
