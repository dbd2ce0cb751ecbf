/**
 * Finished incoming transfers: id -> the final message (COMPLETE or FAILED)
 * and the peer it went to. A tombstone answers late DATA, PROBEs and
 * duplicate or replayed OFFERs with that message again (a lost COMPLETE must
 * not stall the sender), and refuses to restart the transfer.
 *
 * Bounded twice: entries expire after `ttlMs`, and at most `maxEntries` are
 * kept (the oldest goes first). A Map keeps insertion order and every entry
 * has the same TTL, so the oldest entry is always the first to expire:
 * expiry and eviction are both O(1) from the front.
 */
import type { Message, TransferId } from '../wire/messages';
import type { PeerAddress } from './types';

export interface Tombstone {
  peer: PeerAddress;
  /** COMPLETE or FAILED, as sent. */
  message: Message;
  expiresAt: number;
  /** Last time an answer was sent from this tombstone (rate limit). */
  lastAnswerAt: number;
}

export class TombstoneStore {
  private readonly entries = new Map<TransferId, Tombstone>();
  /** Entries dropped before their TTL because the store was full. */
  evicted = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(id: TransferId, peer: PeerAddress, message: Message, now: number): void {
    if (this.maxEntries === 0) return;
    this.expire(now);
    this.entries.delete(id);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
      this.evicted++;
    }
    this.entries.set(id, { peer, message, expiresAt: now + this.ttlMs, lastAnswerAt: Number.NEGATIVE_INFINITY });
  }

  /** The live tombstone of `id`, or undefined. */
  get(id: TransferId, now: number): Tombstone | undefined {
    const t = this.entries.get(id);
    if (t === undefined) return undefined;
    if (t.expiresAt <= now) {
      this.entries.delete(id);
      return undefined;
    }
    return t;
  }

  /** Drops expired entries. */
  expire(now: number): void {
    for (const [id, t] of this.entries) {
      if (t.expiresAt > now) break;
      this.entries.delete(id);
    }
  }

  /** When the oldest entry expires, or undefined when empty. */
  nextExpiry(): number | undefined {
    const first = this.entries.values().next();
    return first.done ? undefined : first.value.expiresAt;
  }
}
