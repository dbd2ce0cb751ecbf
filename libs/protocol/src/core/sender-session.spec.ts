import { decode } from '../wire/codec';
import { concatDatagram } from '../wire/datagram';
import { NO_ECHO } from '../wire/feedback';
import { Flags, MessageType, Reason, type ChunkRange, type FeedbackBody, type Message, type OfferBody } from '../wire/messages';
import { resolveEndpointConfig } from './config';
import { SenderSession } from './sender-session';
import type { Outgoing } from './session';
import { sha256 } from './stats';
import type { EndpointConfigInput, EndpointEvent } from './types';

const ID = '00112233445566ff';
const CHUNK = 1448;

function setup(size: number, input: EndpointConfigInput = {}, now = 0) {
  const config = resolveEndpointConfig({ progressIntervalMs: 0, ...input });
  const events: EndpointEvent[] = [];
  const data = new Uint8Array(size).map((_, i) => i & 0xff);
  const offer: OfferBody = {
    totalSize: size,
    chunkSize: CHUNK,
    chunkCount: Math.ceil(size / CHUNK),
    sha256: sha256(data),
    createdAt: now,
    contentType: 'image/png',
    name: 'a.png',
    metadata: new Uint8Array(0),
    preview: new Uint8Array(0),
  };
  const s = new SenderSession({ transferId: ID, peer: 'p', data, offer, now, context: { config, emit: (e) => events.push(e) } });
  return { s, events, data, offer };
}

function msg(out: Outgoing | undefined): Message {
  if (out === undefined) throw new Error('nothing to send');
  const r = decode(concatDatagram(out.datagram), { maxDatagram: 1472 });
  if (!r.ok) throw new Error(r.detail);
  return r.message;
}

function fb(cumulative: number, highestSeen: number, window = 1000, echoChunk = NO_ECHO, echoDelayMicros = 0): FeedbackBody {
  return { cumulative, highestSeen, received: cumulative, window, echoChunk, echoDelayMicros };
}

/** All DATA datagrams sendable at `now`, as chunk indices. */
function drain(s: SenderSession, now: number): Message[] {
  const out: Message[] = [];
  for (let o = s.pollTransmit(now); o !== undefined; o = s.pollTransmit(now)) out.push(msg(o));
  return out;
}

function accept(s: SenderSession, now: number, window = 1000, maxRate = 0): void {
  s.onAccept({ window, maxRate }, now);
}

