/**
 * The application envelope of the NestJS transport (PROTOCOL.md, "Application
 * envelope (NestJS transport)"): how a Nest packet (pattern, request id, data,
 * response, error) becomes one udpix transfer, without ever turning bytes
 * into text.
 *
 * A payload is split in two parts:
 * - the binary part: the data itself when it is a Buffer/Uint8Array, or the
 *   top-level Uint8Array fields of a plain object, in key order;
 * - the JSON part: everything else (the object without its binary fields).
 *
 * The JSON part travels in a small header; the binary part is the transfer's
 * object. A single binary part IS the object (the caller's buffer, not a
 * copy); several are concatenated once.
 *
 * Two physical forms:
 * - split: the header in OFFER metadata, the body = the binary part;
 * - inline: u32 BE header length || header || binary part. Used as the body
 *   when the header does not fit in the OFFER (the metadata then holds a stub
 *   `{v, k, id?, h: 1}`), and as a COMPLETE result (a response of at most
 *   MAX_RESULT_BYTES).
 */
import { MAX_CONTENT_TYPE_BYTES, MAX_NAME_BYTES, MAX_PREVIEW_BYTES, chunkSizeFor, offerFits, type OfferBody, type WireOptions } from '../../wire';

export const ENVELOPE_VERSION = 1;

/** Bytes of the inline form's length prefix. */
export const INLINE_PREFIX_BYTES = 4;

/** Largest header accepted in the inline form (a sanity bound on untrusted input). */
export const MAX_INLINE_HEADER_BYTES = 16 * 1024 * 1024;

/** What a transfer carries: a request, an event, or a response to a request. */
export type EnvelopeKind = 'req' | 'evt' | 'res';

/** One binary field of a plain object, in body order. */
export interface BinaryField {
  field: string;
  length: number;
}

/** `true`: the data itself is the binary part. A list: top-level fields, in body order. */
export type BinaryLayout = true | BinaryField[];

/** The header as it travels (JSON). */
export interface EnvelopeHeader {
  v: typeof ENVELOPE_VERSION;
  k: EnvelopeKind;
  /** Pattern (req, evt): the normalized route string. */
  p?: string;
  /** Request id (req, res). */
  id?: string;
  /** The JSON part of data (absent: undefined, or an object with only binary fields). */
  j?: unknown;
  /** Binary layout (absent: no binary part). */
  b?: BinaryLayout;
  /** Error (res): the handler's error value. */
  err?: unknown;
  /** isDisposed (res): the last response of the stream. */
  d?: boolean;
}

