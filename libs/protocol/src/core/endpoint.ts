/**
 * The sans-IO Endpoint: one per UDP socket. It decodes every datagram, routes
 * it to a sender or receiver session by transfer id and role, accepts or
 * refuses OFFERs against its limits, answers PINGs and late datagrams of
 * finished transfers (tombstones), and multiplexes the sessions' output
 * fairly. Every drop has a named reason in `counters.dropped`.
 *
 * Scheduling choice: pollTransmit round-robins over the active sessions and
 * pollTimeout takes the minimum over them, both by a linear scan. Each
 * session answers in O(1), and an endpoint holds at most
 * sender.maxTransfers + receiver.maxTransfers sessions (64 + 64 by default),
 * so a scan costs well under a microsecond per session; a timer heap would
 * only pay off with thousands of concurrent transfers.
 *
 * Endpoint-wide pacing: every sender session has its own token bucket
 * (sender.rateBytesPerSec), and all of them also draw from one bucket the
 * Endpoint owns (sender.endpointRateBytesPerSec), so N concurrent transfers
 * share one rate on the wire instead of sending N times it into the peer's
 * socket buffer. The session asks the shared bucket itself, because only it
 * knows whether its next datagram is DATA and how long it is, and its
 * pollTimeout then names the shared bucket's refill time. Control datagrams
 * (OFFER, PING, ACCEPT, ACK, NACK, COMPLETE, ...) never wait for it: they are
 * small, rare, and what unblocks everyone's DATA (a starved ACK would stall
 * the peer's sender, a starved NACK the repairs), so they go at once and are
 * only charged to it, which keeps the total on the wire at the rate.
 */
import { randomBytes } from 'crypto';
import { decode } from '../wire/codec';
import { offerFits } from '../wire/bodies';
import { messageTypeName } from '../wire/header';
import { newTransferId } from '../wire/transfer-id';
import { Flags, MessageType, Reason, chunkSizeFor, type DecodeErrorCode, type Message, type OfferBody, type TransferId } from '../wire/messages';
import { resolveEndpointConfig } from './config';
import { ReceiverSession } from './receiver-session';
import { SenderSession } from './sender-session';
import { encodeOwn, type Outgoing, type Session, type SessionContext } from './session';
import { TokenBucketPacer } from './pacer';
import { sha256, toHex } from './stats';
import { TombstoneStore } from './tombstones';
import type {
  EndpointConfig,
  EndpointConfigInput,
  EndpointCounters,
  EndpointEvent,
  OfferInfo,
  OutgoingObject,
  PeerAddress,
  ProtocolEndpoint,
  SendResult,
  Transmit,
  TransferInfo,
} from './types';

/** A random source: n bytes. */
export type RandomSource = (n: number) => Uint8Array;

export interface EndpointOptions {
  config?: EndpointConfigInput;
  /** Transfer ids come from here; default node:crypto randomBytes. Tests pass a seeded source. */
  random?: RandomSource;
}

/** Protocol-level drop reasons, besides the codec's DecodeErrorCode. */
export type EndpointDropReason =
  | 'UNKNOWN_TRANSFER'
  | 'WRONG_PEER'
  | 'WRONG_ROLE'
  | 'MALFORMED_CHUNK'
  | 'QUEUE_FULL'
  | 'LATE';

/** Minimum spacing of answers from one tombstone: late DATA arrives in bursts, one answer per burst is enough. */
export const TOMBSTONE_ANSWER_INTERVAL_MS = 20;

interface Queued {
  to: PeerAddress;
  out: Outgoing;
}

export class Endpoint implements ProtocolEndpoint {
  readonly config: EndpointConfig;
  readonly counters: EndpointCounters = {
    datagramsReceived: 0,
    bytesReceived: 0,
    datagramsSent: 0,
    bytesSent: 0,
    receivedByType: {},
    sentByType: {},
    dropped: {},
    transfersStarted: { sender: 0, receiver: 0 },
    transfersCompleted: { sender: 0, receiver: 0 },
    transfersFailed: { sender: 0, receiver: 0 },
    offersRejected: 0,
    tombstoneAnswers: 0,
    tombstonesEvicted: 0,
    bytesReserved: 0,
  };

