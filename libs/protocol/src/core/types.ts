/**
 * The public shape of the sans-IO core: what a driver (real sockets, or the
 * SimNetwork) feeds in and polls out. Time is always an argument in
 * milliseconds (fractions allowed); nothing in core reads a clock, a socket or
 * a random source of its own.
 *
 * In authenticated mode `now` must be wall-clock time (epoch ms): it becomes
 * the OFFER's createdAt and is checked against the replay window. Otherwise
 * any monotonic millisecond clock will do.
 */
import type { ChunkRange, Datagram, DecodeErrorCode, Reason, TransferId, WireOptions } from '../wire/messages';

/** An opaque peer address ("host:port" for UDP drivers, any string for simulations). */
export type PeerAddress = string;

/** One datagram to put on the wire. */
export interface Transmit {
  to: PeerAddress;
  datagram: Datagram;
  /** Total bytes of the datagram (sum of its segments). */
  length: number;
}

export type Role = 'sender' | 'receiver';

/** Per-transfer statistics, kept by both sides. Counts are cumulative over the transfer's life. */
export interface TransferStats {
  datagramsSent: number;
  bytesSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  /** DATA chunks sent for the first time. */
  chunksSent: number;
  /** DATA chunks sent again (repairs and probes). */
  chunksRetransmitted: number;
  bytesRetransmitted: number;
  /** DATA chunks that arrived more than once. */
  duplicates: number;
  /** Datagrams from this transfer's peer that failed the checksum or the tag while it ran. */
  corrupt: number;
  /** DATA chunks that arrived below the highest index already seen. */
  outOfOrder: number;
  nacksSent: number;
  nacksReceived: number;
  acksSent: number;
  acksReceived: number;
  /** Gap ranges detected / repaired (receiver). */
  gapsDetected: number;
  gapsRepaired: number;
  /** Repair rounds: NACKs that asked for at least one chunk again (sender: NACKs that caused retransmissions). */
  repairRounds: number;
  /** Loss estimate in [0, 1]: receiver = missing first transmissions / chunks; sender = retransmitted / sent. */
  lossEstimate: number;
  /** Smoothed RTT, RTT variation and minimum RTT in ms (0 until sampled). */
  rttMs: number;
  rttVarMs: number;
  minRttMs: number;
  /** From the first datagram of the transfer to its end (or now). */
  durationMs: number;
  /** Object bytes delivered per second of duration. */
  goodputBytesPerSec: number;
}

/** What the receiving side learns from an OFFER. */
export interface OfferInfo {
  transferId: TransferId;
  peer: PeerAddress;
  totalSize: number;
  chunkSize: number;
  chunkCount: number;
  /** SHA-256 of the whole object, lowercase hex. */
  sha256: string;
  createdAt: number;
  contentType: string;
  name: string;
  metadata: Uint8Array;
  preview: Uint8Array;
}

export type EndpointEvent =
  /** Receiver: an OFFER was accepted and a buffer reserved. */
  | { type: 'started'; role: 'receiver'; transferId: TransferId; peer: PeerAddress; offer: OfferInfo }
  /** Sender: the receiver accepted the OFFER. */
  | { type: 'accepted'; role: 'sender'; transferId: TransferId; peer: PeerAddress; window: number; maxRate: number }
  /** Either side, throttled: bytes confirmed (sender) or received (receiver) so far. */
  | { type: 'progress'; role: Role; transferId: TransferId; peer: PeerAddress; bytes: number; totalBytes: number; stats: TransferStats }
  /** Receiver: new missing ranges were detected. */
  | { type: 'gap'; role: 'receiver'; transferId: TransferId; peer: PeerAddress; ranges: ChunkRange[] }
  /** Receiver: ranges that had been reported missing are now filled. */
  | { type: 'gap-repaired'; role: 'receiver'; transferId: TransferId; peer: PeerAddress; ranges: ChunkRange[] }
  /**
   * Receiver: every chunk arrived and the SHA-256 matched. The application
   * stores `data` and then calls `commit()` (or `fail()`); only then is
   * COMPLETE sent and `completed` emitted. With `autoCommit` this is followed
   * at once by `completed`.
   */
  | { type: 'verified'; role: 'receiver'; transferId: TransferId; peer: PeerAddress; offer: OfferInfo; data: Uint8Array; stats: TransferStats }
  /** Either side: the transfer is done and its hash confirmed (sender: by the receiver's COMPLETE). */
  | { type: 'completed'; role: Role; transferId: TransferId; peer: PeerAddress; bytes: number; sha256: string; result: Uint8Array; stats: TransferStats }
  /**
   * Either side: the transfer ended without success. `message` is for
   * humans and says who ended it ("receiver failed: ...", "rejected by
   * receiver: ..."). `peerMessage` is set exactly when the peer ended the
   * transfer (its REJECT, FAILED or ABORT): the peer's text as it came off
   * the wire, without that prefix and without the reason name substituted
   * for an empty text, so an application can parse what its peer put there
   * ('' when the peer sent none). `reason` is then the peer's reason code.
   */
  | {
      type: 'failed';
      role: Role;
      transferId: TransferId;
      peer: PeerAddress;
      reason: Reason;
      code: string;
      message: string;
      peerMessage?: string;
      stats: TransferStats;
    };

