/**
 * Failure and recovery scenarios over the SimNetwork: vanished peers, lost
 * control datagrams, refusals, commit, hash mismatch and the repair limit.
 * Every run is bounded and seeded.
 */
import { Pair, seedsFromEnv, withSeed, type InterceptedDatagram, type LinkConfigInput } from '../testing';
import { decode } from '../wire/codec';
import { Flags, MessageType, Reason, type Message } from '../wire/messages';
import { Endpoint } from './endpoint';
import type { EndpointConfigInput, EndpointEvent } from './types';

const SEED = seedsFromEnv([7])[0];

function makePair(config: EndpointConfigInput = {}, link: LinkConfigInput = {}, configB: EndpointConfigInput = config): Pair<Endpoint> {
  return new Pair<Endpoint>({
    seed: SEED,
    makeA: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config }),
    makeB: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: configB }),
    link,
  });
}

function data(size: number): Uint8Array {
  const d = new Uint8Array(size);
  for (let i = 0; i < size; i++) d[i] = (i * 31 + 7) & 0xff;
  return d;
}

function senderEnd(pair: Pair<Endpoint>): EndpointEvent | undefined {
  return pair.eventsA.find((e) => e.role === 'sender' && (e.type === 'completed' || e.type === 'failed'));
}

function runToSenderEnd(pair: Pair<Endpoint>): EndpointEvent {
  const r = pair.driveUntilEvent('a', (e) => e.role === 'sender' && (e.type === 'completed' || e.type === 'failed'), { maxTimeMs: 300_000 });
  if (!r.ok) throw new Error(`sender never finished: ${r.reason} ${r.detail ?? ''}`);
  return senderEnd(pair) as EndpointEvent;
}

function decoded(d: InterceptedDatagram): Message | undefined {
  const r = decode(d.bytes, { maxDatagram: 1472 });
  return r.ok ? r.message : undefined;
}

/** Drops the first `count` datagrams matching `match`. */
function dropFirst(pair: Pair<Endpoint>, match: (m: Message, d: InterceptedDatagram) => boolean, count = 1): { dropped: number } {
  const state = { dropped: 0 };
  pair.network.intercept((d) => {
    const m = decoded(d);
    if (m !== undefined && state.dropped < count && match(m, d)) {
      state.dropped++;
      return 'drop';
    }
    return undefined;
  });
  return state;
}

const AUTO = { receiver: { autoCommit: true } };

