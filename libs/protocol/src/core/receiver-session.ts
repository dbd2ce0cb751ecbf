/**
 * The receiving side of one transfer, sans-IO.
 *
 * receiving --last chunk, hash ok--> verified --commit()--> completed
 *     |                                 |
 *     +--hash mismatch, idle, abort-----+--fail(), commit timeout--> failed
 *
 * One buffer of totalSize is reserved up front and every chunk is written at
 * its offset whatever the arrival order; a bitmap says which chunks are
 * there. Holes below the highest chunk seen go to the NackScheduler (policy);
 * the SHA-256 is fed in order as the cumulative point advances, so the final
 * check costs only the tail. Control datagrams (ACCEPT, ACK, NACK) are built
 * from state when polled, never queued.
 */
import { createHash, type Hash } from 'crypto';
import { NO_ECHO } from '../wire/feedback';
import { Flags, MAX_RESULT_BYTES, MessageType, Reason, type FeedbackBody, type Message, type OfferBody, type TransferId } from '../wire/messages';
import { NackScheduler, type DueRanges } from './nack-scheduler';
import { RttEstimator } from './rtt-estimator';
import { encodeOwn, type Outgoing, type SessionContext } from './session';
import { SessionBase } from './session-base';
import { bytesEqual, toHex } from './stats';
import type { OfferInfo, PeerAddress } from './types';

export type ReceiverState = 'receiving' | 'verified' | 'completed' | 'failed';

/** Why a DATA datagram was dropped by the session (the Endpoint counts it). */
export type DataDropReason = 'MALFORMED_CHUNK';

export interface ReceiverSessionParams {
  transferId: TransferId;
  peer: PeerAddress;
  offer: OfferBody;
  info: OfferInfo;
  now: number;
  context: SessionContext;
}

const EMPTY = new Uint8Array(0);

export class ReceiverSession extends SessionBase<ReceiverState> {
  readonly role = 'receiver' as const;
  readonly offerInfo: OfferInfo;
  state: ReceiverState = 'receiving';
  /** Bytes reserved for this transfer (returned to the Endpoint's budget when it ends). */
  readonly reservedBytes: number;

  private buffer: Uint8Array;
  private readonly bits: Uint32Array;
  private readonly windowChunks: number;

  private cumulative = 0;
  private highestSeen = 0;
  private receivedCount = 0;
  private receivedBytes = 0;
  /** Chunks whose first arrival was a retransmission (their first copy was lost). */
  private recoveredCount = 0;
  private hasher: Hash | undefined = createHash('sha256');

  readonly rtt: RttEstimator;
  readonly nack: NackScheduler;

  private acceptDue = true;
  private acceptSends = 0;
  private acceptSentAt = 0;
  private firstDataAt: number | undefined;
  private feedbackDue = false;
  private unacked = 0;
  private firstUnackedAt = 0;
  private lastArrivalChunk = NO_ECHO;
  private lastArrivalAt = 0;
  private rttProbeChunk = -1;
  private rttProbeSentAt = 0;
  private commitDeadline = Number.POSITIVE_INFINITY;

  /** What the tombstone answers late datagrams with: the final message, or an ABORT when the peer ended it. */
  private tombstoneMessage: Message | undefined;

  constructor(params: ReceiverSessionParams) {
    super(params);
    const { offer } = params;
    this.offerInfo = params.info;
    const r = this.config.receiver;
    this.reservedBytes = offer.totalSize;
    this.buffer = new Uint8Array(offer.totalSize);
    this.bits = new Uint32Array(Math.ceil(offer.chunkCount / 32));
    this.windowChunks = Math.max(1, Math.floor(r.windowBytes / offer.chunkSize));
    this.rtt = new RttEstimator(r.initialRttMs);
    this.nack = new NackScheduler({
      reorderChunks: r.reorderChunks,
      reorderRttFraction: r.reorderRttFraction,
      minNackIntervalMs: r.minNackIntervalMs,
    });
  }

  get bytesReceived(): number {
    return this.receivedBytes;
  }

  protected get bytesDone(): number {
    return this.receivedBytes;
  }

  /**
   * The message a tombstone of this finished transfer answers with. Every
   * ended transfer has one, even when the sender ended it (an ABORT then), so
   * a replayed OFFER can never restart it.
   */
  get tombstone(): Message | undefined {
    return this.done ? this.tombstoneMessage : undefined;
  }

