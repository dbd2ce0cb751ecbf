/**
 * The sending side of one transfer, sans-IO.
 *
 * offering --ACCEPT--> sending --all chunks acked--> awaiting-complete --COMPLETE--> completed
 *     |                   |                                |
 *     +--REJECT / timeout-+------- FAILED, ABORT, idle, deadline, repair limit --> failed
 *
 * Per-chunk state lives in typed arrays (state, transmissions, last send
 * time, queued-for-repair), never in per-chunk objects, and DATA payloads are
 * subarray views of the caller's object: nothing is copied. New data is a
 * cursor (`nextNew`), repairs a ring of chunk indices; pollTransmit is O(1)
 * amortised per datagram.
 */
import { encodeData } from '../wire/codec';
import { NO_ECHO } from '../wire/feedback';
import { transferIdToBytes } from '../wire/transfer-id';
import {
  AUTH_TAG_LENGTH,
  Flags,
  HEADER_LENGTH,
  MessageType,
  Reason,
  type ChunkRange,
  type CompleteBody,
  type FeedbackBody,
  type OfferBody,
  type ReasonBody,
  type TransferId,
} from '../wire/messages';
import { backoffDelay } from './backoff';
import { TokenBucketPacer, type Pacer } from './pacer';
import { RttEstimator } from './rtt-estimator';
import { encodeOwn, type Outgoing, type SessionContext } from './session';
import { SessionBase } from './session-base';
import { bytesEqual, toHex } from './stats';
import type { PeerAddress } from './types';

export type SenderState = 'offering' | 'sending' | 'awaiting-complete' | 'completed' | 'failed';

const UNSENT = 0;
const IN_FLIGHT = 1;
const ACKED = 2;
const MiB = 1024 * 1024;
/** Consecutive unanswered probes double the probe timeout at most this many times. */
export const MAX_PROBE_DOUBLINGS = 2;

export interface SenderSessionParams {
  transferId: TransferId;
  peer: PeerAddress;
  /** The object; DATA payloads are views of it, so the caller must not change it until the transfer ends. */
  data: Uint8Array;
  /** A complete OFFER body (sha256, createdAt, sizes) built by the Endpoint. */
  offer: OfferBody;
  now: number;
  context: SessionContext;
  /** Pacing strategy; defaults to a token bucket from the sender config. */
  pacer?: Pacer;
  /**
   * The endpoint-wide bucket shared by every sender session of the endpoint
   * (sender.endpointRateBytesPerSec), or none. DATA leaves only when it and
   * `pacer` both hold the datagram.
   */
  endpointPacer?: Pacer;
}

export class SenderSession extends SessionBase<SenderState> {
  readonly role = 'sender' as const;
  state: SenderState = 'offering';

  private data: Uint8Array;
  private readonly idBytes: Uint8Array;
  private readonly tagLength: number;

  // Per chunk.
  private readonly chunkState: Uint8Array;
  private readonly transmissions: Uint8Array;
  private readonly sentAt: Float64Array;
  private readonly queued: Uint8Array;
  /** Repair queue: a ring of chunk indices; each chunk is in it at most once (queued[]), so chunkCount slots suffice. */
  private readonly ring: Uint32Array;
  private ringHead = 0;
  private ringLength = 0;

  private nextNew = 0;
  private cumulative = 0;
  private ackedCount = 0;
  private ackedBytes = 0;
  /** Flow-control credit from the receiver, chunks beyond `cumulative`. */
  private window = 0;
  /** Highest `highestSeen` of a complete NACK processed: chunks below it not named then were acknowledged. */
  private ackScan = 0;
  /** Ranges of the last complete NACK: the chunks the receiver may still miss below ackScan. */
  private lastNackRanges: readonly ChunkRange[] = [];
  private lastEchoSampled = -1;

  readonly rtt: RttEstimator;
  private readonly pacer: Pacer;
  private readonly endpointPacer: Pacer | undefined;

  private readonly deadlineAt: number;
  private offerDue = true;
  private offerSends = 0;
  private firstOfferAt = 0;
  private nextOfferAt = 0;
  private lastDataSentAt = Number.NEGATIVE_INFINITY;
  /** The last DATA sent was a probe (the receiver answers those at once, without ack delay). */
  private lastDataWasProbe = false;
  private acceptedAt = 0;
  private probeDue = false;
  private probeCount = 0;
  private pingDue = false;
  private pingSentAt: number | undefined;

