import { decode, encode } from '../wire/codec';
import { concatDatagram } from '../wire/datagram';
import { Flags, MessageType, Reason, type Message } from '../wire/messages';
import { ConfigError } from './config';
import { Endpoint, finiteDeadline } from './endpoint';
import type { EndpointConfigInput, EndpointEvent, Transmit } from './types';

const WIRE = { maxDatagram: 1472 };

function bytes(t: Transmit): Uint8Array {
  return concatDatagram(t.datagram);
}

function msg(t: Transmit | undefined): Message {
  if (t === undefined) throw new Error('nothing to send');
  const r = decode(bytes(t), WIRE);
  if (!r.ok) throw new Error(r.detail);
  return r.message;
}

function wire(m: Message): Uint8Array {
  const r = encode(m, WIRE);
  if (!r.ok) throw new Error(r.detail);
  return concatDatagram(r.datagram);
}

let counter = 0;
function endpoint(config: EndpointConfigInput = {}): Endpoint {
  // A deterministic id source: each call returns a fresh, distinct id.
  return new Endpoint({ config: { progressIntervalMs: 0, ...config }, random: (n) => new Uint8Array(n).fill(0).map((_, i) => (i === n - 1 ? ++counter & 0xff : 0x42)) });
}

function events(e: Endpoint): EndpointEvent[] {
  const out: EndpointEvent[] = [];
  for (let ev = e.pollEvent(); ev; ev = e.pollEvent()) out.push(ev);
  return out;
}

/** Moves everything a has to send now to b (and back) until both are quiet. */
function pump(a: Endpoint, b: Endpoint, now: number, maxRounds = 10_000): void {
  for (let i = 0; i < maxRounds; i++) {
    let moved = false;
    for (let t = a.pollTransmit(now); t; t = a.pollTransmit(now), moved = true) b.handleDatagram('a', bytes(t), now);
    for (let t = b.pollTransmit(now); t; t = b.pollTransmit(now), moved = true) a.handleDatagram('b', bytes(t), now);
    if (!moved) return;
  }
}