describe('transfer failures over SimNetwork', () => {
  describe('vanished peers', () => {
    it('a receiver that vanishes after the start makes the sender fail with TIMEOUT ("receiver silent"), never hang', () =>
      withSeed(SEED, () => {
        const pair = makePair({ ...AUTO, sender: { idleTimeoutMs: 3000 } }, { blackholes: [[30, Number.POSITIVE_INFINITY]] });
        pair.a.send('b', { data: data(2_000_000) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type).toBe('failed');
        if (end.type !== 'failed') return;
        expect(end.reason).toBe(Reason.TIMEOUT);
        expect(end.message).toBe('receiver silent for 3000 ms');
        expect(pair.now).toBeLessThan(30 + 3000 + 100);
        expect(pair.a.activeCount.sender).toBe(0);
      }));

    it('a sender that vanishes makes the receiver free its memory after idleTimeoutMs and emit failed TIMEOUT', () =>
      withSeed(SEED, () => {
        const pair = makePair({ ...AUTO, receiver: { autoCommit: true, idleTimeoutMs: 2000 } });
        pair.a.send('b', { data: data(3_000_000) }, pair.now);
        assertStarted(pair);
        expect(pair.b.counters.bytesReserved).toBe(3_000_000);
        pair.network.removeNode('a');
        const r = pair.driveUntilEvent('b', (e) => e.type === 'failed');
        expect(r.ok).toBe(true);
        const failed = pair.eventsB.find((e) => e.type === 'failed');
        expect(failed?.type === 'failed' && failed.reason).toBe(Reason.TIMEOUT);
        expect(failed?.type === 'failed' && failed.message).toBe('sender silent for 2000 ms');
        expect(pair.b.counters.bytesReserved).toBe(0);
        expect(pair.b.activeCount.receiver).toBe(0);
        expect(pair.b.counters.transfersFailed.receiver).toBe(1);
      }));

    it('an OFFER nobody answers fails with UNREACHABLE after offerTimeoutMs, with OFFER retries backing off', () =>
      withSeed(SEED, () => {
        const pair = makePair({ sender: { offerTimeoutMs: 5000, initialRttMs: 100 } }, { blackholes: [[0, Number.POSITIVE_INFINITY]] });
        pair.a.send('b', { data: data(10) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.UNREACHABLE);
        // 0, 200, 600, 1400, 3000 (doubling from 2 x initial RTT, capped at 2000 ms): 5 OFFERs, no ABORT.
        expect(pair.a.counters.sentByType['OFFER']).toBe(5);
        expect(pair.a.counters.sentByType['ABORT']).toBeUndefined();
        expect(pair.now).toBeCloseTo(5000, 0);
      }));

    it('the overall deadline fails the transfer with TIMEOUT and sends ABORT', () =>
      withSeed(SEED, () => {
        const pair = makePair({ ...AUTO, sender: { deadlineBaseMs: 100, deadlinePerMiBMs: 0, rateBytesPerSec: 1_000_000 } });
        pair.a.send('b', { data: data(1_000_000) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.TIMEOUT);
        expect(end.type === 'failed' && end.message).toMatch(/deadline of 100 ms exceeded/);
        pair.drive();
        const rf = pair.eventsB.find((e) => e.type === 'failed');
        expect(rf?.type === 'failed' && rf.message).toMatch(/aborted by sender/);
        expect(pair.b.counters.bytesReserved).toBe(0);
      }));
  });

  describe('lost control datagrams never stall a transfer', () => {
    it.each([
      ['the first transmission of the last chunk', (m: Message) => m.type === MessageType.DATA && m.seq === 69],
      ['the first NACK (after losing chunk 10)', (m: Message) => (m.type === MessageType.DATA && m.seq === 10 && (m.flags & Flags.RETRANSMIT) === 0) || m.type === MessageType.NACK],
      ['every ACK (first 50)', (m: Message) => m.type === MessageType.ACK],
      ['the first COMPLETE', (m: Message) => m.type === MessageType.COMPLETE],
      ['the first ACCEPT', (m: Message) => m.type === MessageType.ACCEPT],
    ])('survives losing %s', (_name, match) =>
      withSeed(SEED, () => {
        const pair = makePair(AUTO, { loss: { model: 'bernoulli', p: 0.02 } });
        const state = dropFirst(pair, match, _name.startsWith('every') ? 50 : _name.includes('NACK') ? 2 : 1);
        pair.a.send('b', { data: data(100_000) }, pair.now); // 70 chunks, the last is 69
        const end = runToSenderEnd(pair);
        expect(end.type).toBe('completed');
        expect(state.dropped).toBeGreaterThan(_name.includes('NACK') ? 1 : 0);
        expect(pair.now).toBeLessThan(2000);
      }),
    );

    it('answers a probe after completion from the tombstone (a lost COMPLETE)', () =>
      withSeed(SEED, () => {
        const pair = makePair(AUTO);
        dropFirst(pair, (m) => m.type === MessageType.COMPLETE);
        pair.a.send('b', { data: data(10_000) }, pair.now);
        expect(runToSenderEnd(pair).type).toBe('completed');
        expect(pair.b.counters.tombstoneAnswers).toBe(1);
        expect(pair.b.counters.transfersStarted.receiver).toBe(1);
      }));
  });

  describe('refusals', () => {
    it.each([
      ['TOO_LARGE', { receiver: { maxBytesPerTransfer: 1000 } }, 2000, Reason.TOO_LARGE],
      ['OUT_OF_MEMORY', { receiver: { maxMemoryBytes: 1000 } }, 2000, Reason.OUT_OF_MEMORY],
    ] as Array<[string, EndpointConfigInput, number, Reason]>)('a receiver refuses with %s and the sender fails with that reason', (_n, cfgB, size, reason) =>
      withSeed(SEED, () => {
        const pair = makePair({}, {}, cfgB);
        pair.a.send('b', { data: data(size) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(reason);
        expect(pair.b.counters.offersRejected).toBe(1);
        expect(pair.eventsB.some((e) => e.type === 'started')).toBe(false);
      }));

    it('a draining receiver refuses with SHUTTING_DOWN', () =>
      withSeed(SEED, () => {
        const pair = makePair();
        pair.b.drain();
        pair.a.send('b', { data: data(10) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.SHUTTING_DOWN);
      }));

    it('refuses the transfer beyond receiver.maxTransfers with TOO_MANY_TRANSFERS', () =>
      withSeed(SEED, () => {
        const pair = makePair({ receiver: { maxTransfers: 1 } });
        pair.a.send('b', { data: data(100_000) }, pair.now);
        pair.a.send('b', { data: data(100_000) }, pair.now);
        pair.driveUntil((p) => p.eventsA.filter((e) => e.type === 'failed').length === 1);
        const failed = pair.eventsA.find((e) => e.type === 'failed');
        expect(failed?.type === 'failed' && failed.reason).toBe(Reason.TOO_MANY_TRANSFERS);
      }));
  });

  describe('completion', () => {
    it('waits for commit: COMPLETE carries the application result back to the sender', () =>
      withSeed(SEED, () => {
        const pair = makePair({ receiver: { autoCommit: false } });
        const object = data(50_000);
        pair.a.send('b', { data: object, name: 'x.png', contentType: 'image/png' }, pair.now);
        pair.driveUntilEvent('b', (e) => e.type === 'verified');
        const v = pair.eventsB.find((e) => e.type === 'verified');
        if (v?.type !== 'verified') throw new Error('no verified event');
        expect(Buffer.from(v.data).equals(Buffer.from(object))).toBe(true);
        expect(v.offer.name).toBe('x.png');
        // The application takes 300 ms to store it; the sender probes meanwhile and must not give up.
        pair.network.runFor(300);
        expect(senderEnd(pair)).toBeUndefined();
        expect(pair.b.commit(v.transferId, new TextEncoder().encode('stored-42'), pair.now)).toBe(true);
        const end = runToSenderEnd(pair);
        expect(end.type === 'completed' && new TextDecoder().decode(end.result)).toBe('stored-42');
        expect(pair.b.counters.bytesReserved).toBe(0);
        expect(pair.b.commit(v.transferId, undefined, pair.now)).toBe(false);
      }));

    it('fails with STORE_FAILED when the application never commits', () =>
      withSeed(SEED, () => {
        const pair = makePair({ receiver: { autoCommit: false, commitTimeoutMs: 500 } });
        pair.a.send('b', { data: data(5_000) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.STORE_FAILED);
        expect(pair.eventsB.some((e) => e.type === 'failed' && e.reason === Reason.STORE_FAILED)).toBe(true);
      }));

    it('fails both sides with HASH_MISMATCH when the bytes do not match the offered SHA-256', () =>
      withSeed(SEED, () => {
        const pair = makePair(AUTO);
        pair.a.send('b', { data: data(5_000), sha256: new Uint8Array(32) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.HASH_MISMATCH);
        expect(pair.eventsB.some((e) => e.type === 'failed' && e.reason === Reason.HASH_MISMATCH)).toBe(true);
        expect(pair.eventsB.some((e) => e.type === 'verified')).toBe(false);
      }));

    it('gives up with REPAIR_LIMIT when one chunk never gets through', () =>
      withSeed(SEED, () => {
        const pair = makePair({ ...AUTO, sender: { maxTransmissionsPerChunk: 5 } });
        pair.network.intercept((d) => {
          const m = decoded(d);
          return m?.type === MessageType.DATA && m.seq === 3 ? 'drop' : undefined;
        });
        pair.a.send('b', { data: data(100_000) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end.type === 'failed' && end.reason).toBe(Reason.REPAIR_LIMIT);
        expect(end.type === 'failed' && end.message).toMatch(/chunk 3 sent 5 times/);
      }));

    it('the application’s fail() text reaches the sender verbatim in peerMessage (message keeps its prefix)', () =>
      withSeed(SEED, () => {
        const pair = makePair({ receiver: { autoCommit: false } });
        pair.a.send('b', { data: data(5_000) }, pair.now);
        pair.driveUntilEvent('b', (e) => e.type === 'verified');
        const v = pair.eventsB.find((e) => e.type === 'verified');
        if (v?.type !== 'verified') throw new Error('no verified event');
        const text = JSON.stringify({ status: 422, message: 'bad: image' });
        expect(pair.b.fail(v.transferId, Reason.APPLICATION, text, pair.now)).toBe(true);
        const end = runToSenderEnd(pair);
        expect(end).toMatchObject({ type: 'failed', reason: Reason.APPLICATION, message: `receiver failed: ${text}`, peerMessage: text });
        // The receiver ended it itself: no peerMessage on its side.
        const own = pair.eventsB.find((e) => e.type === 'failed');
        expect(own !== undefined && 'peerMessage' in own).toBe(false);
      }));

    it('a REJECT’s text reaches the sender in peerMessage; a local failure has none', () =>
      withSeed(SEED, () => {
        const pair = makePair(AUTO, {}, { receiver: { maxBytesPerTransfer: 1000 } });
        pair.a.send('b', { data: data(5_000) }, pair.now);
        const end = runToSenderEnd(pair);
        expect(end).toMatchObject({ type: 'failed', reason: Reason.TOO_LARGE, peerMessage: '5000 bytes exceeds receiver.maxBytesPerTransfer 1000' });
        expect(end.type === 'failed' && end.message).toBe('rejected by receiver: 5000 bytes exceeds receiver.maxBytesPerTransfer 1000');

        const lonely = makePair({ sender: { offerTimeoutMs: 500 } });
        lonely.network.removeNode('b');
        lonely.a.send('b', { data: data(10) }, lonely.now);
        const timeout = runToSenderEnd(lonely);
        expect(timeout.type === 'failed' && timeout.reason).toBe(Reason.UNREACHABLE);
        expect('peerMessage' in timeout).toBe(false);
      }));

    it('sender.abort() sends ABORT and the receiver frees the transfer', () =>
      withSeed(SEED, () => {
        const pair = makePair(AUTO);
        const sent = pair.a.send('b', { data: data(1_000_000) }, pair.now);
        assertStarted(pair);
        if (!sent.ok) throw new Error('send refused');
        expect(pair.a.abort(sent.transferId, Reason.CANCELLED, 'user cancelled', pair.now)).toBe(true);
        pair.driveUntilEvent('b', (e) => e.type === 'failed');
        const f = pair.eventsB.find((e) => e.type === 'failed');
        expect(f?.type === 'failed' && f.reason).toBe(Reason.CANCELLED);
        expect(f).toMatchObject({ message: 'aborted by sender: user cancelled', peerMessage: 'user cancelled' });
        expect(pair.b.counters.bytesReserved).toBe(0);
      }));
  });

  it('marks every datagram from the receiving side with FROM_RECEIVER', () =>
    withSeed(SEED, () => {
      const pair = makePair(AUTO);
      let wrong = 0;
      pair.network.intercept((d) => {
        const m = decoded(d);
        if (m !== undefined && d.from === 'b' && (m.flags & Flags.FROM_RECEIVER) === 0) wrong++;
        if (m !== undefined && d.from === 'a' && (m.flags & Flags.FROM_RECEIVER) !== 0) wrong++;
        return undefined;
      });
      pair.a.send('b', { data: data(20_000) }, pair.now);
      expect(runToSenderEnd(pair).type).toBe('completed');
      expect(wrong).toBe(0);
    }));
});

function assertStarted(pair: Pair<Endpoint>): void {
  const r = pair.driveUntilEvent('b', (e) => e.type === 'progress');
  if (!r.ok) throw new Error('transfer never started');
}

describe('tombstones of transfers the sender aborted', () => {
  it('a replayed OFFER of a transfer the sender aborted does not restart it', () =>
    withSeed(SEED, () => {
      const pair = makePair(AUTO);
      let offer: Uint8Array | undefined;
      pair.network.intercept((d) => {
        const m = decoded(d);
        if (m?.type === MessageType.OFFER && offer === undefined) offer = d.bytes.slice();
        return undefined;
      });
      const sent = pair.a.send('b', { data: data(500_000) }, pair.now);
      if (!sent.ok) throw new Error('refused');
      pair.driveUntilEvent('b', (e) => e.type === 'progress');
      pair.a.abort(sent.transferId, Reason.CANCELLED, 'stop', pair.now);
      pair.drive();
      expect(pair.b.counters.transfersFailed.receiver).toBe(1);
      pair.network.inject('a', 'b', offer as Uint8Array);
      pair.drive();
      expect(pair.b.counters.transfersStarted.receiver).toBe(1);
      expect(pair.b.counters.tombstoneAnswers).toBe(1);
    }));
});
