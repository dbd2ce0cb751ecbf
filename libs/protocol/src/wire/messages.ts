/**
 * The udpix wire vocabulary: message types, flags, error and reason codes, and
 * the decoded shape of every message. PROTOCOL.md is the normative text; this
 * file is its typed mirror. Pure data: no I/O, no Node-specific imports.
 */

/** Two bytes 'U' 'X' open every datagram. */
export const MAGIC = 0x5558;
/** Version 1. A receiver drops any other version with BAD_VERSION. */
export const VERSION = 1;
/** Fixed header length in bytes (see PROTOCOL.md, "Header"). */
export const HEADER_LENGTH = 24;
/** Length of the truncated HMAC-SHA256 tag in authenticated mode. */
export const AUTH_TAG_LENGTH = 16;
/** Default UDP payload size: a 1500-byte Ethernet MTU minus IPv4 (20) and UDP (8) headers. */
export const DEFAULT_MAX_DATAGRAM = 1472;
/** Smallest datagram size a peer may configure (an OFFER must still fit). */
export const MIN_MAX_DATAGRAM = 576;
/** Largest UDP payload over IPv4 (65535 - 20 - 8); only sensible on loopback. */
export const MAX_MAX_DATAGRAM = 65507;
/** Largest tiny preview an OFFER may carry. */
export const MAX_PREVIEW_BYTES = 1024;
/** Largest name (UTF-8 bytes) an OFFER may carry. */
export const MAX_NAME_BYTES = 255;
/** Largest content type (UTF-8 bytes) an OFFER may carry. */
export const MAX_CONTENT_TYPE_BYTES = 127;
/** Largest reason text (UTF-8 bytes) in REJECT, FAILED and ABORT. */
export const MAX_REASON_TEXT_BYTES = 200;
/** Largest opaque result an OFFER's receiver may return in COMPLETE. */
export const MAX_RESULT_BYTES = 256;
/** Shortest shared key accepted for authenticated mode (128 bits). */
export const MIN_KEY_BYTES = 16;

export enum MessageType {
  OFFER = 1,
  ACCEPT = 2,
  REJECT = 3,
  DATA = 4,
  NACK = 5,
  ACK = 6,
  COMPLETE = 7,
  FAILED = 8,
  ABORT = 9,
  PING = 10,
  PONG = 11,
}

/** Header flag bits. Unknown bits must be zero (else BAD_FLAGS). */
export const Flags = {
  /** An authentication tag follows the payload. */
  AUTH: 0x01,
  /** The datagram was sent by the receiving side of the transfer (guards against reflection). */
  FROM_RECEIVER: 0x02,
  /** DATA: this chunk was sent before (a repair or a probe). */
  RETRANSMIT: 0x04,
  /** NACK: more gaps exist than fit in this datagram. */
  TRUNCATED: 0x08,
  /** DATA: a tail-loss probe; the receiver answers with feedback at once. */
  PROBE: 0x10,
} as const;
export const KNOWN_FLAGS = 0x1f;

/** Why a datagram was dropped. Every code has a counter. */
export type DecodeErrorCode =
  | 'TRUNCATED'
  | 'BAD_CHECKSUM'
  | 'BAD_MAGIC'
  | 'BAD_VERSION'
  | 'UNKNOWN_TYPE'
  | 'BAD_FLAGS'
  | 'BAD_LENGTH'
  | 'BAD_AUTH'
  | 'MISSING_AUTH'
  | 'UNEXPECTED_AUTH'
  | 'MALFORMED';

export const DECODE_ERROR_CODES: readonly DecodeErrorCode[] = [
  'TRUNCATED',
  'BAD_CHECKSUM',
  'BAD_MAGIC',
  'BAD_VERSION',
  'UNKNOWN_TYPE',
  'BAD_FLAGS',
  'BAD_LENGTH',
  'BAD_AUTH',
  'MISSING_AUTH',
  'UNEXPECTED_AUTH',
  'MALFORMED',
];

/** Why a transfer was refused, failed or aborted. Travels as a u16 on the wire. */
export enum Reason {
  UNSPECIFIED = 0,
  TOO_LARGE = 1,
  TOO_MANY_TRANSFERS = 2,
  OUT_OF_MEMORY = 3,
  BAD_OFFER = 4,
  HASH_MISMATCH = 5,
  TIMEOUT = 6,
  UNREACHABLE = 7,
  REPAIR_LIMIT = 8,
  CANCELLED = 9,
  STORE_FAILED = 10,
  SHUTTING_DOWN = 11,
  STALE_OFFER = 12,
  UNSUPPORTED = 13,
  APPLICATION = 14,
}

