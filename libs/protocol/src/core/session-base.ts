/**
 * What both sessions of a transfer share, whatever their role: identity and
 * the OFFER's geometry, the clock and idle bookkeeping, the terminal flag
 * and the final message, datagram counting, and the events whose shape is
 * the same on both sides (progress, completed, failed) and the info()
 * snapshot. The protocol logic (what to send, when, and what an input
 * means) stays in SenderSession and ReceiverSession: only code that was
 * the same line for line in both lives here, so a change to it cannot make
 * the two sides drift apart.
 */
import { Reason, type Message, type OfferBody, type TransferId } from '../wire/messages';
import type { RttEstimator } from './rtt-estimator';
import type { Outgoing, Session, SessionContext } from './session';
import { newTransferStats, snapshotStats, toHex } from './stats';
import type { EndpointConfig, PeerAddress, Role, TransferInfo, TransferStats } from './types';

export interface SessionBaseParams {
  transferId: TransferId;
  peer: PeerAddress;
  offer: OfferBody;
  now: number;
  context: SessionContext;
}

export abstract class SessionBase<State extends string> implements Session {
  abstract readonly role: Role;
  abstract state: State;
  abstract readonly rtt: RttEstimator;
  readonly transferId: TransferId;
  readonly peer: PeerAddress;
  readonly stats: TransferStats = newTransferStats();

  protected readonly config: EndpointConfig;
  protected readonly context: SessionContext;
  protected readonly offer: OfferBody;
  protected readonly chunkSize: number;
  protected readonly chunkCount: number;
  protected readonly totalSize: number;
  /** Sequence number of the next message this session builds. */
  protected seq = 0;

  protected readonly startedAt: number;
  /** The latest time seen by any input: deadlines are computed from it in pollTimeout, which takes no `now`. */
  protected lastNow: number;
  /** Last time anything arrived from the peer (the idle timer). */
  protected lastHeardAt: number;
  protected endedAt: number | undefined;
  /** The last message for the peer, set when the session ends and handed out once by takeFinal(). */
  protected finalMessage: Message | undefined;
  protected done = false;

  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private lastProgressBytes = -1;

  protected constructor(params: SessionBaseParams) {
    const { offer, context, now } = params;
    this.transferId = params.transferId;
    this.peer = params.peer;
    this.context = context;
    this.config = context.config;
    this.offer = offer;
    this.chunkSize = offer.chunkSize;
    this.chunkCount = offer.chunkCount;
    this.totalSize = offer.totalSize;
    this.startedAt = now;
    this.lastNow = now;
    this.lastHeardAt = now;
  }

  /** Object bytes done so far: confirmed by the receiver (sender) or received (receiver). */
  protected abstract get bytesDone(): number;
  /** The role's loss estimate for snapshots (the two sides see loss differently). */
  protected abstract lossEstimate(): number;

  abstract handleTimeout(now: number): void;
  abstract pollTransmit(now: number): Outgoing | undefined;
  abstract pollTimeout(): number | undefined;
  abstract abort(reason: Reason, message: string, now: number): void;

  get finished(): boolean {
    return this.done;
  }

  takeFinal(): Message | undefined {
    const m = this.finalMessage;
    this.finalMessage = undefined;
    return m;
  }

  /** Counts a datagram from the peer (any type) and resets the idle timer. */
  noteReceived(length: number, now: number): void {
    this.tick(now);
    this.stats.datagramsReceived++;
    this.stats.bytesReceived += length;
    this.lastHeardAt = now;
  }

  info(now: number): TransferInfo {
    return {
      transferId: this.transferId,
      role: this.role,
      peer: this.peer,
      state: this.state,
      name: this.offer.name,
      contentType: this.offer.contentType,
      totalBytes: this.totalSize,
      bytes: this.bytesDone,
      stats: this.snapshot(now),
    };
  }

  protected tick(now: number): void {
    if (now > this.lastNow) this.lastNow = now;
  }

  /** Counts a datagram this session hands out, and returns it. */
  protected count(out: Outgoing): Outgoing {
    this.stats.datagramsSent++;
    this.stats.bytesSent += out.length;
    return out;
  }

  /** A `progress` event when bytesDone moved, at most one per progressIntervalMs unless forced. */
  protected progress(now: number, force = false): void {
    const bytes = this.bytesDone;
    if (bytes === this.lastProgressBytes) return;
    if (!force && now - this.lastProgressAt < this.config.progressIntervalMs) return;
    this.lastProgressAt = now;
    this.lastProgressBytes = bytes;
    this.context.emit({
      type: 'progress',
      role: this.role,
      transferId: this.transferId,
      peer: this.peer,
      bytes,
      totalBytes: this.totalSize,
      stats: this.snapshot(now),
    });
  }

  protected emitCompleted(result: Uint8Array, now: number): void {
    this.context.emit({
      type: 'completed',
      role: this.role,
      transferId: this.transferId,
      peer: this.peer,
      bytes: this.totalSize,
      sha256: toHex(this.offer.sha256),
      result,
      stats: this.snapshot(now),
    });
  }

  /** `peerMessage`: the peer's own text, only when the peer ended the transfer (see the `failed` event). */
  protected emitFailed(reason: Reason, message: string, now: number, peerMessage?: string): void {
    this.context.emit({
      type: 'failed',
      role: this.role,
      transferId: this.transferId,
      peer: this.peer,
      reason,
      code: Reason[reason] ?? 'UNSPECIFIED',
      message,
      // Absent rather than undefined, so `'peerMessage' in event` tells a peer's verdict from a local one.
      ...(peerMessage !== undefined ? { peerMessage } : {}),
      stats: this.snapshot(now),
    });
  }

  /** Stats as of `now` (or the end), with the derived fields filled in: events carry copies. */
  protected snapshot(now: number): TransferStats {
    this.stats.lossEstimate = this.lossEstimate();
    return snapshotStats(this.stats, this.rtt, this.startedAt, this.endedAt ?? now, this.bytesDone);
  }
}
