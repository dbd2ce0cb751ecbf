import { decode } from '../wire/codec';
import { concatDatagram } from '../wire/datagram';
import { Flags, MessageType, Reason, type Message, type OfferBody } from '../wire/messages';
import { resolveEndpointConfig } from './config';
import { ReceiverSession } from './receiver-session';
import type { Outgoing } from './session';
import { sha256, toHex } from './stats';
import type { EndpointConfigInput, EndpointEvent, OfferInfo } from './types';

const ID = 'aabbccddeeff0011';
const CHUNK = 1448;

function setup(size: number, input: EndpointConfigInput = {}, digest?: Uint8Array) {
  const config = resolveEndpointConfig({ progressIntervalMs: 0, ...input });
  const events: EndpointEvent[] = [];
  const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  const offer: OfferBody = {
    totalSize: size,
    chunkSize: CHUNK,
    chunkCount: Math.ceil(size / CHUNK),
    sha256: digest ?? sha256(data),
    createdAt: 0,
    contentType: '',
    name: 'n',
    metadata: new Uint8Array(0),
    preview: new Uint8Array(0),
  };
  const info: OfferInfo = { ...offer, transferId: ID, peer: 'p', sha256: toHex(offer.sha256) };
  const r = new ReceiverSession({ transferId: ID, peer: 'p', offer, info, now: 0, context: { config, emit: (e) => events.push(e) } });
  const chunk = (i: number): Uint8Array => data.subarray(i * CHUNK, Math.min(size, (i + 1) * CHUNK));
  const give = (i: number, now: number, flags = 0) => r.onData(i, chunk(i), flags, now);
  return { r, events, data, chunk, give };
}

function msg(out: Outgoing | undefined): Message {
  if (out === undefined) throw new Error('nothing to send');
  const d = decode(concatDatagram(out.datagram), { maxDatagram: 1472 });
  if (!d.ok) throw new Error(d.detail);
  return d.message;
}

function afterAccept(size: number, input: EndpointConfigInput = {}) {
  const t = setup(size, input);
  expect(msg(t.r.pollTransmit(0)).type).toBe(MessageType.ACCEPT);
  return t;
}

