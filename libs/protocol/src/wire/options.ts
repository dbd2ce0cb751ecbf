/**
 * WireOptions checks and the sizes that follow from them. Endpoints validate
 * their options once at configuration time; encode/decode then trust them
 * (checking on every datagram would cost the hot loop for nothing).
 */
import { AUTH_TAG_LENGTH, HEADER_LENGTH, MAX_MAX_DATAGRAM, MIN_KEY_BYTES, MIN_MAX_DATAGRAM, type WireOptions } from './messages';

/** Undefined when `options` is usable, else a sentence naming the bad option. */
export function validateWireOptions(options: WireOptions): string | undefined {
  const { maxDatagram, key } = options;
  if (typeof maxDatagram !== 'number' || !Number.isInteger(maxDatagram) || maxDatagram < MIN_MAX_DATAGRAM || maxDatagram > MAX_MAX_DATAGRAM) {
    return `wire.maxDatagram must be an integer in [${MIN_MAX_DATAGRAM}, ${MAX_MAX_DATAGRAM}], got ${String(maxDatagram)}`;
  }
  if (key !== undefined) {
    if (!(key instanceof Uint8Array)) return `wire.key must be a Uint8Array, got ${typeof key}`;
    if (key.length < MIN_KEY_BYTES) return `wire.key must be at least ${MIN_KEY_BYTES} bytes, got ${key.length}`;
  }
  return undefined;
}

/** Bytes of the auth tag every datagram carries under `options` (0 or 16). */
export function authTagLength(options: WireOptions): number {
  return options.key ? AUTH_TAG_LENGTH : 0;
}

/** Largest body (bytes between header and tag) a datagram may hold under `options`. */
export function maxBodyLength(options: WireOptions): number {
  return options.maxDatagram - HEADER_LENGTH - authTagLength(options);
}