/** A 64-bit random transfer id, kept as 16 lowercase hex digits in memory. */
export type TransferId = string;

export interface HeaderFields {
  type: MessageType;
  flags: number;
  transferId: TransferId;
  /** DATA: the chunk index. Other types: the sender's packet number for this transfer. */
  seq: number;
}

export interface OfferBody {
  totalSize: number;
  chunkSize: number;
  chunkCount: number;
  /** SHA-256 of the whole object, 32 bytes. */
  sha256: Uint8Array;
  /** Sender's wall clock in ms when the offer was made (replay window). */
  createdAt: number;
  contentType: string;
  name: string;
  /** Opaque application metadata (the transport's envelope, image geometry, ...). */
  metadata: Uint8Array;
  /** A tiny preview (at most MAX_PREVIEW_BYTES), or empty. */
  preview: Uint8Array;
}

export interface AcceptBody {
  /** Chunks the sender may have beyond the cumulative ack point. */
  window: number;
  /** Receiver's cap on the sender's rate in bytes/s; 0 means no cap. */
  maxRate: number;
}

export interface ReasonBody {
  reason: Reason;
  message: string;
}

/** A run of missing chunks [start, start + length). */
export interface ChunkRange {
  start: number;
  length: number;
}

/** Receiver feedback common to ACK and NACK. */
export interface FeedbackBody {
  /** Every chunk below this index has arrived. */
  cumulative: number;
  /** Highest chunk index seen plus one (0 when none). */
  highestSeen: number;
  /** Distinct chunks received so far. */
  received: number;
  /** Flow-control credit: the sender may send chunk i only if i < cumulative + window. */
  window: number;
  /** The chunk whose arrival this feedback answers (for RTT), or 0xffffffff. */
  echoChunk: number;
  /** Microseconds the receiver held the echoed chunk before sending this feedback. */
  echoDelayMicros: number;
}

export interface NackBody extends FeedbackBody {
  /** Missing ranges below highestSeen, ascending, non-overlapping. */
  ranges: ChunkRange[];
}

export interface CompleteBody {
  sha256: Uint8Array;
  totalSize: number;
  /** Opaque result from the receiving application (e.g. the stored id), at most MAX_RESULT_BYTES. */
  result: Uint8Array;
}

export interface PingBody {
  /** Opaque token echoed by PONG (the sender's clock in ms). */
  token: number;
}

export type Message =
  | (HeaderFields & { type: MessageType.OFFER; body: OfferBody })
  | (HeaderFields & { type: MessageType.ACCEPT; body: AcceptBody })
  | (HeaderFields & { type: MessageType.REJECT; body: ReasonBody })
  | (HeaderFields & { type: MessageType.DATA; body: { payload: Uint8Array } })
  | (HeaderFields & { type: MessageType.NACK; body: NackBody })
  | (HeaderFields & { type: MessageType.ACK; body: FeedbackBody })
  | (HeaderFields & { type: MessageType.COMPLETE; body: CompleteBody })
  | (HeaderFields & { type: MessageType.FAILED; body: ReasonBody })
  | (HeaderFields & { type: MessageType.ABORT; body: ReasonBody })
  | (HeaderFields & { type: MessageType.PING; body: PingBody })
  | (HeaderFields & { type: MessageType.PONG; body: PingBody });

export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

/** A datagram as segments to be sent back to back (scatter/gather, no copy of payloads). */
export type Datagram = readonly Uint8Array[];

export type DecodeResult =
  | { ok: true; message: Message }
  | { ok: false; error: DecodeErrorCode; detail: string };

export type EncodeResult =
  | {
      ok: true;
      datagram: Datagram;
      length: number;
      /** NACK only: how many of the given ranges fit (a prefix); fewer than given means Flags.TRUNCATED was set. */
      rangesEncoded?: number;
    }
  | { ok: false; error: 'TOO_LARGE' | 'MALFORMED'; detail: string };

/** What both ends agree on outside the wire: datagram size and the optional shared key. */
export interface WireOptions {
  /** Largest UDP payload this endpoint sends and accepts. */
  maxDatagram: number;
  /** Shared key for authenticated mode (HMAC-SHA256, tag truncated to 16 bytes); undefined = off. */
  key?: Uint8Array;
}

/** Payload bytes a DATA datagram can carry under the given options. */
export function chunkSizeFor(options: WireOptions): number {
  return options.maxDatagram - HEADER_LENGTH - (options.key ? AUTH_TAG_LENGTH : 0);
}
