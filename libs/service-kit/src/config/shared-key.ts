import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Shortest shared key accepted, bytes (the transport's own minimum). */
export const MIN_SHARED_KEY_BYTES = 16;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Decodes a shared key from the environment: hex (`openssl rand -hex 32`)
 * first, then base64 or base64url (`openssl rand -base64 32`). Returns
 * undefined for anything else or for fewer than MIN_SHARED_KEY_BYTES bytes.
 * Both services decode UDPIX_KEY with this function, so the same text gives
 * the same key bytes on both sides.
 */
export function parseSharedKey(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  let bytes: Buffer | undefined;
  if (HEX.test(trimmed)) bytes = Buffer.from(trimmed, 'hex');
  else if (BASE64.test(trimmed)) bytes = Buffer.from(trimmed, 'base64');
  else if (BASE64URL.test(trimmed)) bytes = Buffer.from(trimmed, 'base64url');
  if (bytes === undefined || bytes.length < MIN_SHARED_KEY_BYTES) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** class-validator rule: the value is a key parseSharedKey accepts. */
export function IsSharedKey(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isSharedKey',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `$property must be hex or base64 of at least ${MIN_SHARED_KEY_BYTES} bytes`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseSharedKey(value) !== undefined,
      },
    });
  };
}