  constructor(params: SenderSessionParams) {
    super(params);
    const { now } = params;
    this.data = params.data;
    this.idBytes = transferIdToBytes(params.transferId);
    this.tagLength = this.config.wire.key ? AUTH_TAG_LENGTH : 0;
    const n = this.chunkCount;
    this.chunkState = new Uint8Array(n);
    this.transmissions = new Uint8Array(n);
    this.sentAt = new Float64Array(n);
    this.queued = new Uint8Array(n);
    this.ring = new Uint32Array(Math.max(1, n));
    const s = this.config.sender;
    this.rtt = new RttEstimator(s.initialRttMs);
    this.pacer = params.pacer ?? new TokenBucketPacer(s.rateBytesPerSec, s.burstDatagrams * this.config.wire.maxDatagram, now);
    this.endpointPacer = params.endpointPacer;
    this.deadlineAt = now + s.deadlineBaseMs + s.deadlinePerMiBMs * (this.totalSize / MiB);
  }

  /** Bytes the receiver has confirmed. */
  get bytesAcked(): number {
    return this.ackedBytes;
  }

  protected get bytesDone(): number {
    return this.ackedBytes;
  }

  // ------------------------------------------------------------ input

  onAccept(body: { window: number; maxRate: number }, now: number): void {
    if (this.state !== 'offering') return; // a duplicate ACCEPT: only the idle timer cares
    this.state = this.chunkCount === 0 ? 'awaiting-complete' : 'sending';
    this.acceptedAt = now;
    this.window = body.window;
    if (body.maxRate > 0 && body.maxRate < this.pacer.rateBytesPerSec) this.pacer.setRate(body.maxRate, now);
    // Karn: an ACCEPT answers the first OFFER only if there was no second one.
    if (this.offerSends === 1) this.rtt.update(now - this.firstOfferAt);
    else this.pingDue = true;
    this.context.emit({ type: 'accepted', role: 'sender', transferId: this.transferId, peer: this.peer, window: body.window, maxRate: body.maxRate });
  }

  onReject(body: ReasonBody, now: number): void {
    if (this.state !== 'offering') return;
    this.fail(body.reason, `rejected by receiver: ${body.message || Reason[body.reason]}`, now, false, body.message);
  }

  /** ACK (ranges undefined) or NACK. */
  onFeedback(body: FeedbackBody, ranges: readonly ChunkRange[] | undefined, flags: number, now: number): void {
    if (this.state !== 'sending' && this.state !== 'awaiting-complete') return;
    if (ranges === undefined) this.stats.acksReceived++;
    else this.stats.nacksReceived++;
    // Never trust credit beyond the object: it only bounds the cursor.
    this.window = Math.min(body.window, this.chunkCount);
    this.sampleEcho(body, now);

    const before = this.ackedCount;
    const cum = Math.min(body.cumulative, this.nextNew);
    for (let i = this.cumulative; i < cum; i++) this.ack(i);
    if (cum > this.cumulative) this.cumulative = cum;

    if (ranges !== undefined) {
      if ((flags & Flags.TRUNCATED) === 0) this.implicitAcks(ranges, Math.min(body.highestSeen, this.nextNew));
      this.queueRepairs(ranges, now);
    }
    if (this.ackedCount > before) this.probeCount = 0;
    if (this.ackedCount === this.chunkCount && this.state === 'sending') this.state = 'awaiting-complete';
    this.progress(now);
  }

  onComplete(body: CompleteBody, now: number): void {
    if (this.done) return;
    if (!bytesEqual(body.sha256, this.offer.sha256) || body.totalSize !== this.totalSize) {
      this.fail(Reason.HASH_MISMATCH, `receiver completed with SHA-256 ${toHex(body.sha256)} (${body.totalSize} B), expected ${toHex(this.offer.sha256)}`, now, true);
      return;
    }
    this.endedAt = now;
    // COMPLETE confirms everything, whatever feedback was lost on the way.
    this.ackedBytes = this.totalSize;
    this.state = 'completed';
    this.done = true;
    this.data = new Uint8Array(0);
    this.emitCompleted(body.result, now);
  }

  /** FAILED or ABORT from the receiver. */
  onPeerFailure(type: MessageType, body: ReasonBody, now: number): void {
    if (this.done) return;
    const who = type === MessageType.ABORT ? 'aborted by receiver' : 'receiver failed';
    this.fail(body.reason, `${who}: ${body.message || Reason[body.reason]}`, now, false, body.message);
  }

  onPong(token: number, now: number): void {
    if (this.pingSentAt !== undefined && token === Math.floor(this.pingSentAt)) {
      this.rtt.update(now - this.pingSentAt);
      this.pingSentAt = undefined;
    }
  }

  abort(reason: Reason, message: string, now: number): void {
    if (this.done) return;
    this.fail(reason, message, now, this.state !== 'offering' || this.offerSends > 0);
  }