describe('ReceiverSession', () => {
  describe('pollTransmit', () => {
    it('sends ACCEPT first, granting windowBytes / chunkSize chunks and the rate cap', () => {
      const { r } = setup(10 * CHUNK, { receiver: { windowBytes: 100 * CHUNK + 5, maxRateBytesPerSec: 1_000_000 } });
      const m = msg(r.pollTransmit(0));
      expect(m.type === MessageType.ACCEPT && m.body).toEqual({ window: 100, maxRate: 1_000_000 });
      expect(m.flags & Flags.FROM_RECEIVER).toBe(Flags.FROM_RECEIVER);
      expect(r.pollTransmit(0)).toBeUndefined();
    });

    it('re-sends ACCEPT for a duplicate OFFER', () => {
      const { r } = afterAccept(CHUNK * 2);
      r.onDuplicateOffer();
      expect(msg(r.pollTransmit(1)).type).toBe(MessageType.ACCEPT);
    });
  });

  describe('onData', () => {
    it('writes every chunk at its offset whatever the order and verifies the SHA-256', () => {
      const { r, give, events, data } = afterAccept(5 * CHUNK - 100);
      for (const i of [4, 1, 3, 0, 2]) expect(give(i, 10)).toBeUndefined();
      const v = events.find((e) => e.type === 'verified');
      expect(v?.type === 'verified' && Buffer.from(v.data).equals(Buffer.from(data))).toBe(true);
      expect(r.state).toBe('verified');
      expect(r.stats.outOfOrder).toBe(4); // 1, 3, 0 and 2 arrived below the highest seen
    });

    it('drops a chunk of the wrong length or index as MALFORMED_CHUNK', () => {
      const { r, chunk } = afterAccept(3 * CHUNK - 10);
      expect(r.onData(0, chunk(0).subarray(1), 0, 1)).toBe('MALFORMED_CHUNK');
      expect(r.onData(2, chunk(1), 0, 1)).toBe('MALFORMED_CHUNK'); // the last chunk is short
      expect(r.onData(3, chunk(2), 0, 1)).toBe('MALFORMED_CHUNK');
      expect(r.bytesReceived).toBe(0);
    });

    it('counts duplicates and ignores them', () => {
      const { r, give } = afterAccept(3 * CHUNK);
      give(0, 1);
      give(0, 2);
      expect(r.stats.duplicates).toBe(1);
      expect(r.bytesReceived).toBe(CHUNK);
    });

    it('ACKs after ackEveryChunks new chunks, echoing the last arrival', () => {
      const { r, give } = afterAccept(10 * CHUNK, { receiver: { ackEveryChunks: 3 } });
      give(0, 1);
      give(1, 2);
      expect(r.pollTransmit(2)).toBeUndefined();
      give(2, 3);
      const m = msg(r.pollTransmit(4));
      expect(m.type === MessageType.ACK && m.body).toMatchObject({ cumulative: 3, highestSeen: 3, received: 3, echoChunk: 2, echoDelayMicros: 1000 });
    });

    it('ACKs within maxAckDelayMs of the first unacknowledged arrival', () => {
      const { r, give } = afterAccept(10 * CHUNK, { receiver: { maxAckDelayMs: 7 } });
      give(0, 1);
      expect(r.pollTimeout()).toBe(8);
      r.handleTimeout(7.9);
      expect(r.pollTransmit(7.9)).toBeUndefined();
      r.handleTimeout(8);
      expect(msg(r.pollTransmit(8)).type).toBe(MessageType.ACK);
    });

    it('reports a hole as a gap after reorderChunks later chunks, NACKs it and repeats after ~1 RTT', () => {
      const { r, give, events } = afterAccept(20 * CHUNK, { receiver: { reorderChunks: 3, maxAckDelayMs: 10, initialRttMs: 40 } });
      give(0, 40); // ACCEPT at 0 -> first DATA at 40: srtt 40
      give(2, 41);
      give(3, 42);
      expect(events.some((e) => e.type === 'gap')).toBe(false);
      expect(r.pollTransmit(42)).toBeUndefined();
      give(4, 43);
      expect(events.find((e) => e.type === 'gap')).toMatchObject({ ranges: [{ start: 1, length: 1 }] });
      const nack = msg(r.pollTransmit(43));
      expect(nack.type === MessageType.NACK && nack.body.ranges).toEqual([{ start: 1, length: 1 }]);
      expect(nack.flags & Flags.TRUNCATED).toBe(0);
      // Re-NACK after 1.25 * 40 = 50 ms while it stays missing.
      r.handleTimeout(92.9);
      expect(r.pollTransmit(92.9)).toBeUndefined();
      r.handleTimeout(93);
      expect(msg(r.pollTransmit(93)).type).toBe(MessageType.NACK);
      give(1, 110, Flags.RETRANSMIT);
      r.handleTimeout(120);
      msg(r.pollTransmit(120));
      expect(events.find((e) => e.type === 'gap-repaired')).toMatchObject({ ranges: [{ start: 1, length: 1 }] });
    });

    it('reports a hole after reorderRttFraction * RTT + 1 ms even without later chunks', () => {
      const { r, give, events } = afterAccept(20 * CHUNK, { receiver: { reorderChunks: 100, reorderRttFraction: 0.5, initialRttMs: 20 } });
      give(1, 0);
      r.handleTimeout(10.9);
      expect(events.some((e) => e.type === 'gap')).toBe(false);
      r.handleTimeout(11);
      expect(events.some((e) => e.type === 'gap')).toBe(true);
    });

    it('answers a PROBE at once, reporting every hole below it', () => {
      const { r, give } = afterAccept(20 * CHUNK, { receiver: { reorderChunks: 100 } });
      give(0, 1);
      give(5, 2, Flags.PROBE | Flags.RETRANSMIT);
      const m = msg(r.pollTransmit(2));
      expect(m.type === MessageType.NACK && m.body.ranges).toEqual([{ start: 1, length: 4 }]);
    });

    it('sets TRUNCATED while young holes are left out of a NACK', () => {
      const { r, give } = afterAccept(30 * CHUNK, { receiver: { reorderChunks: 3 } });
      give(0, 1);
      for (const i of [2, 3, 4, 6]) give(i, 2);
      const m = msg(r.pollTransmit(2));
      expect(m.type === MessageType.NACK && m.body.ranges).toEqual([{ start: 1, length: 1 }]);
      expect(m.flags & Flags.TRUNCATED).toBe(Flags.TRUNCATED);
    });

    it('fails with HASH_MISMATCH and prepares FAILED when the bytes do not match', () => {
      const { r, give, events } = setup(CHUNK, {}, new Uint8Array(32));
      r.pollTransmit(0);
      give(0, 1);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.HASH_MISMATCH });
      const final = r.takeFinal();
      expect(final?.type === MessageType.FAILED && final.body.reason).toBe(Reason.HASH_MISMATCH);
    });
  });

  describe('more gaps than one NACK holds', () => {
    // The benchmark's livelock: 8 MiB window, 20 % loss, 100 ms RTT left ~900 gaps below highestSeen.
    // A NACK of 1472 bytes holds ~700 single-chunk gaps; the rest stayed never-NACKed, pollTimeout()
    // returned -Infinity and the receiver NACKed the same prefix again and again at one instant.
    const GAPS = 1000;

    /** Every even chunk up to 2 * GAPS, then a few more in a row, arrive at `now`: GAPS single-chunk gaps, all past reorder tolerance. */
    function gappy(now: number) {
      const t = afterAccept((2 * GAPS + 10) * CHUNK, { receiver: { windowBytes: 8 * 1024 * 1024, ackEveryChunks: 64 } });
      for (let i = 0; i <= 2 * GAPS; i += 2) t.give(i, now);
      for (let i = 2 * GAPS + 1; i <= 2 * GAPS + 4; i++) t.give(i, now);
      expect(t.r.nack.reportedCount).toBe(GAPS);
      expect(t.r.nack.youngCount).toBe(0);
      return t;
    }

    /** What a driver does at one instant: fire due timers, send everything, until quiet (or `limit`). */
    function drainInstant(r: ReceiverSession, now: number, limit = 50): Message[] {
      const out: Message[] = [];
      for (let i = 0; i < limit; i++) {
        const deadline = r.pollTimeout();
        expect(deadline === undefined || Number.isFinite(deadline)).toBe(true);
        if (deadline !== undefined && deadline <= now) r.handleTimeout(now);
        const o = r.pollTransmit(now);
        if (o === undefined) break;
        out.push(msg(o));
      }
      return out;
    }

    it('names every gap in a few NACKs, then stays quiet until the re-NACK interval with a finite deadline', () => {
      const { r } = gappy(10);
      const sent = drainInstant(r, 10);
      const nacks = sent.filter((m) => m.type === MessageType.NACK);
      expect(nacks.length).toBeGreaterThanOrEqual(2);
      expect(nacks.length).toBeLessThanOrEqual(3);
      expect(sent.length).toBe(nacks.length);
      const named = new Set<number>();
      for (const m of nacks) if (m.type === MessageType.NACK) for (const g of m.body.ranges) named.add(g.start);
      expect(named.size).toBe(GAPS);
      // Gaps past the first NACK: TRUNCATED, so the sender takes no silence as an acknowledgement.
      for (const m of nacks) expect(m.flags & Flags.TRUNCATED).toBe(Flags.TRUNCATED);
      expect(r.pollTimeout()).toBe(10 + r.nack.renackInterval(r.rtt.smoothed));
    });

    it('after the re-NACK interval names them all again in a bounded burst', () => {
      const { r } = gappy(10);
      drainInstant(r, 10);
      const next = r.pollTimeout() as number;
      const again = drainInstant(r, next);
      expect(again.length).toBeGreaterThanOrEqual(2);
      expect(again.length).toBeLessThanOrEqual(3);
      expect(r.pollTimeout()).toBeGreaterThan(next);
    });
  });

  describe('commit / fail', () => {
    it('sends COMPLETE with the result only after commit, then releases the buffer', () => {
      const { r, give, events } = afterAccept(CHUNK);
      give(0, 1);
      expect(r.state).toBe('verified');
      expect(r.takeFinal()).toBeUndefined();
      expect(r.commit(Uint8Array.of(1, 2), 5)).toBe(true);
      const final = r.takeFinal();
      expect(final?.type === MessageType.COMPLETE && final.body.result).toEqual(Uint8Array.of(1, 2));
      expect(events.at(-1)).toMatchObject({ type: 'completed', role: 'receiver', bytes: CHUNK });
      expect(r.commit(undefined, 6)).toBe(false);
    });

    it('commits at once with autoCommit', () => {
      const { r, give } = afterAccept(CHUNK, { receiver: { autoCommit: true } });
      give(0, 1);
      expect(r.state).toBe('completed');
    });

    it('refuses a result longer than MAX_RESULT_BYTES', () => {
      const { r, give } = afterAccept(CHUNK);
      give(0, 1);
      expect(r.commit(new Uint8Array(257), 2)).toBe(false);
    });

    it('fails with STORE_FAILED when commit does not come within commitTimeoutMs', () => {
      const { r, give, events } = afterAccept(CHUNK, { receiver: { commitTimeoutMs: 100 } });
      give(0, 1);
      r.handleTimeout(100);
      expect(r.finished).toBe(false);
      r.handleTimeout(101);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.STORE_FAILED });
      expect(r.takeFinal()?.type).toBe(MessageType.FAILED);
    });

    it('fail() sends FAILED with the application’s reason', () => {
      const { r, give } = afterAccept(CHUNK);
      give(0, 1);
      expect(r.fail(Reason.APPLICATION, 'no space', 2)).toBe(true);
      const final = r.takeFinal();
      expect(final?.type === MessageType.FAILED && final.body).toEqual({ reason: Reason.APPLICATION, message: 'no space' });
    });
  });

  describe('onPeerAbort', () => {
    it('puts the sender’s raw ABORT text in peerMessage, message unchanged, and sends nothing back', () => {
      const { r, give, events } = afterAccept(2 * CHUNK);
      give(0, 1);
      r.onPeerAbort(Reason.CANCELLED, 'client went away: bye', 2);
      expect(events.at(-1)).toMatchObject({ type: 'failed', role: 'receiver', reason: Reason.CANCELLED, message: 'aborted by sender: client went away: bye', peerMessage: 'client went away: bye' });
      expect(r.takeFinal()).toBeUndefined();
    });

    it('has no peerMessage when the receiver itself ended the transfer', () => {
      const { r, give, events } = afterAccept(CHUNK);
      give(0, 1);
      r.fail(Reason.APPLICATION, 'no space', 2);
      const failed = events.at(-1);
      expect(failed?.type).toBe('failed');
      expect(failed !== undefined && 'peerMessage' in failed).toBe(false);
    });
  });

  describe('handleTimeout', () => {
    it('frees an idle transfer after idleTimeoutMs with failed TIMEOUT and ABORT', () => {
      const { r, give, events } = afterAccept(10 * CHUNK, { receiver: { idleTimeoutMs: 1000 } });
      give(0, 1);
      r.noteReceived(100, 1);
      r.handleTimeout(1000.9);
      expect(r.finished).toBe(false);
      r.handleTimeout(1001);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.TIMEOUT, message: 'sender silent for 1000 ms' });
      expect(r.takeFinal()?.type).toBe(MessageType.ABORT);
    });
  });

  describe('start', () => {
    it('completes an empty object at once (SHA-256 of nothing)', () => {
      const { r, events } = setup(0, { receiver: { autoCommit: true } });
      r.start(0);
      expect(events.map((e) => e.type)).toEqual(['verified', 'completed']);
      expect(r.takeFinal()?.type).toBe(MessageType.COMPLETE);
    });
  });

  describe('RTT estimation', () => {
    it('samples ACCEPT -> first DATA and NACK -> the repair it asked for', () => {
      const { r, give } = afterAccept(20 * CHUNK, { receiver: { reorderChunks: 1 } });
      give(0, 30);
      expect(r.rtt.latest).toBe(30);
      give(2, 31);
      msg(r.pollTransmit(31)); // NACK for chunk 1
      give(1, 56, Flags.RETRANSMIT);
      expect(r.rtt.latest).toBe(25);
    });
  });
});
