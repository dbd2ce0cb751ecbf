/**
 * Body codecs for every type but DATA (whose body is the raw chunk and lives
 * in codec.ts). Encoders validate with the same rules the decoders apply, so
 * whatever encodes also decodes; decoders report problems through the
 * ByteReader and never throw.
 */
import { malformed, type BodyPlan, type EncodeFailure } from './body-plan';
import { ByteReader, isSafeU64, isU32, timeToU64 } from './cursor';
import { decodeAck, decodeNack, planAck, planNack } from './feedback';
import {
  MAX_CONTENT_TYPE_BYTES,
  MAX_MAX_DATAGRAM,
  MAX_NAME_BYTES,
  MAX_PREVIEW_BYTES,
  MAX_REASON_TEXT_BYTES,
  MAX_RESULT_BYTES,
  MessageType,
  Reason,
  type AcceptBody,
  type CompleteBody,
  type HeaderFields,
  type Message,
  type OfferBody,
  type PingBody,
  type ReasonBody,
  type WireOptions,
} from './messages';
import { maxBodyLength } from './options';
import { utf8Encode, utf8Truncate } from './utf8';

/** SHA-256 digest length, in OFFER and COMPLETE. */
export const SHA256_LENGTH = 32;
/** OFFER bytes besides its variable parts (sizes, hash, time and the four length prefixes). */
export const OFFER_FIXED_LENGTH = 8 + 4 + 4 + SHA256_LENGTH + 8 + 1 + 1 + 2 + 2;
/** COMPLETE bytes besides its result. */
export const COMPLETE_FIXED_LENGTH = SHA256_LENGTH + 8 + 2;
export const ACCEPT_LENGTH = 8;
export const PING_LENGTH = 8;
/** REJECT/FAILED/ABORT bytes besides the text. */
export const REASON_FIXED_LENGTH = 3;

// ---------------------------------------------------------------- OFFER

/**
 * Why an OFFER's fields are inconsistent, or undefined. One rule set for both
 * directions: an empty object has chunkCount 0 (and no DATA); otherwise
 * chunkCount = ceil(totalSize / chunkSize).
 */
export function offerProblem(o: {
  totalSize: number;
  chunkSize: number;
  chunkCount: number;
  sha256: Uint8Array;
  contentTypeBytes: number;
  nameBytes: number;
  metadataBytes: number;
  previewBytes: number;
}): string | undefined {
  if (!isSafeU64(o.totalSize)) return `totalSize must be an integer in [0, 2^53 - 1], got ${o.totalSize}`;
  if (!Number.isInteger(o.chunkSize) || o.chunkSize < 1 || o.chunkSize > MAX_MAX_DATAGRAM) {
    return `chunkSize must be an integer in [1, ${MAX_MAX_DATAGRAM}], got ${o.chunkSize}`;
  }
  const expected = Math.ceil(o.totalSize / o.chunkSize);
  if (o.chunkCount !== expected) return `chunkCount must be ceil(totalSize / chunkSize) = ${expected}, got ${o.chunkCount}`;
  if (!isU32(o.chunkCount)) return `chunkCount ${o.chunkCount} exceeds u32`;
  if (o.sha256.length !== SHA256_LENGTH) return `sha256 must be ${SHA256_LENGTH} bytes, got ${o.sha256.length}`;
  if (o.contentTypeBytes > MAX_CONTENT_TYPE_BYTES) return `contentType is ${o.contentTypeBytes} UTF-8 bytes, limit ${MAX_CONTENT_TYPE_BYTES}`;
  if (o.nameBytes > MAX_NAME_BYTES) return `name is ${o.nameBytes} UTF-8 bytes, limit ${MAX_NAME_BYTES}`;
  if (o.metadataBytes > 0xffff) return `metadata is ${o.metadataBytes} bytes, limit 65535`;
  if (o.previewBytes > MAX_PREVIEW_BYTES) return `preview is ${o.previewBytes} bytes, limit ${MAX_PREVIEW_BYTES}`;
  return undefined;
}