describe('Endpoint', () => {
  describe('constructor', () => {
    it('validates its configuration, naming the bad option', () => {
      expect(() => new Endpoint({ config: { sender: { burstDatagrams: 0 } } })).toThrow(ConfigError);
      expect(() => new Endpoint({ config: { sender: { burstDatagrams: 0 } } })).toThrow(/sender.burstDatagrams/);
    });
  });

  describe('send', () => {
    it('refuses beyond sender.maxTransfers with TOO_MANY_TRANSFERS', () => {
      const a = endpoint({ sender: { maxTransfers: 1 } });
      expect(a.send('b', { data: new Uint8Array(1) }, 0).ok).toBe(true);
      expect(a.send('b', { data: new Uint8Array(1) }, 0)).toMatchObject({ ok: false, reason: Reason.TOO_MANY_TRANSFERS, code: 'TOO_MANY_TRANSFERS' });
    });

    it('refuses while draining and when the OFFER cannot fit one datagram', () => {
      const a = endpoint();
      expect(a.send('b', { data: new Uint8Array(1), metadata: new Uint8Array(2000) }, 0)).toMatchObject({ ok: false, reason: Reason.BAD_OFFER });
      a.drain();
      expect(a.send('b', { data: new Uint8Array(1) }, 0)).toMatchObject({ ok: false, reason: Reason.SHUTTING_DOWN });
    });
  });

  describe('handleDatagram', () => {
    it('counts undecodable datagrams by their decode error', () => {
      const b = endpoint();
      b.handleDatagram('x', new Uint8Array(3), 0);
      b.handleDatagram('x', new Uint8Array(100), 0);
      expect(b.counters.dropped).toEqual({ TRUNCATED: 1, BAD_CHECKSUM: 1 });
      expect(b.counters.datagramsReceived).toBe(2);
    });

    it('drops datagrams for unknown transfers, from the wrong role and from the wrong peer', () => {
      const a = endpoint();
      const b = endpoint({ receiver: { autoCommit: true } });
      const sent = a.send('b', { data: new Uint8Array(5000) }, 0);
      if (!sent.ok) throw new Error('refused');
      const offer = a.pollTransmit(0) as Transmit;
      b.handleDatagram('a', bytes(offer), 0);
      const id = sent.transferId;
      b.handleDatagram('a', wire({ type: MessageType.DATA, flags: 0, transferId: 'ffffffffffffffff', seq: 0, body: { payload: new Uint8Array(10) } }), 1);
      b.handleDatagram('a', wire({ type: MessageType.DATA, flags: Flags.FROM_RECEIVER, transferId: id, seq: 0, body: { payload: new Uint8Array(10) } }), 1);
      b.handleDatagram('a', wire({ type: MessageType.ACCEPT, flags: 0, transferId: id, seq: 0, body: { window: 1, maxRate: 0 } }), 1);
      b.handleDatagram('mallory', wire({ type: MessageType.DATA, flags: 0, transferId: id, seq: 0, body: { payload: new Uint8Array(1448) } }), 1);
      b.handleDatagram('a', wire({ type: MessageType.DATA, flags: 0, transferId: id, seq: 0, body: { payload: new Uint8Array(10) } }), 1);
      expect(b.counters.dropped).toEqual({ UNKNOWN_TRANSFER: 1, WRONG_ROLE: 2, WRONG_PEER: 1, MALFORMED_CHUNK: 1 });
      expect(b.counters.receivedByType).toMatchObject({ OFFER: 1, DATA: 4, ACCEPT: 1 });
    });

    it('answers PING with PONG echoing the token', () => {
      const b = endpoint();
      b.handleDatagram('x', wire({ type: MessageType.PING, flags: 0, transferId: '0000000000000000', seq: 3, body: { token: 1234 } }), 0);
      const pong = msg(b.pollTransmit(0));
      expect(pong.type === MessageType.PONG && pong.body.token).toBe(1234);
      expect(pong.seq).toBe(3);
      expect(pong.flags & Flags.FROM_RECEIVER).toBe(Flags.FROM_RECEIVER);
    });

    it('counts a corrupt datagram in the stats of the peer’s most recent transfer', () => {
      const a = endpoint();
      const b = endpoint();
      a.send('b', { data: new Uint8Array(5000) }, 0);
      const offer = bytes(a.pollTransmit(0) as Transmit);
      b.handleDatagram('a', offer, 0);
      const corrupt = offer.slice();
      corrupt[40] ^= 0x01;
      b.handleDatagram('a', corrupt, 2);
      b.handleDatagram('someone-else', corrupt, 2); // no transfer with that peer: only the counter
      expect(b.counters.dropped['BAD_CHECKSUM']).toBe(2);
      expect(b.transfers()[0].stats.corrupt).toBe(1);
    });

    it('re-sends ACCEPT for a duplicate OFFER and accepts only once', () => {
      const a = endpoint();
      const b = endpoint();
      a.send('b', { data: new Uint8Array(5000) }, 0);
      const offer = bytes(a.pollTransmit(0) as Transmit);
      b.handleDatagram('a', offer, 0);
      b.handleDatagram('a', offer, 1);
      expect(msg(b.pollTransmit(1)).type).toBe(MessageType.ACCEPT);
      expect(b.counters.transfersStarted.receiver).toBe(1);
      expect(events(b).filter((e) => e.type === 'started')).toHaveLength(1);
    });

    it('accepts an empty object and completes it at once', () => {
      const a = endpoint();
      const b = endpoint({ receiver: { autoCommit: true } });
      a.send('b', { data: new Uint8Array(0) }, 0);
      pump(a, b, 0);
      expect(events(b).map((e) => e.type)).toEqual(['started', 'verified', 'completed']);
      // No ACCEPT: the receiver answers the OFFER of an empty object with COMPLETE directly.
      expect(events(a).map((e) => e.type)).toEqual(['completed']);
      expect(b.counters.bytesReserved).toBe(0);
    });

    it('answers DATA of a finished transfer with the recorded COMPLETE (rate-limited) and never restarts it', () => {
      const a = endpoint();
      const b = endpoint({ receiver: { autoCommit: true } });
      a.send('b', { data: new Uint8Array(100) }, 0);
      const offer = bytes(a.pollTransmit(0) as Transmit);
      b.handleDatagram('a', offer, 0);
      a.handleDatagram('b', bytes(b.pollTransmit(0) as Transmit), 1);
      const data = bytes(a.pollTransmit(1) as Transmit);
      b.handleDatagram('a', data, 2);
      while (b.pollTransmit(2));
      b.handleDatagram('a', data, 100);
      expect(msg(b.pollTransmit(100)).type).toBe(MessageType.COMPLETE);
      b.handleDatagram('a', data, 101); // within 20 ms of the last answer
      expect(b.pollTransmit(101)).toBeUndefined();
      b.handleDatagram('a', offer, 200);
      expect(msg(b.pollTransmit(200)).type).toBe(MessageType.COMPLETE);
      expect(b.counters.tombstoneAnswers).toBe(2);
      expect(b.counters.dropped['LATE']).toBe(1);
      expect(b.counters.transfersStarted.receiver).toBe(1);
    });

    it('answers every PROBE of a finished transfer, even within the tombstone rate limit', () => {
      const a = endpoint();
      const b = endpoint({ receiver: { autoCommit: true } });
      a.send('b', { data: new Uint8Array(100) }, 0);
      b.handleDatagram('a', bytes(a.pollTransmit(0) as Transmit), 0);
      a.handleDatagram('b', bytes(b.pollTransmit(0) as Transmit), 1);
      const data = bytes(a.pollTransmit(1) as Transmit);
      b.handleDatagram('a', data, 2);
      while (b.pollTransmit(2));
      const d = decode(data, WIRE);
      if (!d.ok) throw new Error(d.detail);
      // The sender's tail probe: its retries come one probe timeout apart, which on a short path is under 20 ms.
      const probe = wire({ ...d.message, flags: d.message.flags | Flags.PROBE | Flags.RETRANSMIT });
      for (const now of [10, 13, 19]) {
        b.handleDatagram('a', probe, now);
        expect(msg(b.pollTransmit(now)).type).toBe(MessageType.COMPLETE);
      }
      b.handleDatagram('a', data, 20); // plain late DATA stays rate-limited
      expect(b.pollTransmit(20)).toBeUndefined();
      expect(b.counters.dropped['LATE']).toBe(1);
    });
  });

  describe('pollTransmit', () => {
    it('round-robins fairly across sessions with data to send', () => {
      const a = endpoint({ sender: { burstDatagrams: 64 } });
      const b = endpoint();
      a.send('b', { data: new Uint8Array(20 * 1448) }, 0);
      a.send('b', { data: new Uint8Array(20 * 1448) }, 0);
      // OFFERs out, ACCEPTs back.
      for (let t = a.pollTransmit(0); t; t = a.pollTransmit(0)) b.handleDatagram('a', bytes(t), 0);
      for (let t = b.pollTransmit(0); t; t = b.pollTransmit(0)) a.handleDatagram('b', bytes(t), 0);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(msg(a.pollTransmit(1)).transferId);
      for (let i = 2; i < 10; i++) expect(ids[i]).toBe(ids[i - 2]);
      expect(ids[0]).not.toBe(ids[1]);
    });
  });

  describe('pollTimeout', () => {
    it('is the earliest deadline of any session, undefined when idle', () => {
      const a = endpoint({ sender: { initialRttMs: 50 } });
      expect(a.pollTimeout()).toBeUndefined();
      a.send('b', { data: new Uint8Array(10) }, 0);
      expect(a.pollTimeout()).toBe(0); // the OFFER is due now
      a.pollTransmit(0);
      expect(a.pollTimeout()).toBe(100); // OFFER retry at 2 x initial RTT
    });
  });

  describe('endpoint-wide pacing (sender.endpointRateBytesPerSec)', () => {
    const CHUNK_DATAGRAM = 1472;
    /** Two accepted transfers of 20 full chunks each from `a`, handshake done at t=0. */
    function twoTransfers(endpointRateBytesPerSec: number): { a: Endpoint; b: Endpoint } {
      // 1472 bytes per ms for each bucket, 4 datagrams deep.
      const a = endpoint({ sender: { rateBytesPerSec: 1_472_000, endpointRateBytesPerSec, burstDatagrams: 4 } });
      const b = endpoint();
      a.send('b', { data: new Uint8Array(20 * 1448) }, 0);
      a.send('b', { data: new Uint8Array(20 * 1448) }, 0);
      for (let t = a.pollTransmit(0); t; t = a.pollTransmit(0)) {
        expect(msg(t).type).toBe(MessageType.OFFER);
        b.handleDatagram('a', bytes(t), 0);
      }
      for (let t = b.pollTransmit(0); t; t = b.pollTransmit(0)) a.handleDatagram('b', bytes(t), 0);
      return { a, b };
    }

    function dataNow(a: Endpoint, now: number): Transmit[] {
      const out: Transmit[] = [];
      for (let t = a.pollTransmit(now); t; t = a.pollTransmit(now)) out.push(t);
      return out;
    }

    it('caps what all sessions together send at once to one bucket; without it each session sends its own burst', () => {
      const shared = dataNow(twoTransfers(1_472_000).a, 0);
      // 4 datagrams of tokens minus the two OFFERs charged to the bucket: 3 DATA, from both transfers in turn.
      expect(shared.map((t) => msg(t).type)).toEqual([MessageType.DATA, MessageType.DATA, MessageType.DATA]);
      expect(new Set(shared.map((t) => msg(t).transferId)).size).toBe(2);
      expect(dataNow(twoTransfers(0).a, 0)).toHaveLength(8);
    });

    it('pollTimeout names the shared bucket\'s refill time when sessions are blocked only by it (no spinning)', () => {
      const { a } = twoTransfers(1_472_000);
      dataNow(a, 0);
      // Both sessions still hold tokens of their own; only the shared bucket is short.
      const t = a.pollTimeout() as number;
      expect(t).toBeGreaterThan(0);
      expect(t).toBeLessThan(1);
      expect(a.pollTransmit(t / 2)).toBeUndefined();
      expect(msg(a.pollTransmit(t)).type).toBe(MessageType.DATA);
      // Now the bucket is empty: the next DATA is one datagram's worth of refill later.
      expect(a.pollTimeout()).toBeCloseTo(t + 1, 6);
    });

    it('never holds back control datagrams, but charges them, so DATA after them waits longer', () => {
      const { a } = twoTransfers(1_472_000);
      dataNow(a, 0);
      const t = a.pollTimeout() as number;
      // A new transfer's OFFER and a PONG go out at once though the shared bucket is short.
      a.send('b', { data: new Uint8Array(10) }, 0);
      const offer = a.pollTransmit(0);
      expect(msg(offer).type).toBe(MessageType.OFFER);
      a.handleDatagram('b', wire({ type: MessageType.PING, flags: Flags.FROM_RECEIVER, transferId: '0000000000000000', seq: 0, body: { token: 7 } }), 0);
      const pong = a.pollTransmit(0);
      expect(msg(pong).type).toBe(MessageType.PONG);
      expect(a.pollTransmit(0)).toBeUndefined();
      // Their bytes were charged: the next DATA comes that much later.
      const charged = (offer as Transmit).length + (pong as Transmit).length;
      expect(a.pollTimeout()).toBeCloseTo(t + charged / CHUNK_DATAGRAM, 6);
    });

    it('defaults to sender.rateBytesPerSec, and 0 turns it off', () => {
      expect(endpoint({ sender: { rateBytesPerSec: 3e6 } }).config.sender.endpointRateBytesPerSec).toBe(3e6);
      expect(endpoint({ sender: { endpointRateBytesPerSec: 0 } }).config.sender.endpointRateBytesPerSec).toBe(0);
    });
  });

  describe('finiteDeadline', () => {
    it('passes finite deadlines through and turns "never" into undefined', () => {
      expect(finiteDeadline(12.5, 10)).toBe(12.5);
      expect(finiteDeadline(3, 10)).toBe(3); // in the past: due, as any past deadline
      expect(finiteDeadline(undefined, 10)).toBeUndefined();
      expect(finiteDeadline(Number.POSITIVE_INFINITY, 10)).toBeUndefined();
    });

    it('turns -Infinity and NaN into "due now" (never handed to a driver), and gives up without a finite now', () => {
      expect(finiteDeadline(Number.NEGATIVE_INFINITY, 10)).toBe(10);
      expect(finiteDeadline(Number.NaN, 10)).toBe(10);
      expect(finiteDeadline(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBeUndefined();
    });
  });

  describe('commit / fail / abort', () => {
    it('return false for unknown transfers', () => {
      const a = endpoint();
      expect(a.commit('0123456789abcdef', undefined, 0)).toBe(false);
      expect(a.fail('0123456789abcdef', Reason.APPLICATION, 'x', 0)).toBe(false);
      expect(a.abort('0123456789abcdef', Reason.CANCELLED, 'x', 0)).toBe(false);
    });

    it('abort() fails the session, sends ABORT and forgets it', () => {
      const a = endpoint();
      const sent = a.send('b', { data: new Uint8Array(10) }, 0);
      if (!sent.ok) throw new Error('refused');
      a.pollTransmit(0);
      expect(a.abort(sent.transferId, Reason.CANCELLED, 'bye', 1)).toBe(true);
      expect(msg(a.pollTransmit(1)).type).toBe(MessageType.ABORT);
      expect(a.transfers()).toHaveLength(0);
      expect(a.counters.transfersFailed.sender).toBe(1);
      expect(events(a).at(-1)).toMatchObject({ type: 'failed', reason: Reason.CANCELLED, message: 'bye' });
    });
  });

  describe('transfers', () => {
    it('lists transfers in flight with their role, state and progress', () => {
      const a = endpoint();
      a.send('b', { data: new Uint8Array(10), name: 'n.png', contentType: 'image/png' }, 0);
      expect(a.transfers()).toMatchObject([{ role: 'sender', peer: 'b', state: 'offering', name: 'n.png', contentType: 'image/png', totalBytes: 10, bytes: 0 }]);
    });
  });
});