  // ------------------------------------------------------------ timers

  handleTimeout(now: number): void {
    this.tick(now);
    if (this.done) return;
    const s = this.config.sender;
    if (now >= this.deadlineAt) {
      this.fail(Reason.TIMEOUT, `deadline of ${Math.round(this.deadlineAt - this.startedAt)} ms exceeded`, now, true);
      return;
    }
    if (this.state === 'offering') {
      if (this.startedAt + s.offerTimeoutMs <= now) {
        this.fail(Reason.UNREACHABLE, `no answer to OFFER within ${s.offerTimeoutMs} ms`, now, false);
      } else if (now >= this.nextOfferAt) {
        this.offerDue = true;
      }
      return;
    }
    if (this.lastHeardAt + s.idleTimeoutMs <= now) {
      this.fail(Reason.TIMEOUT, `receiver silent for ${s.idleTimeoutMs} ms`, now, true);
      return;
    }
    if (!this.probeDue && this.canProbe() && now >= this.probeAt()) this.probeDue = true;
  }

  pollTimeout(): number | undefined {
    if (this.done) return undefined;
    const s = this.config.sender;
    let t = this.deadlineAt;
    if (this.state === 'offering') {
      if (this.offerDue) return this.lastNow;
      return Math.min(t, this.startedAt + s.offerTimeoutMs, this.nextOfferAt);
    }
    if (this.pingDue) return this.lastNow;
    t = Math.min(t, this.lastHeardAt + s.idleTimeoutMs);
    if (this.probeDue || this.ringLength > 0 || this.canSendNew()) {
      t = Math.min(t, this.nextDataAt(this.config.wire.maxDatagram));
    } else if (this.canProbe()) {
      t = Math.min(t, this.probeAt());
    }
    return t;
  }

  // ------------------------------------------------------------ output

  pollTransmit(now: number): Outgoing | undefined {
    this.tick(now);
    if (this.done) return undefined;
    if (this.state === 'offering') return this.offerDue ? this.sendOffer(now) : undefined;
    if (this.pingDue) return this.sendPing(now);
    if (this.chunkCount === 0) {
      // An empty object has no chunk to probe with: the OFFER is the probe (a tombstone answers it with COMPLETE).
      if (!this.probeDue) return undefined;
      this.probeDue = false;
      this.probeCount++;
      this.lastDataSentAt = now;
      this.lastDataWasProbe = true;
      return this.sendOffer(now);
    }
    return this.sendData(now);
  }

  // ------------------------------------------------------------ internals

  private sendOffer(now: number): Outgoing {
    this.offerDue = false;
    if (this.offerSends === 0) this.firstOfferAt = now;
    this.offerSends++;
    const s = this.config.sender;
    this.nextOfferAt = now + backoffDelay(2 * s.initialRttMs, this.offerSends - 1, s.maxBackoffMs);
    return this.count(encodeOwn({ type: MessageType.OFFER, flags: 0, transferId: this.transferId, seq: this.seq++, body: this.offer }, this.config));
  }

  private sendPing(now: number): Outgoing {
    this.pingDue = false;
    this.pingSentAt = now;
    return this.count(encodeOwn({ type: MessageType.PING, flags: 0, transferId: this.transferId, seq: this.seq++, body: { token: Math.floor(now) } }, this.config));
  }

  private sendData(now: number): Outgoing | undefined {
    let chunk = -1;
    let flags = 0;
    let source: 'probe' | 'repair' | 'new' = 'new';
    if (this.probeDue) {
      chunk = this.probeChunk();
      flags = Flags.RETRANSMIT | Flags.PROBE;
      source = 'probe';
    } else {
      // Repairs go first: they unblock the receiver's cumulative point and so the window.
      while (this.ringLength > 0) {
        const c = this.ring[this.ringHead];
        if (this.chunkState[c] !== ACKED) {
          chunk = c;
          flags = Flags.RETRANSMIT;
          source = 'repair';
          break;
        }
        this.popRepair();
      }
      if (chunk < 0) {
        if (!this.canSendNew()) return undefined;
        chunk = this.nextNew;
      }
    }
    const start = chunk * this.chunkSize;
    const end = Math.min(start + this.chunkSize, this.totalSize);
    const length = HEADER_LENGTH + (end - start) + this.tagLength;
    if (!this.consumeTokens(now, length)) return undefined;

    // Only NACK-driven repairs count against the limit: probes into silence are the idle timer's business.
    if (source === 'repair' && this.transmissions[chunk] >= this.config.sender.maxTransmissionsPerChunk) {
      this.fail(Reason.REPAIR_LIMIT, `chunk ${chunk} sent ${this.transmissions[chunk]} times without being acknowledged`, now, true);
      return undefined;
    }
    if (source === 'probe') {
      this.probeDue = false;
      this.probeCount++;
    } else if (source === 'repair') {
      this.popRepair();
    } else {
      this.nextNew++;
    }
    const r = encodeData(this.idBytes, chunk, flags, this.data.subarray(start, end), this.config.wire);
    if (!r.ok) throw new Error(`internal: cannot encode DATA ${chunk}: ${r.error} ${r.detail}`);
    if (this.transmissions[chunk] < 255) this.transmissions[chunk]++;
    this.sentAt[chunk] = now;
    if (this.chunkState[chunk] === UNSENT) this.chunkState[chunk] = IN_FLIGHT;
    this.lastDataSentAt = now;
    this.lastDataWasProbe = source === 'probe';
    if (source === 'new') {
      this.stats.chunksSent++;
    } else {
      this.stats.chunksRetransmitted++;
      this.stats.bytesRetransmitted += end - start;
    }
    return this.count({ type: MessageType.DATA, datagram: r.datagram, length: r.length });
  }

