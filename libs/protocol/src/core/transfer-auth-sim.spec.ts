/**
 * Authenticated mode over the SimNetwork: forged datagrams are dropped as
 * BAD_AUTH, a replayed capture of a finished transfer cannot restart it, and
 * an OFFER outside the replay window is refused with STALE_OFFER.
 */
import { Pair, seedsFromEnv, withSeed } from '../testing';
import { decode, encode } from '../wire/codec';
import { MessageType, Reason, type Message } from '../wire/messages';
import { Endpoint } from './endpoint';
import { sha256 } from './stats';
import type { EndpointConfigInput } from './types';

const SEED = seedsFromEnv([5])[0];
const KEY = new Uint8Array(32).fill(7);
const WRONG_KEY = new Uint8Array(32).fill(8);
/** Endpoints in authenticated mode must be driven with wall-clock-like times (createdAt is checked). */
const START = 1_700_000_000_000;

function config(key: Uint8Array): EndpointConfigInput {
  return { wire: { key }, receiver: { autoCommit: true, replayWindowMs: 30_000, tombstoneTtlMs: 60_000 } };
}

function makePair(keyA = KEY, keyB = KEY, loss = 0): Pair<Endpoint> {
  return new Pair<Endpoint>({
    seed: SEED,
    startTimeMs: START,
    makeA: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: config(keyA) }),
    makeB: (ctx) => new Endpoint({ random: (n) => ctx.random.bytes(n), config: config(keyB) }),
    link: loss > 0 ? { loss: { model: 'bernoulli', p: loss } } : {},
  });
}

function object(size: number): Uint8Array {
  const d = new Uint8Array(size);
  for (let i = 0; i < size; i++) d[i] = (i * 13) & 0xff;
  return d;
}

describe('authenticated transfers over SimNetwork', () => {
  it('completes byte-exact at 5% loss with every datagram tagged', () =>
    withSeed(SEED, () => {
      const pair = makePair(KEY, KEY, 0.05);
      const data = object(300_000);
      pair.a.send('b', { data }, pair.now);
      pair.driveUntilEvent('a', (e) => e.type === 'completed' || e.type === 'failed');
      expect(pair.eventsA.some((e) => e.type === 'completed')).toBe(true);
      const v = pair.eventsB.find((e) => e.type === 'verified');
      expect(v?.type === 'verified' && Buffer.from(v.data).equals(Buffer.from(data))).toBe(true);
    }));

  it('drops datagrams forged with the wrong key as BAD_AUTH and never starts a transfer', () =>
    withSeed(SEED, () => {
      const pair = makePair(WRONG_KEY, KEY);
      pair.a.send('b', { data: object(1000) }, pair.now);
      pair.driveUntilEvent('a', (e) => e.type === 'failed');
      const failed = pair.eventsA.find((e) => e.type === 'failed');
      expect(failed?.type === 'failed' && failed.reason).toBe(Reason.UNREACHABLE);
      expect(pair.b.counters.dropped['BAD_AUTH']).toBeGreaterThanOrEqual(1);
      expect(pair.b.counters.dropped['BAD_AUTH']).toBe(pair.a.counters.sentByType['OFFER']);
      expect(pair.eventsB.some((e) => e.type === 'started')).toBe(false);
    }));

  it('a replayed capture of a finished transfer cannot restart it: no second `started`, COMPLETE answered from the tombstone', () =>
    withSeed(SEED, () => {
      const pair = makePair();
      const captured: Uint8Array[] = [];
      pair.network.intercept((d) => {
        if (d.from === 'a') captured.push(d.bytes.slice());
        return undefined;
      });
      pair.a.send('b', { data: object(50_000) }, pair.now);
      pair.driveUntilEvent('a', (e) => e.type === 'completed');
      pair.drive();
      const completesBefore = pair.b.counters.sentByType['COMPLETE'] ?? 0;
      // Replay the whole capture, 1 s later, spread over 100 ms (the tombstone answers at most every 20 ms).
      captured.forEach((bytes, i) => pair.network.inject('a', 'b', bytes, pair.now + 1000 + (i * 100) / captured.length));
      pair.drive();
      expect(pair.eventsB.filter((e) => e.type === 'started')).toHaveLength(1);
      expect(pair.eventsB.filter((e) => e.type === 'completed')).toHaveLength(1);
      expect(pair.b.counters.transfersStarted.receiver).toBe(1);
      expect(pair.b.counters.tombstoneAnswers).toBeGreaterThanOrEqual(1);
      expect((pair.b.counters.sentByType['COMPLETE'] ?? 0) - completesBefore).toBe(pair.b.counters.tombstoneAnswers);
      expect(pair.b.counters.bytesReserved).toBe(0);
    }));

  it('refuses an OFFER created outside the replay window with STALE_OFFER', () =>
    withSeed(SEED, () => {
      const pair = makePair();
      const replies: Message[] = [];
      pair.network.intercept((d) => {
        const r = decode(d.bytes, { maxDatagram: 1472, key: KEY });
        if (d.from === 'b' && r.ok) replies.push(r.message);
        return undefined;
      });
      const empty = new Uint8Array(0);
      const stale = encode(
        {
          type: MessageType.OFFER,
          flags: 0,
          transferId: '0123456789abcdef',
          seq: 0,
          body: { totalSize: 0, chunkSize: 1432, chunkCount: 0, sha256: sha256(empty), createdAt: START - 31_000, contentType: '', name: '', metadata: empty, preview: empty },
        },
        { maxDatagram: 1472, key: KEY },
      );
      if (!stale.ok) throw new Error(stale.detail);
      pair.network.inject('a', 'b', Buffer.concat(stale.datagram.map((s) => Buffer.from(s))));
      pair.drive();
      expect(replies).toHaveLength(1);
      expect(replies[0].type).toBe(MessageType.REJECT);
      expect(replies[0].type === MessageType.REJECT && replies[0].body.reason).toBe(Reason.STALE_OFFER);
      expect(pair.b.counters.offersRejected).toBe(1);
      expect(pair.eventsB.some((e) => e.type === 'started')).toBe(false);
    }));
});