/** Plans an OFFER body. */
export function planOffer(body: OfferBody): BodyPlan | EncodeFailure {
  const contentType = utf8Encode(body.contentType);
  const name = utf8Encode(body.name);
  const createdAt = timeToU64(body.createdAt);
  if (createdAt === undefined) return malformed(`createdAt must be a non-negative time in ms, got ${body.createdAt}`);
  const problem = offerProblem({
    ...body,
    contentTypeBytes: contentType.length,
    nameBytes: name.length,
    metadataBytes: body.metadata.length,
    previewBytes: body.preview.length,
  });
  if (problem) return malformed(problem);
  return {
    ok: true,
    length: OFFER_FIXED_LENGTH + contentType.length + name.length + body.metadata.length + body.preview.length,
    flags: 0,
    write: (w) => {
      w.u64(body.totalSize);
      w.u32(body.chunkSize);
      w.u32(body.chunkCount);
      w.raw(body.sha256);
      w.u64(createdAt);
      w.u8(contentType.length);
      w.raw(contentType);
      w.u8(name.length);
      w.raw(name);
      w.u16(body.metadata.length);
      w.raw(body.metadata);
      w.u16(body.preview.length);
      w.raw(body.preview);
    },
  };
}

/** Decodes an OFFER body. Byte fields are copies, so the offer may outlive the datagram buffer. */
export function decodeOffer(r: ByteReader): OfferBody {
  const totalSize = r.u64('totalSize');
  const chunkSize = r.u32('chunkSize');
  const chunkCount = r.u32('chunkCount');
  const sha256 = r.copy(SHA256_LENGTH, 'sha256');
  const createdAt = r.u64('createdAt');
  const contentTypeBytes = r.u8('contentType length');
  const contentType = r.utf8(contentTypeBytes, 'contentType');
  const nameBytes = r.u8('name length');
  const name = r.utf8(nameBytes, 'name');
  const metadata = r.copy(r.u16('metadata length'), 'metadata');
  const preview = r.copy(r.u16('preview length'), 'preview');
  r.finish();
  if (r.error === undefined) {
    const problem = offerProblem({
      totalSize,
      chunkSize,
      chunkCount,
      sha256,
      contentTypeBytes,
      nameBytes,
      metadataBytes: metadata.length,
      previewBytes: preview.length,
    });
    if (problem) r.fail(problem);
  }
  return { totalSize, chunkSize, chunkCount, sha256, createdAt, contentType, name, metadata, preview };
}

/** OFFER body bytes for `body` (valid or not: it only sums the parts). */
export function offerBodyLength(body: OfferBody): number {
  return OFFER_FIXED_LENGTH + utf8Encode(body.contentType).length + utf8Encode(body.name).length + body.metadata.length + body.preview.length;
}

/**
 * True when `body` is a valid OFFER that fits one datagram under `options`,
 * so a sender can shrink metadata or drop the preview before it starts a
 * transfer rather than fail at the first send.
 */
export function offerFits(body: OfferBody, options: WireOptions): boolean {
  const plan = planOffer(body);
  return plan.ok && plan.length <= maxBodyLength(options);
}

// ---------------------------------------------------------------- ACCEPT

export function planAccept(body: AcceptBody): BodyPlan | EncodeFailure {
  if (!isU32(body.window)) return malformed(`window must be a u32, got ${body.window}`);
  if (!isU32(body.maxRate)) return malformed(`maxRate must be a u32, got ${body.maxRate}`);
  return {
    ok: true,
    length: ACCEPT_LENGTH,
    flags: 0,
    write: (w) => {
      w.u32(body.window);
      w.u32(body.maxRate);
    },
  };
}

export function decodeAccept(r: ByteReader): AcceptBody {
  const window = r.u32('window');
  const maxRate = r.u32('maxRate');
  r.finish();
  return { window, maxRate };
}

// ---------------------------------------------------------------- REJECT, FAILED, ABORT

function isReason(v: number): v is Reason {
  return Number.isInteger(v) && typeof Reason[v] === 'string';
}

/** Plans a reason body; text over MAX_REASON_TEXT_BYTES is cut on a UTF-8 boundary (it is for humans). */
export function planReason(body: ReasonBody): BodyPlan | EncodeFailure {
  if (!isReason(body.reason)) return malformed(`reason ${body.reason} is not a known Reason`);
  const text = utf8Truncate(utf8Encode(body.message), MAX_REASON_TEXT_BYTES);
  return {
    ok: true,
    length: REASON_FIXED_LENGTH + text.length,
    flags: 0,
    write: (w) => {
      w.u16(body.reason);
      w.u8(text.length);
      w.raw(text);
    },
  };
}

/** Decodes a reason body. An unknown reason code reads as UNSPECIFIED, so peers may add codes without breaking this one. */
export function decodeReason(r: ByteReader): ReasonBody {
  const code = r.u16('reason');
  const length = r.u8('text length');
  if (r.error === undefined && length > MAX_REASON_TEXT_BYTES) r.fail(`reason text is ${length} bytes, limit ${MAX_REASON_TEXT_BYTES}`);
  const message = r.utf8(length, 'reason text');
  r.finish();
  return { reason: isReason(code) ? code : Reason.UNSPECIFIED, message };
}