  /**
   * When a DATA datagram of `bytes` may leave: both buckets must hold it, so
   * a session blocked only by the shared one still names a deadline (the
   * shared bucket's refill) instead of "now", which would make a driver spin.
   */
  private nextDataAt(bytes: number): number {
    const own = this.pacer.nextAvailableAt(this.lastNow, bytes);
    return this.endpointPacer === undefined ? own : Math.max(own, this.endpointPacer.nextAvailableAt(this.lastNow, bytes));
  }

  /** Spends `bytes` from both buckets, or from neither: a refusal by one must not waste the other's tokens. */
  private consumeTokens(now: number, bytes: number): boolean {
    const shared = this.endpointPacer;
    if (shared !== undefined && shared.nextAvailableAt(now, bytes) > now) return false;
    if (!this.pacer.tryConsume(now, bytes)) return false;
    // Cannot fail: checked above at the same `now`, and nothing spent from it in between.
    shared?.tryConsume(now, bytes);
    return true;
  }

  private canSendNew(): boolean {
    return this.nextNew < this.chunkCount && this.nextNew < this.cumulative + this.window;
  }

  /** A probe is worth sending when nothing else can go and something is still unconfirmed. */
  private canProbe(): boolean {
    return (this.state === 'sending' || this.state === 'awaiting-complete') && this.ringLength === 0 && !this.canSendNew();
  }

  /**
   * PTO after the last DATA sent; from the second consecutive probe on,
   * doubled per probe up to 2^MAX_PROBE_DOUBLINGS and maxBackoffMs (two
   * probes one PTO apart stand in for QUIC's two probe packets per PTO: one
   * lost probe should not cost a doubling). The doubling is capped low on
   * purpose: a probe is one datagram, so probing a silent peer every 4 PTO
   * costs nothing, while a long backoff after a few unlucky losses (a lost
   * COMPLETE at 30 % loss) stalls a live transfer for seconds.
   *
   * The timer runs from the last DATA sent, not from the last feedback (as in
   * RFC 9002 6.2.1): what it waits for is the answer to that DATA, and
   * feedback that came meanwhile without it (a delayed ACK of an earlier
   * repair) says nothing about the tail, so restarting on it only added a
   * PTO to every lost last chunk. The PTO includes the receiver's
   * maxAckDelayMs because an ordinary DATA may be acknowledged that late;
   * a PROBE is answered at once (S.6), so after a probe that got no answer
   * at all the wait is srtt + 4 rttvar: on a 2 ms path the 10 ms ack delay
   * was 5 RTTs per lost probe or lost COMPLETE, doubled with each retry.
   */
  private probeAt(): number {
    const unansweredProbe = this.lastDataWasProbe && this.lastHeardAt < this.lastDataSentAt;
    const pto = this.rtt.pto(unansweredProbe ? 0 : this.config.receiver.maxAckDelayMs);
    const cap = Math.max(this.config.sender.maxBackoffMs, pto);
    return Math.max(this.lastDataSentAt, this.acceptedAt) + backoffDelay(pto, Math.min(Math.max(0, this.probeCount - 1), MAX_PROBE_DOUBLINGS), cap);
  }

  /** Highest chunk sent and not acknowledged; the last chunk once everything is. */
  private probeChunk(): number {
    for (let i = this.nextNew - 1; i >= this.cumulative; i--) if (this.chunkState[i] !== ACKED) return i;
    return this.nextNew > 0 ? this.nextNew - 1 : 0;
  }