  private readonly random: RandomSource;
  private readonly senders = new Map<TransferId, SenderSession>();
  private readonly receivers = new Map<TransferId, ReceiverSession>();
  /** Active sessions in round-robin order. */
  private readonly active: Session[] = [];
  private rr = 0;
  private readonly lastActiveByPeer = new Map<PeerAddress, Session>();
  private readonly tombstones: TombstoneStore;
  private readonly control: Queued[] = [];
  private readonly events: EndpointEvent[] = [];
  private eventHead = 0;
  private draining = false;
  private seq = 0;
  private lastNow = Number.NEGATIVE_INFINITY;
  private readonly context: SessionContext;
  /** The bucket shared by all sender sessions; undefined when sender.endpointRateBytesPerSec is 0. */
  private pacer: TokenBucketPacer | undefined;

  constructor(options: EndpointOptions = {}) {
    this.config = resolveEndpointConfig(options.config);
    this.random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
    this.tombstones = new TombstoneStore(this.config.receiver.tombstoneTtlMs, this.config.receiver.maxTombstones);
    this.context = { config: this.config, emit: (e) => this.emit(e) };
  }

  // ------------------------------------------------------------ application API

  send(to: PeerAddress, object: OutgoingObject, now: number): SendResult {
    this.tick(now);
    if (this.draining) return refuse(Reason.SHUTTING_DOWN, 'endpoint is draining');
    if (this.senders.size >= this.config.sender.maxTransfers) {
      return refuse(Reason.TOO_MANY_TRANSFERS, `${this.senders.size} outgoing transfers in flight (sender.maxTransfers)`);
    }
    const data = object.data;
    const digest = object.sha256 ?? sha256(data);
    const chunkSize = chunkSizeFor(this.config.wire);
    const offer: OfferBody = {
      totalSize: data.length,
      chunkSize,
      chunkCount: Math.ceil(data.length / chunkSize),
      sha256: digest,
      createdAt: Math.max(0, Math.floor(now)),
      contentType: object.contentType ?? 'application/octet-stream',
      name: object.name ?? '',
      metadata: object.metadata ?? new Uint8Array(0),
      preview: object.preview ?? new Uint8Array(0),
    };
    if (!offerFits(offer, this.config.wire)) {
      return refuse(Reason.BAD_OFFER, 'OFFER does not fit one datagram or has invalid fields (name, content type, metadata, preview, sha256)');
    }
    let id = newTransferId(this.random);
    // 64 random bits: a collision is a broken random source, not bad luck; still never reuse a live id.
    for (let tries = 0; this.senders.has(id) && tries < 8; tries++) id = newTransferId(this.random);
    if (this.senders.has(id)) return refuse(Reason.UNSPECIFIED, 'random source keeps returning a transfer id in use');
    const session = new SenderSession({ transferId: id, peer: to, data, offer, now, context: this.context, endpointPacer: this.sharedPacer(now) });
    this.senders.set(id, session);
    this.active.push(session);
    this.counters.transfersStarted.sender++;
    return { ok: true, transferId: id };
  }

  handleDatagram(from: PeerAddress, bytes: Uint8Array, now: number): void {
    this.tick(now);
    this.counters.datagramsReceived++;
    this.counters.bytesReceived += bytes.length;
    const r = decode(bytes, this.config.wire);
    if (!r.ok) {
      this.drop(r.error);
      if (r.error === 'BAD_CHECKSUM' || r.error === 'BAD_AUTH') {
        const s = this.lastActiveByPeer.get(from);
        if (s !== undefined) s.stats.corrupt++;
      }
      return;
    }
    const m = r.message;
    const typeName = messageTypeName(m.type);
    this.counters.receivedByType[typeName] = (this.counters.receivedByType[typeName] ?? 0) + 1;
    const fromReceiver = (m.flags & Flags.FROM_RECEIVER) !== 0;
    switch (m.type) {
      case MessageType.PING:
        // PONG copies id, seq and token (PROTOCOL.md 4.8) and flips FROM_RECEIVER: the answer comes from the other role.
        this.enqueue(from, { type: MessageType.PONG, flags: fromReceiver ? 0 : Flags.FROM_RECEIVER, transferId: m.transferId, seq: m.seq, body: { token: m.body.token } });
        return;
      case MessageType.PONG: {
        const s = fromReceiver ? this.senders.get(m.transferId) : undefined;
        if (s === undefined) return this.drop('UNKNOWN_TRANSFER');
        if (!this.checkPeer(s, from)) return;
        s.noteReceived(bytes.length, now);
        s.onPong(m.body.token, now);
        return;
      }
      case MessageType.OFFER:
        if (fromReceiver) return this.drop('WRONG_ROLE');
        return this.handleOffer(from, m, bytes.length, now);
      case MessageType.DATA:
        if (fromReceiver) return this.drop('WRONG_ROLE');
        return this.handleData(from, m, bytes.length, now);
      case MessageType.ABORT:
        if (!fromReceiver) {
          const s = this.receivers.get(m.transferId);
          if (s === undefined) return this.drop(this.tombstones.get(m.transferId, now) ? 'LATE' : 'UNKNOWN_TRANSFER');
          if (!this.checkPeer(s, from)) return;
          s.noteReceived(bytes.length, now);
          s.onPeerAbort(m.body.reason, m.body.message, now);
          this.reapIfDone(s, now);
          return;
        }
        break;
      default:
        if (!fromReceiver) return this.drop('WRONG_ROLE');
    }
    // Everything left travels receiver -> sender.
    const s = this.senders.get(m.transferId);
    if (s === undefined) return this.drop('UNKNOWN_TRANSFER');
    if (!this.checkPeer(s, from)) return;
    s.noteReceived(bytes.length, now);
    this.lastActiveByPeer.set(from, s);
    switch (m.type) {
      case MessageType.ACCEPT:
        s.onAccept(m.body, now);
        break;
      case MessageType.REJECT:
        s.onReject(m.body, now);
        break;
      case MessageType.ACK:
        s.onFeedback(m.body, undefined, m.flags, now);
        break;
      case MessageType.NACK:
        s.onFeedback(m.body, m.body.ranges, m.flags, now);
        break;
      case MessageType.COMPLETE:
        s.onComplete(m.body, now);
        break;
      case MessageType.FAILED:
      case MessageType.ABORT:
        s.onPeerFailure(m.type, m.body, now);
        break;
      default:
        break;
    }
    this.reapIfDone(s, now);
  }

