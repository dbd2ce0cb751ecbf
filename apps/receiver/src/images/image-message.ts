/**
 * The payload of the 'image' message, as the sender sends it:
 *
 *   client.send('image', { image: <Buffer>, name: 'rocket.jpg', contentType: 'image/jpeg', width: 640, height: 480 })
 *
 * `image` travels as the transfer's binary body (never JSON); the other fields
 * ride in the OFFER metadata. A bare Buffer is accepted too (name and content
 * type then come from the OFFER). width/height are optional: missing ones are
 * probed from the bytes.
 */
export interface ImageMessage {
  image: Buffer;
  name: string;
  contentType: string;
  width?: number;
  height?: number;
}

/** What the handler answers (small enough to travel inside COMPLETE). */
export interface ImageReceipt {
  id: string;
  sha256: string;
  bytes: number;
  storedAt: string;
}

export class BadImageMessageError extends Error {
  constructor(message: string) {
    super(`bad image message: ${message}`);
    this.name = 'BadImageMessageError';
  }
}

const BINARY_FIELDS = ['image', 'data', 'bytes'];

function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function optionalDimension(record: Record<string, unknown>, field: string): number | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw new BadImageMessageError(`${field} must be a positive integer`);
  return value;
}

/** Validates a payload; `offer` supplies the name and content type the payload lacks. */
export function parseImageMessage(payload: unknown, offer: { name: string; contentType: string }): ImageMessage {
  if (payload instanceof Uint8Array) return { image: asBuffer(payload), name: offer.name, contentType: offer.contentType };
  if (typeof payload !== 'object' || payload === null) throw new BadImageMessageError('expected the image bytes or an object with an `image` Buffer');
  const record = payload as Record<string, unknown>;
  const named = BINARY_FIELDS.map((f) => record[f]).find((v): v is Uint8Array => v instanceof Uint8Array);
  const anyBinary = Object.values(record).filter((v): v is Uint8Array => v instanceof Uint8Array);
  const image = named ?? (anyBinary.length === 1 ? anyBinary[0] : undefined);
  if (image === undefined) throw new BadImageMessageError('no `image` Buffer field');
  const name = record['name'] ?? offer.name;
  const contentType = record['contentType'] ?? offer.contentType;
  if (typeof name !== 'string') throw new BadImageMessageError('name must be a string');
  if (typeof contentType !== 'string') throw new BadImageMessageError('contentType must be a string');
  return {
    image: asBuffer(image),
    name,
    contentType,
    width: optionalDimension(record, 'width'),
    height: optionalDimension(record, 'height'),
  };
}