  private ack(i: number): void {
    if (this.chunkState[i] === ACKED) return;
    this.chunkState[i] = ACKED;
    this.ackedCount++;
    this.ackedBytes += i === this.chunkCount - 1 ? this.totalSize - i * this.chunkSize : this.chunkSize;
  }

  /**
   * A complete NACK says: below highestSeen, everything not in `ranges` has
   * arrived. Only two regions can hold chunks we do not know to be acked yet:
   * [ackScan, highestSeen) (never covered by a complete NACK) and the ranges
   * of the previous complete NACK. Walking just those keeps the cost
   * proportional to what is missing, not to the window.
   */
  private implicitAcks(ranges: readonly ChunkRange[], highestSeen: number): void {
    for (const r of this.lastNackRanges) {
      const from = Math.max(r.start, this.cumulative);
      const to = Math.min(r.start + r.length, highestSeen);
      if (from < to) this.ackOutside(ranges, from, to);
    }
    const from = Math.max(this.ackScan, this.cumulative);
    if (from < highestSeen) this.ackOutside(ranges, from, highestSeen);
    if (highestSeen > this.ackScan) this.ackScan = highestSeen;
    this.lastNackRanges = ranges;
  }

  /** Acks every chunk of [from, to) not inside `ranges` (ascending). */
  private ackOutside(ranges: readonly ChunkRange[], from: number, to: number): void {
    // Binary search the first range ending after `from`.
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid].start + ranges[mid].length <= from) lo = mid + 1;
      else hi = mid;
    }
    let j = lo;
    for (let i = from; i < to; ) {
      if (j < ranges.length && ranges[j].start <= i) {
        i = ranges[j].start + ranges[j].length; // skip the missing run
        j++;
        continue;
      }
      const stop = j < ranges.length ? Math.min(to, ranges[j].start) : to;
      for (; i < stop; i++) this.ack(i);
    }
  }

  /** Queues exactly the chunks the NACK names, once each, skipping repairs sent less than one RTT ago. */
  private queueRepairs(ranges: readonly ChunkRange[], now: number): void {
    // "One RTT" as srtt + rttvar: a NACK sent just before our repair arrived reaches us less than one
    // path RTT after the repair left; the variation term keeps jitter from turning that into a duplicate.
    const guard = this.rtt.smoothed + this.rtt.variation;
    let queuedAny = false;
    for (const r of ranges) {
      const from = Math.max(r.start, this.cumulative);
      const to = Math.min(r.start + r.length, this.nextNew);
      for (let i = from; i < to; i++) {
        if (this.chunkState[i] === ACKED || this.queued[i] !== 0) continue;
        // A chunk sent once is simply lost; a repair younger than an RTT may still be on its way.
        if (this.transmissions[i] > 1 && now - this.sentAt[i] < guard) continue;
        this.pushRepair(i);
        queuedAny = true;
      }
    }
    if (queuedAny) this.stats.repairRounds++;
  }

  private pushRepair(i: number): void {
    this.ring[(this.ringHead + this.ringLength) % this.ring.length] = i;
    this.ringLength++;
    this.queued[i] = 1;
  }

  private popRepair(): void {
    this.queued[this.ring[this.ringHead]] = 0;
    this.ringHead = (this.ringHead + 1) % this.ring.length;
    this.ringLength--;
  }

  /** RTT from the echoed chunk, once per echo, only if that chunk went out once (Karn). */
  private sampleEcho(body: FeedbackBody, now: number): void {
    const echo = body.echoChunk;
    if (echo === NO_ECHO || echo >= this.chunkCount || echo === this.lastEchoSampled) return;
    this.lastEchoSampled = echo;
    if (this.transmissions[echo] !== 1) return;
    this.rtt.update(now - this.sentAt[echo], body.echoDelayMicros / 1000);
  }

  /** `peerMessage`: the peer's own text, when the peer ended the transfer (see the `failed` event). */
  private fail(reason: Reason, message: string, now: number, sendAbort: boolean, peerMessage?: string): void {
    if (this.done) return;
    this.state = 'failed';
    this.done = true;
    this.endedAt = now;
    this.data = new Uint8Array(0);
    if (sendAbort) {
      this.finalMessage = { type: MessageType.ABORT, flags: 0, transferId: this.transferId, seq: this.seq++, body: { reason, message } };
    }
    this.emitFailed(reason, message, now, peerMessage);
  }

  /** Retransmitted / sent: all the sender can see of loss. */
  protected lossEstimate(): number {
    const sent = this.stats.chunksSent + this.stats.chunksRetransmitted;
    return sent > 0 ? this.stats.chunksRetransmitted / sent : 0;
  }
}