  handleTimeout(now: number): void {
    this.tick(now);
    // Iterate over a copy: reaping edits `active`.
    for (const s of this.active.slice()) {
      s.handleTimeout(now);
      this.reapIfDone(s, now);
    }
    this.tombstones.expire(now);
  }

  pollTransmit(now: number): Transmit | undefined {
    this.tick(now);
    const q = this.control.shift();
    if (q !== undefined) return this.transmit(q.to, q.out, now);
    const n = this.active.length;
    for (let k = 0; k < n; k++) {
      const index = (this.rr + k) % n;
      const s = this.active[index];
      const out = s.pollTransmit(now);
      if (s.finished) {
        // A session may end inside pollTransmit (repair limit): its ABORT goes out through the queue.
        this.reapIfDone(s, now);
        return this.pollTransmit(now);
      }
      if (out !== undefined) {
        this.rr = (index + 1) % n;
        return this.transmit(s.peer, out, now);
      }
    }
    return undefined;
  }

  pollTimeout(): number | undefined {
    if (this.control.length > 0) return this.lastNow;
    let t: number | undefined;
    for (const s of this.active) {
      const st = finiteDeadline(s.pollTimeout(), this.lastNow);
      if (st !== undefined && (t === undefined || st < t)) t = st;
    }
    return t;
  }

  pollEvent(): EndpointEvent | undefined {
    if (this.eventHead >= this.events.length) return undefined;
    const e = this.events[this.eventHead++];
    // Compact now and then so a long-lived endpoint does not keep every event it ever emitted.
    if (this.eventHead >= 1024 && this.eventHead * 2 >= this.events.length) {
      this.events.splice(0, this.eventHead);
      this.eventHead = 0;
    }
    return e;
  }

  commit(transferId: TransferId, result: Uint8Array | undefined, now: number): boolean {
    this.tick(now);
    const s = this.receivers.get(transferId);
    if (s === undefined) return false;
    const ok = s.commit(result, now);
    this.reapIfDone(s, now);
    return ok;
  }

  fail(transferId: TransferId, reason: Reason, message: string, now: number): boolean {
    this.tick(now);
    const s = this.receivers.get(transferId);
    if (s === undefined) return false;
    const ok = s.fail(reason, message, now);
    this.reapIfDone(s, now);
    return ok;
  }

  abort(transferId: TransferId, reason: Reason, message: string, now: number): boolean {
    this.tick(now);
    const s: Session | undefined = this.senders.get(transferId) ?? this.receivers.get(transferId);
    if (s === undefined || s.finished) return false;
    s.abort(reason, message, now);
    this.reapIfDone(s, now);
    return true;
  }

  drain(): void {
    this.draining = true;
  }

  transfers(): TransferInfo[] {
    const now = this.lastNow === Number.NEGATIVE_INFINITY ? 0 : this.lastNow;
    return this.active.map((s) => s.info(now));
  }

  /** Transfers in flight, by role (cheap; for tests and metrics). */
  get activeCount(): { sender: number; receiver: number } {
    return { sender: this.senders.size, receiver: this.receivers.size };
  }