  /** Called once after the Endpoint emitted `started`: an empty object is complete at once. */
  start(now: number): void {
    if (this.chunkCount === 0) this.finishData(now);
  }

  // ------------------------------------------------------------ input

  /** The same OFFER again: our ACCEPT was lost (or is late). */
  onDuplicateOffer(): void {
    if (this.state === 'receiving' || this.state === 'verified') this.acceptDue = true;
  }

  onData(index: number, payload: Uint8Array, flags: number, now: number): DataDropReason | undefined {
    if (index >= this.chunkCount) return 'MALFORMED_CHUNK';
    const expected = index === this.chunkCount - 1 ? this.totalSize - index * this.chunkSize : this.chunkSize;
    if (payload.length !== expected) return 'MALFORMED_CHUNK';
    const probe = (flags & Flags.PROBE) !== 0;
    if (this.state !== 'receiving') {
      // Everything is here; a probe still wants to hear so (verified: ACK; later the tombstone answers).
      this.stats.duplicates++;
      if (probe) this.feedbackDue = true;
      return undefined;
    }
    if (this.firstDataAt === undefined) {
      this.firstDataAt = now;
      // ACCEPT -> first DATA is one round trip plus the sender's pacing, if ACCEPT went out once.
      if (this.acceptSends === 1) this.rtt.update(now - this.acceptSentAt);
    }
    const word = index >>> 5;
    const bit = 1 << (index & 31);
    if ((this.bits[word] & bit) !== 0) {
      this.stats.duplicates++;
      if (probe) {
        this.answerProbe(index);
        this.promote(now); // emits `gap` for the holes the probe just exposed
      }
      return undefined;
    }
    this.bits[word] |= bit;
    this.buffer.set(payload, index * this.chunkSize);
    this.receivedCount++;
    this.receivedBytes += payload.length;
    if ((flags & Flags.RETRANSMIT) !== 0) {
      this.recoveredCount++;
      if (index === this.rttProbeChunk) {
        // Only if no re-NACK could have been the one answered.
        if (now - this.rttProbeSentAt < this.nack.renackInterval(this.rtt.smoothed)) this.rtt.update(now - this.rttProbeSentAt);
        this.rttProbeChunk = -1;
      }
    }
    if (index >= this.highestSeen) {
      if (index > this.highestSeen) this.nack.openHole(this.highestSeen, index, now);
      this.highestSeen = index + 1;
    } else {
      this.stats.outOfOrder++;
      this.nack.fill(index);
    }
    if (index === this.cumulative) this.advanceCumulative();
    this.lastArrivalChunk = index;
    this.lastArrivalAt = now;
    if (this.unacked === 0) this.firstUnackedAt = now;
    this.unacked++;
    if (this.unacked >= this.config.receiver.ackEveryChunks) this.feedbackDue = true;
    if (probe) this.answerProbe(index);
    this.promote(now);
    if (this.receivedCount === this.chunkCount) this.finishData(now);
    else this.progress(now);
    return undefined;
  }

  /** The application stored the object: send COMPLETE (with its result) and end. */
  commit(result: Uint8Array | undefined, now: number): boolean {
    this.tick(now);
    if (this.state !== 'verified') return false;
    const res = result ?? EMPTY;
    if (res.length > MAX_RESULT_BYTES) return false;
    this.state = 'completed';
    this.done = true;
    this.endedAt = now;
    this.finalMessage = this.tombstoneMessage = {
      type: MessageType.COMPLETE,
      flags: Flags.FROM_RECEIVER,
      transferId: this.transferId,
      seq: this.seq++,
      body: { sha256: this.offer.sha256, totalSize: this.totalSize, result: res },
    };
    this.release();
    this.emitCompleted(res, now);
    return true;
  }

  /** The application could not keep the object (or gives up): FAILED to the sender. */
  fail(reason: Reason, message: string, now: number): boolean {
    this.tick(now);
    if (this.done) return false;
    this.end(MessageType.FAILED, reason, message, now);
    return true;
  }

  abort(reason: Reason, message: string, now: number): void {
    this.tick(now);
    if (this.done) return;
    this.end(MessageType.ABORT, reason, message, now);
  }

  /** FAILED/ABORT from the sender: end without answering. */
  onPeerAbort(reason: Reason, message: string, now: number): void {
    if (this.done) return;
    this.end(undefined, reason, `aborted by sender: ${message || Reason[reason]}`, now, message);
  }

