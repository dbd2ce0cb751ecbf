/**
 * encode / decode: whole datagrams to and from Message values.
 *
 * Byte order of a datagram: header (24) | body (payload length) | tag (16, in
 * authenticated mode). The tag covers header-with-zero-checksum and body; the
 * CRC-32 covers everything with the checksum field taken as zero.
 *
 * decode never throws and checks in the order PROTOCOL.md fixes, so every
 * dropped datagram is counted under exactly one, predictable code.
 */
import { authTag, verifyAuthTag } from './auth';
import { malformed, type EncodeFailure } from './body-plan';
import { decodeBody, planBody } from './bodies';
import { datagramChecksum } from './checksum';
import { ByteWriter, isU32 } from './cursor';
import { HeaderOffset, isMessageType, readU16, readU32, writeHeader, writeU32 } from './header';
import {
  AUTH_TAG_LENGTH,
  Flags,
  HEADER_LENGTH,
  KNOWN_FLAGS,
  MAGIC,
  MessageType,
  VERSION,
  type DecodeErrorCode,
  type DecodeResult,
  type EncodeResult,
  type Message,
  type TransferId,
  type WireOptions,
} from './messages';
import { maxBodyLength } from './options';
import { cachedTransferIdBytes, isZeroTransferIdBytes, TRANSFER_ID_LENGTH, transferIdFromBytes } from './transfer-id';
import { crc32 } from 'zlib';

/** Types that may use the all-zero transfer id (endpoint-level liveness). */
function allowsZeroId(type: MessageType): boolean {
  return type === MessageType.PING || type === MessageType.PONG;
}

function checkFlags(flags: number): string | undefined {
  if (!Number.isInteger(flags) || flags < 0 || (flags & ~KNOWN_FLAGS) !== 0 || flags > 0xff) {
    return `flags 0x${Number(flags).toString(16)} has bits outside 0x${KNOWN_FLAGS.toString(16)}`;
  }
  return undefined;
}

/** The transfer id's wire bytes, or a failure (bad format; zero id where it is not allowed). */
function idBytes(transferId: TransferId | Uint8Array, type: MessageType): Uint8Array | EncodeFailure {
  let bytes: Uint8Array | undefined;
  if (typeof transferId === 'string') bytes = cachedTransferIdBytes(transferId);
  else if (transferId instanceof Uint8Array && transferId.length === TRANSFER_ID_LENGTH) bytes = transferId;
  if (bytes === undefined) return malformed('transferId must be 16 lowercase hex digits (or 8 bytes)');
  if (!allowsZeroId(type) && isZeroTransferIdBytes(bytes)) return malformed('the all-zero transfer id is reserved for PING/PONG');
  return bytes;
}

/**
 * Encodes one DATA datagram without copying the payload: the result is
 * [header, payload] or [header, payload, tag]. The checksum and tag are
 * computed over the segments in place.
 *
 * `transferId` may be the hex id (its bytes are cached, so repeated calls
 * do not re-parse it) or its 8 wire bytes (from transferIdToBytes), which
 * skips even the cache lookup. `flags` may carry RETRANSMIT, PROBE and
 * FROM_RECEIVER; AUTH is set or cleared according to `options.key`.
 */
export function encodeData(
  transferId: TransferId | Uint8Array,
  chunkIndex: number,
  flags: number,
  payload: Uint8Array,
  options: WireOptions,
): EncodeResult {
  const id = idBytes(transferId, MessageType.DATA);
  if (!(id instanceof Uint8Array)) return id;
  if (!isU32(chunkIndex)) return malformed(`chunk index must be a u32, got ${chunkIndex}`);
  const flagProblem = checkFlags(flags);
  if (flagProblem) return malformed(flagProblem);
  if (payload.length === 0) return malformed('DATA payload must not be empty');
  const room = maxBodyLength(options);
  if (payload.length > room) return { ok: false, error: 'TOO_LARGE', detail: `DATA payload of ${payload.length} bytes exceeds ${room}` };

  const key = options.key;
  const header = new Uint8Array(HEADER_LENGTH);
  writeHeader(header, MessageType.DATA, key ? flags | Flags.AUTH : flags & ~Flags.AUTH, id, chunkIndex, payload.length);
  let crc = crc32(payload, crc32(header));
  let datagram: Uint8Array[];
  if (key) {
    const tag = authTag(key, [header, payload]);
    crc = crc32(tag, crc);
    datagram = [header, payload, tag];
  } else {
    datagram = [header, payload];
  }
  writeU32(header, HeaderOffset.CHECKSUM, crc);
  return { ok: true, datagram, length: HEADER_LENGTH + payload.length + (key ? AUTH_TAG_LENGTH : 0) };
}

/**
 * Encodes any message. DATA goes through encodeData (no payload copy); other
 * types become one segment. Invalid fields give MALFORMED, a body over
 * maxBodyLength gives TOO_LARGE, except NACK, which carries as many ranges
 * as fit, sets Flags.TRUNCATED if some did not, and reports `rangesEncoded`.
 * The caller's AUTH bit is ignored: options.key decides it.
 */