/** The decoded form, what the transport works with. */
export interface EnvelopeMessage {
  kind: EnvelopeKind;
  pattern?: string;
  id?: string;
  data?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

/** What the metadata header says before the body arrived (enough to route or refuse early). */
export interface EnvelopePeek {
  kind: EnvelopeKind;
  pattern?: string;
  id?: string;
  /** The full header is at the start of the body (inline form). */
  headerInBody: boolean;
}

export interface OfferDefaults {
  /** OFFER name when the data has no usable `name` field. Default ''. */
  name?: string;
  /** OFFER content type when the data has no usable `contentType` field. Default 'application/octet-stream'. */
  contentType?: string;
}

/** The fields of an OutgoingObject for one envelope. */
export interface EncodedOffer {
  metadata: Uint8Array;
  /** The transfer's object: the caller's buffer itself for a single binary part. */
  body: Uint8Array;
  name: string;
  contentType: string;
  preview: Uint8Array;
  headerInBody: boolean;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const EMPTY: Uint8Array = new Uint8Array(0);
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A Buffer view of `bytes` (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface SplitPayload {
  /** The JSON part; `hasJson` false means "omit j". */
  json: unknown;
  hasJson: boolean;
  layout: BinaryLayout | undefined;
  parts: Uint8Array[];
}

/** Splits data into its JSON and binary parts (no byte is copied). */
export function splitPayload(data: unknown): SplitPayload {
  if (data instanceof Uint8Array) return { json: undefined, hasJson: false, layout: true, parts: [data] };
  if (!isPlainObject(data)) return { json: data, hasJson: data !== undefined, layout: undefined, parts: [] };
  const rest: Record<string, unknown> = {};
  const fields: BinaryField[] = [];
  const parts: Uint8Array[] = [];
  for (const key of Object.keys(data)) {
    const value = data[key];
    if (value instanceof Uint8Array) {
      if (key === '__proto__') throw new EnvelopeError('a binary field may not be named "__proto__"');
      fields.push({ field: key, length: value.length });
      parts.push(value);
    } else {
      Object.defineProperty(rest, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  if (fields.length === 0) return { json: data, hasJson: true, layout: undefined, parts: [] };
  return { json: rest, hasJson: Object.keys(rest).length > 0, layout: fields, parts };
}

/**
 * JSON of `value`, refusing binary below the top level: JSON would turn it
 * into an array of numbers, which the transport never does.
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown): unknown {
    if (key !== '' && typeof this === 'object' && this !== null) {
      const original: unknown = Reflect.get(this, key);
      if (original instanceof Uint8Array) {
        throw new EnvelopeError(
          `binary data in nested field "${key}": only the data itself or top-level fields of a plain object may be Buffers/Uint8Arrays`,
        );
      }
    }
    return v;
  });
}

function headerFor(message: EnvelopeMessage, split: SplitPayload): EnvelopeHeader {
  const header: EnvelopeHeader = { v: ENVELOPE_VERSION, k: message.kind };
  if (message.pattern !== undefined) header.p = message.pattern;
  if (message.id !== undefined) header.id = message.id;
  if (split.hasJson) header.j = split.json;
  if (split.layout !== undefined) header.b = split.layout;
  if (message.err !== undefined) header.err = message.err;
  if (message.isDisposed) header.d = true;
  return header;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 0) return EMPTY;
  if (parts.length === 1) return parts[0];
  return Buffer.concat(parts, total);
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function stringField(data: unknown, field: string, maxBytes: number): string | undefined {
  if (!isPlainObject(data)) return undefined;
  const value = data[field];
  return typeof value === 'string' && utf8Length(value) <= maxBytes ? value : undefined;
}

/** OFFER name, content type and preview taken from the data's `name`, `contentType`, `preview` fields, else the defaults. */
export function offerFieldsFor(data: unknown, defaults: OfferDefaults = {}): { name: string; contentType: string; preview: Uint8Array } {
  const name = stringField(data, 'name', MAX_NAME_BYTES) ?? defaults.name ?? '';
  const contentType = stringField(data, 'contentType', MAX_CONTENT_TYPE_BYTES) ?? defaults.contentType ?? DEFAULT_CONTENT_TYPE;
  let preview = EMPTY;
  if (isPlainObject(data)) {
    const p = data['preview'];
    if (p instanceof Uint8Array && p.length <= MAX_PREVIEW_BYTES) preview = p;
  }
  return { name, contentType, preview };
}

function fits(wire: WireOptions, totalSize: number, name: string, contentType: string, metadata: Uint8Array, preview: Uint8Array): boolean {
  const chunkSize = chunkSizeFor(wire);
  const offer: OfferBody = {
    totalSize,
    chunkSize,
    chunkCount: Math.ceil(totalSize / chunkSize),
    sha256: new Uint8Array(32),
    createdAt: 0,
    contentType,
    name,
    metadata,
    preview,
  };
  return offerFits(offer, wire);
}

/** The inline form: u32 BE header length || header || binary parts (copies the parts once). */
function inline(headerBytes: Uint8Array, parts: Uint8Array[], partsLength: number): Uint8Array {
  const out = Buffer.allocUnsafe(INLINE_PREFIX_BYTES + headerBytes.length + partsLength);
  out.writeUInt32BE(headerBytes.length, 0);
  out.set(headerBytes, INLINE_PREFIX_BYTES);
  let at = INLINE_PREFIX_BYTES + headerBytes.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The JSON header of a message, as bytes. Throws EnvelopeError for data that cannot be serialized. */
function encodeHeader(message: EnvelopeMessage, split: SplitPayload): Uint8Array {
  try {
    return encoder.encode(toJson(headerFor(message, split)));
  } catch (err) {
    if (err instanceof EnvelopeError) throw err;
    throw new EnvelopeError(`data cannot be serialized: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Encodes a message as the fields of one transfer: split form when the header
 * fits in the OFFER (checked with offerFits, with the name, content type and
 * preview), inline form otherwise. Throws EnvelopeError for data that cannot
 * travel (nested binary, circular JSON, an OFFER that cannot fit at all).
 */
export function encodeForOffer(message: EnvelopeMessage, wire: WireOptions, defaults: OfferDefaults = {}): EncodedOffer {
  const split = splitPayload(message.data);
  const headerBytes = encodeHeader(message, split);
  const partsLength = split.parts.reduce((n, p) => n + p.length, 0);
  let { name, contentType, preview } = offerFieldsFor(message.data, defaults);
  if (fits(wire, partsLength, name, contentType, headerBytes, preview)) {
    return { metadata: headerBytes, body: concat(split.parts, partsLength), name, contentType, preview, headerInBody: false };
  }
  const stub: Record<string, unknown> = { v: ENVELOPE_VERSION, k: message.kind };
  if (message.id !== undefined) stub['id'] = message.id;
  stub['h'] = 1;
  const metadata = encoder.encode(JSON.stringify(stub));
  const totalSize = INLINE_PREFIX_BYTES + headerBytes.length + partsLength;
  // Shrink the OFFER's optional parts until the stub fits: preview first, then name.
  if (!fits(wire, totalSize, name, contentType, metadata, preview)) preview = EMPTY;
  if (!fits(wire, totalSize, name, contentType, metadata, preview)) name = '';
  if (!fits(wire, totalSize, name, contentType, metadata, preview)) contentType = DEFAULT_CONTENT_TYPE;
  if (!fits(wire, totalSize, name, contentType, metadata, preview)) {
    throw new EnvelopeError(`the OFFER cannot fit one datagram of ${wire.maxDatagram} bytes even with a minimal header`);
  }
  return { metadata, body: inline(headerBytes, split.parts, partsLength), name, contentType, preview, headerInBody: true };
}

/** The inline form of a message (for a COMPLETE result). Throws EnvelopeError as encodeForOffer. */
export function encodeInline(message: EnvelopeMessage): Uint8Array {
  const split = splitPayload(message.data);
  const headerBytes = encodeHeader(message, split);
  return inline(headerBytes, split.parts, split.parts.reduce((n, p) => n + p.length, 0));
}

// ------------------------------------------------------------------ decoding (untrusted input)

function parseJson(bytes: Uint8Array, what: string): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new EnvelopeError(`${what} is not valid UTF-8`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EnvelopeError(`${what} is not valid JSON`);
  }
}

function isKind(value: unknown): value is EnvelopeKind {
  return value === 'req' || value === 'evt' || value === 'res';
}

function checkCommon(raw: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(raw)) throw new EnvelopeError(`${what} is not a JSON object`);
  if (raw['v'] !== ENVELOPE_VERSION) throw new EnvelopeError(`${what} has version ${String(raw['v'])}, expected ${ENVELOPE_VERSION}`);
  if (!isKind(raw['k'])) throw new EnvelopeError(`${what} has an unknown kind ${JSON.stringify(raw['k'])}`);
  if (raw['id'] !== undefined && typeof raw['id'] !== 'string') throw new EnvelopeError(`${what}: id must be a string`);
  if (raw['p'] !== undefined && typeof raw['p'] !== 'string') throw new EnvelopeError(`${what}: p must be a string`);
  return raw;
}

function checkLayout(raw: unknown): BinaryLayout | undefined {
  if (raw === undefined || raw === true) return raw;
  if (!Array.isArray(raw)) throw new EnvelopeError('header: b must be true or a list of {field, length}');
  const seen = new Set<string>();
  return raw.map((entry: unknown): BinaryField => {
    if (!isPlainObject(entry)) throw new EnvelopeError('header: b entries must be {field, length}');
    const { field, length } = entry;
    if (typeof field !== 'string' || field === '__proto__' || seen.has(field)) {
      throw new EnvelopeError(`header: bad binary field name ${JSON.stringify(field)}`);
    }
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw new EnvelopeError(`header: bad length for binary field "${field}"`);
    }
    seen.add(field);
    return { field, length };
  });
}

/** Reads the metadata header without the body: kind, pattern, id and whether the full header is in the body. */
export function peekEnvelope(metadata: Uint8Array): EnvelopePeek {
  const raw = checkCommon(parseJson(metadata, 'envelope metadata'), 'envelope metadata');
  const peek: EnvelopePeek = { kind: raw['k'] as EnvelopeKind, headerInBody: raw['h'] === 1 };
  if (typeof raw['p'] === 'string') peek.pattern = raw['p'];
  if (typeof raw['id'] === 'string') peek.id = raw['id'];
  return peek;
}

/** Rebuilds the message from a header and the binary part (Buffers are views of `binary`, not copies). */
function assemble(raw: Record<string, unknown>, binary: Uint8Array): EnvelopeMessage {
  const layout = checkLayout(raw['b']);
  const message: EnvelopeMessage = { kind: raw['k'] as EnvelopeKind };
  if (typeof raw['p'] === 'string') message.pattern = raw['p'];
  if (typeof raw['id'] === 'string') message.id = raw['id'];
  if (raw['err'] !== undefined) message.err = raw['err'];
  if (raw['d'] === true) message.isDisposed = true;
  const json = raw['j'];
  if (layout === undefined) {
    if (binary.length !== 0) throw new EnvelopeError(`header lists no binary part but ${binary.length} bytes follow`);
    message.data = json;
    return message;
  }
  if (layout === true) {
    if (json !== undefined) throw new EnvelopeError('header has both j and a top-level binary part');
    message.data = asBuffer(binary);
    return message;
  }
  const total = layout.reduce((n, f) => n + f.length, 0);
  if (total !== binary.length) throw new EnvelopeError(`binary layout says ${total} bytes, the body holds ${binary.length}`);
  let data: Record<string, unknown>;
  if (json === undefined) data = {};
  else if (isPlainObject(json)) data = json;
  else throw new EnvelopeError('header: j must be an object when binary fields are listed');
  const buffer = asBuffer(binary);
  let at = 0;
  for (const { field, length } of layout) {
    Object.defineProperty(data, field, {
      value: buffer.subarray(at, at + length),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    at += length;
  }
  message.data = data;
  return message;
}

/** Decodes the inline form (a COMPLETE result, or a body whose OFFER carried the stub). */
export function decodeInline(bytes: Uint8Array): EnvelopeMessage {
  if (bytes.length < INLINE_PREFIX_BYTES) throw new EnvelopeError(`inline envelope of ${bytes.length} bytes is shorter than its prefix`);
  const view = asBuffer(bytes);
  const headerLength = view.readUInt32BE(0);
  if (headerLength > MAX_INLINE_HEADER_BYTES || INLINE_PREFIX_BYTES + headerLength > bytes.length) {
    throw new EnvelopeError(`inline header length ${headerLength} exceeds the ${bytes.length} bytes received`);
  }
  const headerEnd = INLINE_PREFIX_BYTES + headerLength;
  const raw = checkCommon(parseJson(view.subarray(INLINE_PREFIX_BYTES, headerEnd), 'inline header'), 'inline header');
  return assemble(raw, view.subarray(headerEnd));
}

/** Decodes one received transfer from its OFFER metadata and its verified body. */
export function decodeFromOffer(metadata: Uint8Array, body: Uint8Array): EnvelopeMessage {
  const raw = checkCommon(parseJson(metadata, 'envelope metadata'), 'envelope metadata');
  if (raw['h'] === 1) {
    const message = decodeInline(body);
    if (message.kind !== raw['k'] || message.id !== raw['id']) {
      throw new EnvelopeError('the inline header does not match the metadata stub (kind or id)');
    }
    return message;
  }
  return assemble(raw, body);
}