  // ------------------------------------------------------------ internals

  private tick(now: number): void {
    if (now > this.lastNow) this.lastNow = now;
  }

  /**
   * The endpoint-wide bucket, created with the first transfer: the core has
   * no clock of its own, and the bucket starts full at its creation time.
   */
  private sharedPacer(now: number): TokenBucketPacer | undefined {
    const s = this.config.sender;
    if (s.endpointRateBytesPerSec === 0) return undefined;
    this.pacer ??= new TokenBucketPacer(s.endpointRateBytesPerSec, s.burstDatagrams * this.config.wire.maxDatagram, now);
    return this.pacer;
  }

  private emit(e: EndpointEvent): void {
    this.events.push(e);
  }

  private drop(reason: EndpointDropReason | DecodeErrorCode): void {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
  }

  /** False (and counted) when a known transfer's datagram comes from another address. */
  private checkPeer(s: Session, from: PeerAddress): boolean {
    if (s.peer === from) return true;
    this.drop('WRONG_PEER');
    return false;
  }

  private handleOffer(from: PeerAddress, m: Extract<Message, { type: MessageType.OFFER }>, length: number, now: number): void {
    const id = m.transferId;
    const existing = this.receivers.get(id);
    if (existing !== undefined) {
      if (!this.checkPeer(existing, from)) return;
      existing.noteReceived(length, now);
      existing.onDuplicateOffer();
      return;
    }
    if (this.answerFromTombstone(id, from, now)) return;
    const o = m.body;
    const r = this.config.receiver;
    const reject = (reason: Reason, message: string): void => {
      this.counters.offersRejected++;
      this.enqueue(from, { type: MessageType.REJECT, flags: Flags.FROM_RECEIVER, transferId: id, seq: this.seq++, body: { reason, message } });
    };
    if (this.draining) return reject(Reason.SHUTTING_DOWN, 'receiver is shutting down');
    if (this.config.wire.key !== undefined && Math.abs(now - o.createdAt) > r.replayWindowMs) {
      return reject(Reason.STALE_OFFER, `OFFER created ${Math.round(now - o.createdAt)} ms from now, outside the ${r.replayWindowMs} ms replay window`);
    }
    if (o.chunkCount > 0 && o.chunkSize > chunkSizeFor(this.config.wire)) {
      return reject(Reason.BAD_OFFER, `chunk size ${o.chunkSize} exceeds this endpoint's ${chunkSizeFor(this.config.wire)}`);
    }
    if (o.totalSize > r.maxBytesPerTransfer) return reject(Reason.TOO_LARGE, `${o.totalSize} bytes exceeds receiver.maxBytesPerTransfer ${r.maxBytesPerTransfer}`);
    if (this.receivers.size >= r.maxTransfers) return reject(Reason.TOO_MANY_TRANSFERS, `${this.receivers.size} incoming transfers in flight`);
    if (this.counters.bytesReserved + o.totalSize > r.maxMemoryBytes) {
      return reject(Reason.OUT_OF_MEMORY, `${o.totalSize} bytes would exceed receiver.maxMemoryBytes (${this.counters.bytesReserved} reserved)`);
    }
    const info: OfferInfo = {
      transferId: id,
      peer: from,
      totalSize: o.totalSize,
      chunkSize: o.chunkSize,
      chunkCount: o.chunkCount,
      sha256: toHex(o.sha256),
      createdAt: o.createdAt,
      contentType: o.contentType,
      name: o.name,
      metadata: o.metadata,
      preview: o.preview,
    };
    const session = new ReceiverSession({ transferId: id, peer: from, offer: o, info, now, context: this.context });
    session.noteReceived(length, now);
    this.receivers.set(id, session);
    this.active.push(session);
    this.lastActiveByPeer.set(from, session);
    this.counters.bytesReserved += session.reservedBytes;
    this.counters.transfersStarted.receiver++;
    this.emit({ type: 'started', role: 'receiver', transferId: id, peer: from, offer: info });
    session.start(now);
    this.reapIfDone(session, now);
  }

  private handleData(from: PeerAddress, m: Extract<Message, { type: MessageType.DATA }>, length: number, now: number): void {
    const s = this.receivers.get(m.transferId);
    if (s === undefined) {
      if (!this.answerFromTombstone(m.transferId, from, now, (m.flags & Flags.PROBE) !== 0)) this.drop('UNKNOWN_TRANSFER');
      return;
    }
    if (!this.checkPeer(s, from)) return;
    s.noteReceived(length, now);
    this.lastActiveByPeer.set(from, s);
    const dropped = s.onData(m.seq, m.body.payload, m.flags, now);
    if (dropped !== undefined) this.drop(dropped);
    this.reapIfDone(s, now);
  }