  // ------------------------------------------------------------ timers

  handleTimeout(now: number): void {
    this.tick(now);
    if (this.done) return;
    const r = this.config.receiver;
    if (this.state === 'verified') {
      if (now >= this.commitDeadline) this.end(MessageType.FAILED, Reason.STORE_FAILED, `not committed within ${r.commitTimeoutMs} ms`, now);
      return;
    }
    if (this.lastHeardAt + r.idleTimeoutMs <= now) {
      this.end(MessageType.ABORT, Reason.TIMEOUT, `sender silent for ${r.idleTimeoutMs} ms`, now);
      return;
    }
    this.promote(now);
    if (this.unacked > 0 && now >= this.firstUnackedAt + r.maxAckDelayMs) this.feedbackDue = true;
    if (this.nack.hasDue(now, this.rtt.smoothed)) this.feedbackDue = true;
  }

  pollTimeout(): number | undefined {
    if (this.done) return undefined;
    if (this.acceptDue || this.feedbackDue) return this.lastNow;
    if (this.state === 'verified') return this.commitDeadline;
    const r = this.config.receiver;
    let t = this.lastHeardAt + r.idleTimeoutMs;
    if (this.unacked > 0) t = Math.min(t, this.firstUnackedAt + r.maxAckDelayMs);
    const n = this.nack.nextDeadline(this.lastNow, this.rtt.smoothed);
    if (n !== undefined) t = Math.min(t, n);
    return t;
  }

  // ------------------------------------------------------------ output

  pollTransmit(now: number): Outgoing | undefined {
    this.tick(now);
    if (this.done) return undefined;
    if (this.acceptDue) return this.sendAccept(now);
    if (this.feedbackDue) return this.sendFeedback(now);
    return undefined;
  }

  // ------------------------------------------------------------ internals

  private sendAccept(now: number): Outgoing {
    this.acceptDue = false;
    this.acceptSends++;
    this.acceptSentAt = now;
    const out = encodeOwn(
      {
        type: MessageType.ACCEPT,
        flags: Flags.FROM_RECEIVER,
        transferId: this.transferId,
        seq: this.seq++,
        body: { window: this.windowChunks, maxRate: this.config.receiver.maxRateBytesPerSec },
      },
      this.config,
    );
    return this.count(out);
  }

  private sendFeedback(now: number): Outgoing {
    const feedback: FeedbackBody = {
      cumulative: this.cumulative,
      highestSeen: this.highestSeen,
      received: this.receivedCount,
      window: this.windowChunks,
      echoChunk: this.lastArrivalChunk,
      echoDelayMicros: this.lastArrivalChunk === NO_ECHO ? 0 : Math.max(0, (now - this.lastArrivalAt) * 1000),
    };
    const receiving = this.state === 'receiving';
    let due = receiving ? this.nack.due() : { ranges: [], positions: [] };
    let out: Outgoing;
    if (due.ranges.length > 0) {
      const srtt = this.rtt.smoothed;
      const seq = this.seq++;
      let encoded = this.encodeNack(feedback, due, seq);
      let listed = encoded.rangesEncoded ?? due.ranges.length;
      const firstDue = this.nack.firstDue(now, srtt);
      if (firstDue >= listed) {
        // More gaps than fit, and the due ones lie past what fitted: list from the first due gap
        // instead, or the same prefix would go out again and again while the rest stays due.
        due = this.nack.due(firstDue);
        encoded = this.encodeNack(feedback, due, seq);
        listed = encoded.rangesEncoded ?? due.ranges.length;
      }
      const fresh = this.nack.markNacked(due, listed, now);
      if (fresh >= 0 && this.rttProbeChunk < 0) {
        this.rttProbeChunk = fresh;
        this.rttProbeSentAt = now;
      }
      this.stats.nacksSent++;
      out = encoded;
    } else {
      out = encodeOwn({ type: MessageType.ACK, flags: Flags.FROM_RECEIVER, transferId: this.transferId, seq: this.seq++, body: feedback }, this.config);
      this.stats.acksSent++;
    }
    // Gaps still due (more than one NACK holds) go out in the next datagram, not at the next timer.
    this.feedbackDue = receiving && this.nack.hasDue(now, this.rtt.smoothed);
    this.unacked = 0;
    this.flushRepaired();
    return this.count(out);
  }