describe('SenderSession', () => {
  describe('pollTransmit', () => {
    it('sends the OFFER first and nothing else until ACCEPT', () => {
      const { s } = setup(5000);
      const m = msg(s.pollTransmit(0));
      expect(m.type).toBe(MessageType.OFFER);
      expect(m.type === MessageType.OFFER && m.body.name).toBe('a.png');
      expect(s.pollTransmit(0)).toBeUndefined();
    });

    it('sends DATA in order after ACCEPT, the last chunk short, as views of the caller’s bytes', () => {
      const { s, data } = setup(5000);
      s.pollTransmit(0);
      accept(s, 10);
      const outs: Outgoing[] = [];
      for (let o = s.pollTransmit(10); o; o = s.pollTransmit(10)) outs.push(o);
      expect(outs.map((o) => msg(o).seq)).toEqual([0, 1, 2, 3]);
      const last = outs[3].datagram[1];
      expect(last.length).toBe(5000 - 3 * CHUNK);
      expect(last.buffer).toBe(data.buffer); // a subarray, not a copy
      expect(s.state).toBe('sending');
    });

    it('paces with the token bucket and pollTimeout names the next token time', () => {
      const { s } = setup(100 * CHUNK, { sender: { rateBytesPerSec: 1_472_000, burstDatagrams: 2 } });
      s.pollTransmit(0);
      accept(s, 0);
      expect(drain(s, 0)).toHaveLength(2);
      expect(s.pollTimeout()).toBeCloseTo(1, 6); // 1472 bytes at 1472 bytes/ms
      expect(drain(s, 0.5)).toHaveLength(0);
      expect(drain(s, 1)).toHaveLength(1);
    });

    it('never sends chunk i for the first time unless i < cumulative + window', () => {
      const { s } = setup(20 * CHUNK);
      s.pollTransmit(0);
      accept(s, 0, 3);
      expect(drain(s, 0).map((m) => m.seq)).toEqual([0, 1, 2]);
      s.onFeedback(fb(2, 3, 3), undefined, 0, 5);
      expect(drain(s, 5).map((m) => m.seq)).toEqual([3, 4]);
    });

    it('lowers its rate to ACCEPT.maxRate', () => {
      const { s, events } = setup(100 * CHUNK, { sender: { rateBytesPerSec: 100_000_000, burstDatagrams: 1 } });
      s.pollTransmit(0);
      accept(s, 0, 1000, 1_472_000);
      expect(events[0]).toMatchObject({ type: 'accepted', window: 1000, maxRate: 1_472_000 });
      expect(drain(s, 0)).toHaveLength(1);
      expect(s.pollTimeout()).toBeCloseTo(1, 6);
    });
  });

  describe('onFeedback', () => {
    function sent(size = 10 * CHUNK, input: EndpointConfigInput = {}) {
      const t = setup(size, input);
      t.s.pollTransmit(0);
      accept(t.s, 20);
      drain(t.s, 20);
      return t;
    }

    it('retransmits exactly the chunks a NACK names, before new data, flagged RETRANSMIT', () => {
      const { s } = sent(20 * CHUNK, { sender: { burstDatagrams: 10 } });
      const ranges: ChunkRange[] = [
        { start: 2, length: 2 },
        { start: 7, length: 1 },
      ];
      s.onFeedback(fb(2, 10), ranges, 0, 45);
      const out = drain(s, 100);
      expect(out.slice(0, 3).map((m) => [m.seq, m.flags & Flags.RETRANSMIT])).toEqual([
        [2, Flags.RETRANSMIT],
        [3, Flags.RETRANSMIT],
        [7, Flags.RETRANSMIT],
      ]);
      expect(out[3].seq).toBe(10);
      expect(s.stats.repairRounds).toBe(1);
    });

    it('does not resend a repaired chunk again for a duplicate NACK within one RTT', () => {
      const { s } = sent();
      const ranges = [{ start: 4, length: 1 }];
      s.onFeedback(fb(4, 10), ranges, Flags.TRUNCATED, 45);
      expect(drain(s, 45).map((m) => m.seq)).toEqual([4]);
      s.onFeedback(fb(4, 10), ranges, Flags.TRUNCATED, 50); // srtt is 20 ms
      expect(drain(s, 50)).toHaveLength(0);
      s.onFeedback(fb(4, 10), ranges, Flags.TRUNCATED, 90);
      expect(drain(s, 90).map((m) => m.seq)).toEqual([4]);
    });

    it('acknowledges everything below cumulative, and with a complete NACK everything below highestSeen not named', () => {
      const { s } = sent();
      s.onFeedback(fb(3, 3), undefined, 0, 40);
      expect(s.bytesAcked).toBe(3 * CHUNK);
      const ranges = [{ start: 5, length: 1 }];
      s.onFeedback(fb(3, 8), ranges, Flags.TRUNCATED, 41);
      expect(s.bytesAcked).toBe(3 * CHUNK); // TRUNCATED: no implicit acks
      s.onFeedback(fb(3, 8), ranges, 0, 42);
      expect(s.bytesAcked).toBe(7 * CHUNK); // 0-2, 3, 4, 6, 7
      const later = [{ start: 9, length: 1 }];
      s.onFeedback(fb(3, 10), later, 0, 43);
      expect(s.bytesAcked).toBe(9 * CHUNK); // 5 repaired (no longer named), 8 arrived
    });

    it('samples RTT from the echoed chunk minus the receiver’s delay, ignoring retransmitted chunks (Karn)', () => {
      const { s } = sent(); // OFFER at 0, ACCEPT at 20 -> first sample 20
      expect(s.rtt.smoothed).toBe(20);
      s.onFeedback(fb(1, 1, 1000, 0, 5000), undefined, 0, 70); // sent at 20, held 5 ms -> 45
      expect(s.rtt.latest).toBe(45);
      const ranges = [{ start: 2, length: 1 }];
      s.onFeedback(fb(1, 3), ranges, Flags.TRUNCATED, 71);
      drain(s, 71);
      const samples = s.rtt.sampleCount;
      s.onFeedback(fb(3, 3, 1000, 2, 0), undefined, 0, 90); // chunk 2 went out twice: no sample
      expect(s.rtt.sampleCount).toBe(samples);
    });

    it('moves to awaiting-complete when everything is acknowledged', () => {
      const { s } = sent(3 * CHUNK);
      s.onFeedback(fb(3, 3), undefined, 0, 50);
      expect(s.state).toBe('awaiting-complete');
    });
  });

  describe('handleTimeout', () => {
    it('repeats the OFFER with backoff from 2 x initial RTT, then fails UNREACHABLE without ABORT', () => {
      const { s, events } = setup(10, { sender: { initialRttMs: 50, offerTimeoutMs: 1000, maxBackoffMs: 300 } });
      const times: number[] = [];
      for (let now = 0; now <= 1000; now += 1) {
        s.handleTimeout(now);
        const o = s.pollTransmit(now);
        if (o) times.push(now);
      }
      expect(times).toEqual([0, 100, 300, 600, 900]);
      expect(s.state).toBe('failed');
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.UNREACHABLE });
      expect(s.takeFinal()).toBeUndefined();
    });

    it('fails with TIMEOUT "receiver silent for N ms" and prepares ABORT', () => {
      const { s, events } = setup(10 * CHUNK, { sender: { idleTimeoutMs: 500 } });
      s.pollTransmit(0);
      s.noteReceived(40, 10);
      accept(s, 10);
      s.handleTimeout(509);
      expect(s.finished).toBe(false);
      s.handleTimeout(510);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.TIMEOUT, message: 'receiver silent for 500 ms' });
      expect(s.takeFinal()?.type).toBe(MessageType.ABORT);
    });

    it('probes the highest unacknowledged chunk with PROBE one PTO after the last DATA, whatever feedback came meanwhile', () => {
      const { s } = setup(4 * CHUNK);
      s.pollTransmit(0);
      accept(s, 20);
      drain(s, 20); // the last DATA leaves at 20
      // Feedback without the tail (chunks 2 and 3) neither restarts nor delays the timer.
      s.onFeedback(fb(2, 2), undefined, 0, 40);
      const pto = s.rtt.pto(10);
      expect(s.pollTimeout()).toBe(20 + pto);
      s.handleTimeout(20 + pto - 0.01);
      expect(drain(s, 20 + pto - 0.01)).toHaveLength(0);
      s.handleTimeout(20 + pto);
      const probe = drain(s, 20 + pto);
      expect(probe.map((m) => [m.seq, m.flags & (Flags.PROBE | Flags.RETRANSMIT)])).toEqual([[3, Flags.PROBE | Flags.RETRANSMIT]]);
    });

    it('re-probes after srtt + 4 rttvar (no ack delay) when a probe got no answer at all, with the usual backoff', () => {
      const { s } = setup(4 * CHUNK, { receiver: { maxAckDelayMs: 25 } });
      s.pollTransmit(0);
      accept(s, 20);
      drain(s, 20);
      s.onFeedback(fb(2, 2), undefined, 0, 40);
      const first = 20 + s.rtt.pto(25);
      s.handleTimeout(first);
      expect(drain(s, first).filter((m) => m.flags & Flags.PROBE)).toHaveLength(1);
      // A PROBE is answered at once (PROTOCOL.md S.6): waiting another 25 ms of ack delay for it is waste.
      const rto = s.rtt.rto();
      expect(s.pollTimeout()).toBe(first + rto);
      s.handleTimeout(first + rto);
      expect(drain(s, first + rto).filter((m) => m.flags & Flags.PROBE)).toHaveLength(1);
      // Third probe: doubled (probe count 2).
      expect(s.pollTimeout()).toBe(first + rto + 2 * rto);
    });

    it('waits the full PTO (with ack delay) after a probe that was answered', () => {
      const { s } = setup(4 * CHUNK, { receiver: { maxAckDelayMs: 25 } });
      s.pollTransmit(0);
      accept(s, 20);
      drain(s, 20);
      const first = 20 + s.rtt.pto(25);
      s.handleTimeout(first);
      drain(s, first);
      // The receiver answered the probe, with nothing new: it is alive and the path works, so the
      // next probe waits the full PTO from the last DATA (no repair is due: nothing was NACKed).
      s.noteReceived(40, first + 5);
      s.onFeedback(fb(2, 2), undefined, 0, first + 5);
      expect(drain(s, first + 5)).toHaveLength(0);
      expect(s.pollTimeout()).toBe(first + s.rtt.pto(25));
    });

    it('keeps probing the last chunk after everything is acknowledged, until COMPLETE', () => {
      const { s } = setup(2 * CHUNK);
      s.pollTransmit(0);
      accept(s, 20);
      drain(s, 20);
      s.onFeedback(fb(2, 2), undefined, 0, 40);
      let probes = 0;
      for (let now = 40; now < 2000; now += 1) {
        s.handleTimeout(now);
        for (const m of drain(s, now)) if (m.flags & Flags.PROBE && m.seq === 1) probes++;
      }
      expect(probes).toBeGreaterThan(3);
      expect(s.finished).toBe(false);
    });

    it('probes an empty object by repeating its OFFER', () => {
      const { s } = setup(0);
      s.pollTransmit(0);
      accept(s, 20);
      expect(s.state).toBe('awaiting-complete');
      s.handleTimeout(1000);
      expect(msg(s.pollTransmit(1000)).type).toBe(MessageType.OFFER);
    });

    it('fails with TIMEOUT at the overall deadline', () => {
      const { s, events } = setup(CHUNK, { sender: { deadlineBaseMs: 100, deadlinePerMiBMs: 0 } });
      s.pollTransmit(0);
      s.handleTimeout(100);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.TIMEOUT, message: 'deadline of 100 ms exceeded' });
    });
  });

  describe('onComplete', () => {
    it('completes with the receiver’s result when the SHA-256 echo matches', () => {
      const { s, events, offer } = setup(CHUNK);
      s.pollTransmit(0);
      accept(s, 10);
      s.onComplete({ sha256: offer.sha256, totalSize: CHUNK, result: Uint8Array.of(42) }, 30);
      expect(events.at(-1)).toMatchObject({ type: 'completed', bytes: CHUNK, result: Uint8Array.of(42) });
      expect(s.finished).toBe(true);
      expect(s.pollTransmit(31)).toBeUndefined();
    });

    it('fails with HASH_MISMATCH when the echo differs', () => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      accept(s, 10);
      s.onComplete({ sha256: new Uint8Array(32), totalSize: CHUNK, result: new Uint8Array(0) }, 30);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.HASH_MISMATCH });
    });
  });

  describe('onReject / onPeerFailure', () => {
    it('fails with the receiver’s reason', () => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      s.onReject({ reason: Reason.TOO_LARGE, message: 'too big' }, 10);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.TOO_LARGE, code: 'TOO_LARGE' });
      expect(s.takeFinal()).toBeUndefined();
    });

    it('fails on FAILED from the receiver without answering', () => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      accept(s, 5);
      s.onPeerFailure(MessageType.FAILED, { reason: Reason.STORE_FAILED, message: 'disk full' }, 10);
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.STORE_FAILED, message: 'receiver failed: disk full' });
      expect(s.takeFinal()).toBeUndefined();
    });

    it.each([
      ['REJECT', 'rejected by receiver: '],
      ['FAILED', 'receiver failed: '],
      ['ABORT', 'aborted by receiver: '],
    ] as const)('puts the peer’s raw %s text in peerMessage, message unchanged', (kind, prefix) => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      const text = '{"status":409,"message":"exists: a: b"}';
      const body = { reason: Reason.APPLICATION, message: text };
      if (kind === 'REJECT') s.onReject(body, 10);
      else {
        accept(s, 5);
        s.onPeerFailure(kind === 'FAILED' ? MessageType.FAILED : MessageType.ABORT, body, 10);
      }
      expect(events.at(-1)).toMatchObject({ type: 'failed', reason: Reason.APPLICATION, code: 'APPLICATION', message: `${prefix}${text}`, peerMessage: text });
    });

    it('gives peerMessage "" when the peer sent no text (message names the reason instead)', () => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      accept(s, 5);
      s.onPeerFailure(MessageType.FAILED, { reason: Reason.STORE_FAILED, message: '' }, 10);
      expect(events.at(-1)).toMatchObject({ type: 'failed', message: 'receiver failed: STORE_FAILED', peerMessage: '' });
    });

    it('has no peerMessage when the sender itself ended the transfer', () => {
      const { s, events } = setup(CHUNK);
      s.pollTransmit(0);
      accept(s, 5);
      s.abort(Reason.CANCELLED, 'user', 10);
      s.onComplete({ sha256: new Uint8Array(32), totalSize: CHUNK, result: new Uint8Array(0) }, 30);
      const failed = events.filter((e) => e.type === 'failed');
      expect(failed).toHaveLength(1);
      expect('peerMessage' in failed[0]).toBe(false);
    });
  });

  describe('onPong', () => {
    it('samples RTT from a PING sent because the OFFER had to be repeated', () => {
      const { s } = setup(CHUNK, { sender: { initialRttMs: 50 } });
      s.pollTransmit(0);
      s.handleTimeout(100);
      s.pollTransmit(100);
      accept(s, 130);
      expect(s.rtt.hasSample).toBe(false); // ambiguous: two OFFERs
      const ping = msg(s.pollTransmit(130));
      expect(ping.type).toBe(MessageType.PING);
      s.onPong(ping.type === MessageType.PING ? ping.body.token : -1, 160);
      expect(s.rtt.smoothed).toBe(30);
    });
  });
});
