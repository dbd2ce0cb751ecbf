/**
 * UTF-8 helpers for the length-prefixed strings of OFFER and the reason
 * bodies. Decoding is strict (invalid UTF-8 is MALFORMED, never replaced), so
 * a string that decodes is exactly the string that was encoded.
 */

const encoder = new TextEncoder();
// fatal: reject invalid sequences instead of inserting U+FFFD.
// ignoreBOM: keep a leading U+FEFF; stripping it would break round trips.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 encoding of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict decode: the string, or undefined when `bytes` is not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return '';
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The longest prefix of `bytes` of at most `max` bytes that ends on a
 * character boundary (a view, not a copy). Used to shorten reason text
 * without producing invalid UTF-8.
 */
export function utf8Truncate(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Back off over continuation bytes (10xxxxxx) so the cut lands before a lead byte.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