export function encode(message: Message, options: WireOptions): EncodeResult {
  if (!isMessageType(message.type)) return malformed(`unknown message type ${String(message.type)}`);
  if (message.type === MessageType.DATA) {
    return encodeData(message.transferId, message.seq, message.flags, message.body.payload, options);
  }
  const id = idBytes(message.transferId, message.type);
  if (!(id instanceof Uint8Array)) return id;
  if (!isU32(message.seq)) return malformed(`seq must be a u32, got ${message.seq}`);
  const flagProblem = checkFlags(message.flags);
  if (flagProblem) return malformed(flagProblem);

  const room = maxBodyLength(options);
  const plan = planBody(message, room);
  if (!plan.ok) return plan;
  if (plan.length > room) {
    return { ok: false, error: 'TOO_LARGE', detail: `${MessageType[message.type]} body of ${plan.length} bytes exceeds ${room}` };
  }

  const key = options.key;
  const tagLength = key ? AUTH_TAG_LENGTH : 0;
  const bodyEnd = HEADER_LENGTH + plan.length;
  const out = new Uint8Array(bodyEnd + tagLength);
  let flags = message.flags | plan.flags;
  flags = key ? flags | Flags.AUTH : flags & ~Flags.AUTH;
  writeHeader(out, message.type, flags, id, message.seq, plan.length);
  const w = new ByteWriter(out, HEADER_LENGTH);
  plan.write(w);
  if (w.pos !== bodyEnd) return malformed(`internal: body wrote ${w.pos - HEADER_LENGTH} bytes, planned ${plan.length}`);
  if (key) out.set(authTag(key, [out.subarray(0, bodyEnd)]), bodyEnd);
  writeU32(out, HeaderOffset.CHECKSUM, crc32(out));
  const result: EncodeResult = { ok: true, datagram: [out], length: out.length };
  if (plan.rangesEncoded !== undefined) result.rangesEncoded = plan.rangesEncoded;
  return result;
}

function fail(error: DecodeErrorCode, detail: string): DecodeResult {
  return { ok: false, error, detail };
}

/**
 * Decodes one received datagram. Never throws. DATA's payload is a view into
 * `bytes` (no copy): consume it before the buffer is reused. Byte fields of
 * other messages are copies. The decoded flags are the wire flags (AUTH
 * included).
 */
export function decode(bytes: Uint8Array, options: WireOptions): DecodeResult {
  const n = bytes.length;
  if (n < HEADER_LENGTH) return fail('TRUNCATED', `${n} bytes, shorter than the ${HEADER_LENGTH}-byte header`);
  if (n > options.maxDatagram) return fail('BAD_LENGTH', `${n} bytes, over maxDatagram ${options.maxDatagram}`);
  // Nothing in the header is trusted until the checksum matches.
  const stored = readU32(bytes, HeaderOffset.CHECKSUM);
  const actual = datagramChecksum(bytes);
  if (stored !== actual) return fail('BAD_CHECKSUM', `checksum 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`);
  const magic = readU16(bytes, HeaderOffset.MAGIC);
  if (magic !== MAGIC) return fail('BAD_MAGIC', `magic 0x${magic.toString(16)}`);
  const version = bytes[HeaderOffset.VERSION];
  if (version !== VERSION) return fail('BAD_VERSION', `version ${version}, expected ${VERSION}`);
  const type = bytes[HeaderOffset.TYPE];
  if (!isMessageType(type)) return fail('UNKNOWN_TYPE', `type ${type}`);
  const flags = bytes[HeaderOffset.FLAGS];
  if ((flags & ~KNOWN_FLAGS) !== 0) return fail('BAD_FLAGS', `flags 0x${flags.toString(16)}`);
  // The tag's presence is read from the datagram's own AUTH flag, so a
  // datagram from a peer in the other mode fails on auth, not on length.
  const tagged = (flags & Flags.AUTH) !== 0;
  const payloadLength = readU16(bytes, HeaderOffset.PAYLOAD_LENGTH);
  const bodyEnd = HEADER_LENGTH + payloadLength;
  const expected = bodyEnd + (tagged ? AUTH_TAG_LENGTH : 0);
  if (expected > n) return fail('TRUNCATED', `header announces ${expected} bytes, got ${n}`);
  if (expected < n) return fail('BAD_LENGTH', `header announces ${expected} bytes, got ${n}`);
  const key = options.key;
  if (key) {
    if (!tagged) return fail('MISSING_AUTH', 'no tag, but a key is configured');
    if (!verifyAuthTag(key, bytes, bodyEnd)) return fail('BAD_AUTH', 'tag does not match');
  } else if (tagged) {
    return fail('UNEXPECTED_AUTH', 'tag present, but no key is configured');
  }
  if (bytes[HeaderOffset.RESERVED] !== 0) return fail('MALFORMED', `reserved byte is ${bytes[HeaderOffset.RESERVED]}`);
  if (!allowsZeroId(type) && isZeroTransferIdBytes(bytes, HeaderOffset.TRANSFER_ID)) {
    return fail('MALFORMED', `the all-zero transfer id is reserved for PING/PONG`);
  }
  const transferId = transferIdFromBytes(bytes, HeaderOffset.TRANSFER_ID);
  const seq = readU32(bytes, HeaderOffset.SEQ);

  if (type === MessageType.DATA) {
    if (payloadLength === 0) return fail('MALFORMED', 'DATA payload is empty');
    return { ok: true, message: { type, flags, transferId, seq, body: { payload: bytes.subarray(HEADER_LENGTH, bodyEnd) } } };
  }
  const decoded = decodeBody({ type, flags, transferId, seq }, bytes, HEADER_LENGTH, bodyEnd);
  if (typeof decoded === 'string') return fail('MALFORMED', `${MessageType[type]}: ${decoded}`);
  return { ok: true, message: decoded };
}