// ---------------------------------------------------------------- COMPLETE

export function planComplete(body: CompleteBody): BodyPlan | EncodeFailure {
  if (body.sha256.length !== SHA256_LENGTH) return malformed(`sha256 must be ${SHA256_LENGTH} bytes, got ${body.sha256.length}`);
  if (!isSafeU64(body.totalSize)) return malformed(`totalSize must be an integer in [0, 2^53 - 1], got ${body.totalSize}`);
  if (body.result.length > MAX_RESULT_BYTES) return malformed(`result is ${body.result.length} bytes, limit ${MAX_RESULT_BYTES}`);
  return {
    ok: true,
    length: COMPLETE_FIXED_LENGTH + body.result.length,
    flags: 0,
    write: (w) => {
      w.raw(body.sha256);
      w.u64(body.totalSize);
      w.u16(body.result.length);
      w.raw(body.result);
    },
  };
}

export function decodeComplete(r: ByteReader): CompleteBody {
  const sha256 = r.copy(SHA256_LENGTH, 'sha256');
  const totalSize = r.u64('totalSize');
  const length = r.u16('result length');
  if (r.error === undefined && length > MAX_RESULT_BYTES) r.fail(`result is ${length} bytes, limit ${MAX_RESULT_BYTES}`);
  const result = r.copy(length, 'result');
  r.finish();
  return { sha256, totalSize, result };
}

// ---------------------------------------------------------------- PING, PONG

/** Plans a PING/PONG body: the token is floored to an integer (clocks may read fractional ms). */
export function planPing(body: PingBody): BodyPlan | EncodeFailure {
  const token = timeToU64(body.token);
  if (token === undefined) return malformed(`token must be a non-negative number up to 2^53 - 1, got ${body.token}`);
  return { ok: true, length: PING_LENGTH, flags: 0, write: (w) => w.u64(token) };
}

export function decodePing(r: ByteReader): PingBody {
  const token = r.u64('token');
  r.finish();
  return { token };
}

// ---------------------------------------------------------------- dispatch

/** Plans the body of any non-DATA message; `room` is maxBodyLength (NACK fills up to it). */
export function planBody(message: Exclude<Message, { type: MessageType.DATA }>, room: number): BodyPlan | EncodeFailure {
  switch (message.type) {
    case MessageType.OFFER:
      return planOffer(message.body);
    case MessageType.ACCEPT:
      return planAccept(message.body);
    case MessageType.REJECT:
    case MessageType.FAILED:
    case MessageType.ABORT:
      return planReason(message.body);
    case MessageType.NACK:
      return planNack(message.body, room);
    case MessageType.ACK:
      return planAck(message.body);
    case MessageType.COMPLETE:
      return planComplete(message.body);
    case MessageType.PING:
    case MessageType.PONG:
      return planPing(message.body);
  }
}

/**
 * Decodes the body in bytes[start, end) of a non-DATA message whose header
 * is `header`: the message, or the reason it is MALFORMED.
 */
export function decodeBody(header: HeaderFields, bytes: Uint8Array, start: number, end: number): Message | string {
  const r = new ByteReader(bytes, start, end);
  const { flags, transferId, seq } = header;
  let message: Message;
  switch (header.type) {
    case MessageType.OFFER:
      message = { type: MessageType.OFFER, flags, transferId, seq, body: decodeOffer(r) };
      break;
    case MessageType.ACCEPT:
      message = { type: MessageType.ACCEPT, flags, transferId, seq, body: decodeAccept(r) };
      break;
    case MessageType.REJECT:
    case MessageType.FAILED:
    case MessageType.ABORT:
      message = { type: header.type, flags, transferId, seq, body: decodeReason(r) };
      break;
    case MessageType.NACK:
      message = { type: MessageType.NACK, flags, transferId, seq, body: decodeNack(r) };
      break;
    case MessageType.ACK:
      message = { type: MessageType.ACK, flags, transferId, seq, body: decodeAck(r) };
      break;
    case MessageType.COMPLETE:
      message = { type: MessageType.COMPLETE, flags, transferId, seq, body: decodeComplete(r) };
      break;
    case MessageType.PING:
    case MessageType.PONG:
      message = { type: header.type, flags, transferId, seq, body: decodePing(r) };
      break;
    case MessageType.DATA:
      return 'DATA has no structured body';
  }
  return r.error ?? message;
}