  /**
   * A NACK naming `due.ranges`, as many as fit. TRUNCATED unless it names
   * every hole below highestSeen: the sender must not take the silence about
   * an unnamed hole (a young one, one that did not fit, or one before the
   * first listed) as an acknowledgement.
   */
  private encodeNack(feedback: FeedbackBody, due: DueRanges, seq: number): ReturnType<typeof encodeOwn> {
    const complete = due.positions[0] === 0 && this.nack.listsEverything(due.ranges.length);
    return encodeOwn(
      {
        type: MessageType.NACK,
        flags: Flags.FROM_RECEIVER | (complete ? 0 : Flags.TRUNCATED),
        transferId: this.transferId,
        seq,
        body: { ...feedback, ranges: due.ranges },
      },
      this.config,
    );
  }

  /** A PROBE means the sender heard nothing for a while: what is missing below it is lost, say so now. */
  private answerProbe(index: number): void {
    this.nack.promoteBelow(index);
    this.feedbackDue = true;
  }

  private promote(now: number): void {
    this.nack.promote(now, this.highestSeen, this.rtt.smoothed);
    const gaps = this.nack.takeNewGaps();
    if (gaps.length === 0) return;
    this.stats.gapsDetected += gaps.length;
    this.feedbackDue = true;
    this.context.emit({ type: 'gap', role: 'receiver', transferId: this.transferId, peer: this.peer, ranges: gaps });
  }

  private flushRepaired(): void {
    const repaired = this.nack.takeRepaired();
    if (repaired.length === 0) return;
    this.stats.gapsRepaired += repaired.length;
    this.context.emit({ type: 'gap-repaired', role: 'receiver', transferId: this.transferId, peer: this.peer, ranges: repaired });
  }

  private has(i: number): boolean {
    return (this.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Moves the cumulative point and feeds the newly contiguous bytes to the hash. */
  private advanceCumulative(): void {
    const from = this.cumulative;
    let c = from;
    while (c < this.chunkCount && this.has(c)) c++;
    this.cumulative = c;
    this.hasher?.update(this.buffer.subarray(from * this.chunkSize, Math.min(c * this.chunkSize, this.totalSize)));
  }

  private finishData(now: number): void {
    this.flushRepaired();
    const digest = this.hasher ? new Uint8Array(this.hasher.digest()) : EMPTY;
    this.hasher = undefined;
    this.nack.clear();
    if (!bytesEqual(digest, this.offer.sha256)) {
      this.end(MessageType.FAILED, Reason.HASH_MISMATCH, `SHA-256 of the received ${this.totalSize} bytes is ${toHex(digest)}, the OFFER said ${toHex(this.offer.sha256)}`, now);
      return;
    }
    this.state = 'verified';
    // Tell the sender at once that nothing is missing, so it stops repairing and only waits.
    this.feedbackDue = true;
    this.commitDeadline = now + this.config.receiver.commitTimeoutMs;
    if (this.chunkCount > 0) this.progress(now, true);
    this.context.emit({
      type: 'verified',
      role: 'receiver',
      transferId: this.transferId,
      peer: this.peer,
      offer: this.offerInfo,
      data: this.buffer,
      stats: this.snapshot(now),
    });
    if (this.config.receiver.autoCommit) this.commit(undefined, now);
  }

  /**
   * Terminal failure; `type` is the message for the peer (none when the peer
   * ended it, and then `peerMessage` is the peer's own text for the event).
   */
  private end(type: MessageType.FAILED | MessageType.ABORT | undefined, reason: Reason, message: string, now: number, peerMessage?: string): void {
    this.state = 'failed';
    this.done = true;
    this.endedAt = now;
    const final: Message = { type: type ?? MessageType.ABORT, flags: Flags.FROM_RECEIVER, transferId: this.transferId, seq: this.seq++, body: { reason, message } };
    if (type !== undefined) this.finalMessage = final;
    this.tombstoneMessage = final;
    this.release();
    this.emitFailed(reason, message, now, peerMessage);
  }

  /** Drops the buffer (the application has it from `verified`, or it is garbage) and the gap state. */
  private release(): void {
    this.buffer = EMPTY;
    this.hasher = undefined;
    this.nack.clear();
  }

  /** Chunks whose first copy was lost / chunks: what the receiver can see of loss. */
  protected lossEstimate(): number {
    return this.chunkCount > 0 ? this.recoveredCount / this.chunkCount : 0;
  }
}