export type EndpointEventType = EndpointEvent['type'];

/** An object to send. */
export interface OutgoingObject {
  data: Uint8Array;
  name?: string;
  contentType?: string;
  metadata?: Uint8Array;
  preview?: Uint8Array;
  /** Precomputed SHA-256 (32 bytes); computed when absent. */
  sha256?: Uint8Array;
}

export type SendResult =
  | { ok: true; transferId: TransferId }
  | { ok: false; reason: Reason; code: string; message: string };

/** Sender-side knobs. Every one is bounded and validated. */
export interface SenderConfig {
  /** Pacing rate in bytes/s of one transfer's DATA (a token bucket per sender session). */
  rateBytesPerSec: number;
  /**
   * Pacing rate in bytes/s of everything the endpoint puts on the wire, all
   * transfers together (one token bucket shared by every sender session, of
   * the same depth as theirs); 0 = no endpoint-wide limit. Without it, N
   * concurrent transfers send N x rateBytesPerSec and overrun the peer's
   * socket buffer. DATA waits for both buckets; control datagrams never
   * wait but are charged to this one. Default: rateBytesPerSec as resolved.
   */
  endpointRateBytesPerSec: number;
  /** Token bucket depth in datagrams (burst). */
  burstDatagrams: number;
  /** Initial retransmission timeout for OFFER before an RTT sample exists, ms. */
  initialRttMs: number;
  /** Give up when no ACCEPT arrives within this time, ms. */
  offerTimeoutMs: number;
  /** Give up when nothing is heard from the receiver for this long, ms. */
  idleTimeoutMs: number;
  /** Overall deadline: fixed part, ms. */
  deadlineBaseMs: number;
  /** Overall deadline: per MiB of object, ms. */
  deadlinePerMiBMs: number;
  /** Give up when one chunk had to be sent this many times. */
  maxTransmissionsPerChunk: number;
  /** Outgoing transfers in flight at once. */
  maxTransfers: number;
  /** Cap on the OFFER retry interval and on the tail-probe backoff, ms. */
  maxBackoffMs: number;
}

/** Receiver-side knobs. */
export interface ReceiverConfig {
  /** Largest object accepted, bytes. */
  maxBytesPerTransfer: number;
  /** Incoming transfers in flight at once. */
  maxTransfers: number;
  /** Sum of reserved buffers over all incoming transfers, bytes. */
  maxMemoryBytes: number;
  /** Flow-control credit granted, in bytes (converted to chunks). */
  windowBytes: number;
  /** Cap on the sender's rate announced in ACCEPT, bytes/s; 0 = none. */
  maxRateBytesPerSec: number;
  /** Chunks after which an ACK is sent even if nothing else happened. */
  ackEveryChunks: number;
  /** Longest delay before feedback for newly received data, ms. */
  maxAckDelayMs: number;
  /** Chunks that may arrive past a hole before it counts as a gap (reordering tolerance). */
  reorderChunks: number;
  /** Time a hole may stay before it counts as a gap, as a fraction of RTT (plus 1 ms). */
  reorderRttFraction: number;
  /** Free a transfer that heard nothing for this long, ms. */
  idleTimeoutMs: number;
  /** Keep finished transfer ids this long, to answer late datagrams and refuse replays, ms. */
  tombstoneTtlMs: number;
  /** Finished transfer ids kept at most. */
  maxTombstones: number;
  /** In authenticated mode, an OFFER older or newer than this (by its createdAt) is refused, ms. */
  replayWindowMs: number;
  /** Emit `completed` and send COMPLETE right after verification (no storage step). */
  autoCommit: boolean;
  /** Longest time the application may take between `verified` and commit/fail, ms. */
  commitTimeoutMs: number;
  /** RTT assumed before the first sample (reorder tolerance, re-NACK interval), ms. */
  initialRttMs: number;
  /** Floor of the interval after which a still-missing range is NACKed again, ms. */
  minNackIntervalMs: number;
}