  /**
   * A datagram for a finished incoming transfer: re-send its COMPLETE/FAILED
   * so a sender whose copy was lost can finish, and never restart it. True
   * when a tombstone exists (answered or not). Rate-limited, because late
   * DATA arrives in bursts and one answer per burst is enough; except a
   * PROBE: the sender sends one per probe timeout and waits for exactly that
   * answer (PROTOCOL.md S.6), and on a short path its retries come faster
   * than the limit, so dropping them would turn each lost COMPLETE into
   * a TOMBSTONE_ANSWER_INTERVAL_MS stall.
   */
  private answerFromTombstone(id: TransferId, from: PeerAddress, now: number, probe = false): boolean {
    const t = this.tombstones.get(id, now);
    if (t === undefined) return false;
    if (t.peer !== from) {
      this.drop('WRONG_PEER');
      return true;
    }
    if (!probe && now - t.lastAnswerAt < TOMBSTONE_ANSWER_INTERVAL_MS) {
      this.drop('LATE');
      return true;
    }
    t.lastAnswerAt = now;
    this.counters.tombstoneAnswers++;
    this.enqueue(from, t.message);
    return true;
  }

  private enqueue(to: PeerAddress, message: Message): void {
    if (this.control.length >= this.config.controlQueueLimit) {
      this.drop('QUEUE_FULL');
      return;
    }
    this.control.push({ to, out: encodeOwn(message, this.config) });
  }

  private transmit(to: PeerAddress, out: Outgoing, now: number): Transmit {
    // DATA was taken from the shared bucket by its session before it was built; everything else is charged here.
    if (out.type !== MessageType.DATA) this.pacer?.charge(now, out.length);
    this.counters.datagramsSent++;
    this.counters.bytesSent += out.length;
    const name = messageTypeName(out.type);
    this.counters.sentByType[name] = (this.counters.sentByType[name] ?? 0) + 1;
    return { to, datagram: out.datagram, length: out.length };
  }

  /** Removes a finished session: final message out, tombstone in, memory back, counters. */
  private reapIfDone(s: Session, now: number): void {
    if (!s.finished) return;
    const index = this.active.indexOf(s);
    if (index < 0) return; // already reaped
    this.active.splice(index, 1);
    if (this.rr > index) this.rr--;
    if (this.rr >= this.active.length) this.rr = 0;
    if (this.lastActiveByPeer.get(s.peer) === s) this.lastActiveByPeer.delete(s.peer);
    const final = s.takeFinal();
    if (final !== undefined) this.enqueue(s.peer, final);
    const completed = s instanceof ReceiverSession ? s.state === 'completed' : (s as SenderSession).state === 'completed';
    if (s instanceof ReceiverSession) {
      this.receivers.delete(s.transferId);
      this.counters.bytesReserved -= s.reservedBytes;
      const record = s.tombstone;
      if (record !== undefined) {
        this.tombstones.add(s.transferId, s.peer, record, now);
        this.counters.tombstonesEvicted = this.tombstones.evicted;
      }
      if (completed) this.counters.transfersCompleted.receiver++;
      else this.counters.transfersFailed.receiver++;
    } else {
      this.senders.delete(s.transferId);
      if (completed) this.counters.transfersCompleted.sender++;
      else this.counters.transfersFailed.sender++;
    }
  }
}

/**
 * A session's deadline as the Endpoint may hand it to a driver: finite, or
 * undefined for none. Sessions compute deadlines by arithmetic on times that
 * may be infinite ("never"); a driver cannot arm a timer for -Infinity or NaN,
 * and a simulated clock cannot advance to it. So this is the contract's last
 * line of defence, not the fix for any one bug: +Infinity means no deadline,
 * while -Infinity and NaN mean "due now", because handleTimeout re-checks every
 * timer by comparison and so makes progress, where dropping the deadline
 * could leave a transfer waiting for an event that never comes.
 */
export function finiteDeadline(t: number | undefined, now: number): number | undefined {
  if (t === undefined || t === Number.POSITIVE_INFINITY) return undefined;
  if (Number.isFinite(t)) return t;
  // Before the first call that carried a time there is no "now" to be due at (and no session either).
  return Number.isFinite(now) ? now : undefined;
}

function refuse(reason: Reason, message: string): SendResult {
  return { ok: false, reason, code: Reason[reason], message };
}