export interface EndpointConfig {
  wire: WireOptions;
  sender: SenderConfig;
  receiver: ReceiverConfig;
  /** Minimum interval between `progress` events of one transfer, ms. */
  progressIntervalMs: number;
  /**
   * Endpoint-level datagrams (REJECT, PONG, answers from tombstones, final
   * COMPLETE/FAILED/ABORT) waiting for pollTransmit, at most. Beyond it they
   * are dropped and counted as QUEUE_FULL: each of them is repeated by the
   * peer's own retry, so dropping is safe and the queue stays bounded.
   */
  controlQueueLimit: number;
}

/** A partial EndpointConfig: every field optional, nested objects too (see resolveEndpointConfig). */
export interface EndpointConfigInput {
  wire?: Partial<WireOptions>;
  sender?: Partial<SenderConfig>;
  receiver?: Partial<ReceiverConfig>;
  progressIntervalMs?: number;
  controlQueueLimit?: number;
}

/** Endpoint-wide counters (every drop has a reason). */
export interface EndpointCounters {
  datagramsReceived: number;
  bytesReceived: number;
  datagramsSent: number;
  bytesSent: number;
  /** Valid datagrams received, by message type name. */
  receivedByType: Record<string, number>;
  /** Datagrams sent, by message type name. */
  sentByType: Record<string, number>;
  /** Dropped datagrams by reason: decode errors and protocol-level reasons (UNKNOWN_TRANSFER, WRONG_ROLE, REPLAYED, ...). */
  dropped: Record<DecodeErrorCode | string, number>;
  transfersStarted: { sender: number; receiver: number };
  transfersCompleted: { sender: number; receiver: number };
  transfersFailed: { sender: number; receiver: number };
  offersRejected: number;
  /** Late datagrams of finished transfers answered with the recorded COMPLETE/FAILED. */
  tombstoneAnswers: number;
  /** Tombstones dropped before their TTL because maxTombstones was reached. */
  tombstonesEvicted: number;
  /** Buffer bytes reserved by incoming transfers right now (a gauge). */
  bytesReserved: number;
}

/** Progress of one transfer in flight. */
export interface TransferInfo {
  transferId: TransferId;
  role: Role;
  peer: PeerAddress;
  state: string;
  name: string;
  contentType: string;
  totalBytes: number;
  bytes: number;
  stats: TransferStats;
}

/**
 * The sans-IO endpoint: one per UDP socket. It holds any number of sender and
 * receiver sessions, keyed by transfer id, in both directions at once.
 */
export interface ProtocolEndpoint {
  /** Start sending an object; the OFFER goes out on the next pollTransmit. */
  send(to: PeerAddress, object: OutgoingObject, now: number): SendResult;
  /** Feed one received datagram. Never throws: bad input is dropped and counted. */
  handleDatagram(from: PeerAddress, bytes: Uint8Array, now: number): void;
  /** Advance timers up to `now`. */
  handleTimeout(now: number): void;
  /** Next datagram to send at `now`, if pacing and flow control allow one. */
  pollTransmit(now: number): Transmit | undefined;
  /** Earliest time at which handleTimeout or pollTransmit has work, or undefined. */
  pollTimeout(): number | undefined;
  /** Next event, in order. */
  pollEvent(): EndpointEvent | undefined;
  /** Receiver: the application stored a verified object; send COMPLETE with an optional result. */
  commit(transferId: TransferId, result: Uint8Array | undefined, now: number): boolean;
  /** Receiver: the application could not keep a verified object. */
  fail(transferId: TransferId, reason: Reason, message: string, now: number): boolean;
  /** Either side: abort a transfer in flight (sends ABORT). */
  abort(transferId: TransferId, reason: Reason, message: string, now: number): boolean;
  /** Refuse new OFFERs from now on (draining), while transfers in flight go on. */
  drain(): void;
  /** Transfers in flight. */
  transfers(): TransferInfo[];
  /** Endpoint-wide counters (a live object: read, don't mutate). */
  readonly counters: EndpointCounters;
}
