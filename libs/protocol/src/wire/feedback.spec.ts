import type { BodyPlan, EncodeFailure } from './body-plan';
import { ByteReader, ByteWriter } from './cursor';
import { decodeAck, decodeNack, feedbackProblem, FEEDBACK_LENGTH, fitRanges, NO_ECHO, planAck, planNack, rangesProblem } from './feedback';
import { Flags, type ChunkRange, type FeedbackBody } from './messages';

const feedback: FeedbackBody = { cumulative: 10, highestSeen: 100, received: 60, window: 256, echoChunk: 99, echoDelayMicros: 1500 };

function written(plan: BodyPlan | EncodeFailure): Uint8Array {
  if (!plan.ok) throw new Error(plan.detail);
  const out = new Uint8Array(plan.length);
  const w = new ByteWriter(out);
  plan.write(w);
  expect(w.pos).toBe(plan.length);
  return out;
}

function reader(bytes: Uint8Array): ByteReader {
  return new ByteReader(bytes, 0, bytes.length);
}

describe('feedback', () => {
  describe('feedbackProblem', () => {
    it('accepts consistent feedback, including the none echo', () => {
      expect(feedbackProblem(feedback)).toBeUndefined();
      expect(feedbackProblem({ ...feedback, echoChunk: NO_ECHO })).toBeUndefined();
      expect(feedbackProblem({ cumulative: 0, highestSeen: 0, received: 0, window: 0, echoChunk: NO_ECHO, echoDelayMicros: 0 })).toBeUndefined();
    });

    it('names the broken invariant', () => {
      expect(feedbackProblem({ ...feedback, cumulative: 61 })).toBe('cumulative 61 exceeds received 60');
      expect(feedbackProblem({ ...feedback, received: 101 })).toBe('received 101 exceeds highestSeen 100');
      expect(feedbackProblem({ ...feedback, window: -1 })).toBe('window must be a u32, got -1');
    });
  });

  describe('rangesProblem', () => {
    it('accepts ascending ranges in [cumulative, highestSeen)', () => {
      expect(rangesProblem([{ start: 10, length: 5 }, { start: 15, length: 1 }, { start: 90, length: 10 }], 10, 100)).toBeUndefined();
    });

    it.each<[string, ChunkRange[], RegExp]>([
      ['below cumulative', [{ start: 9, length: 1 }], /below cumulative/],
      ['overlapping', [{ start: 10, length: 5 }, { start: 14, length: 1 }], /not after range 0/],
      ['descending', [{ start: 50, length: 1 }, { start: 20, length: 1 }], /not after range 0/],
      ['beyond highestSeen', [{ start: 95, length: 6 }], /beyond highestSeen/],
      ['empty', [{ start: 20, length: 0 }], /length >= 1/],
    ])('refuses %s ranges', (_, ranges, message) => {
      expect(rangesProblem(ranges, 10, 100)).toMatch(message);
    });
  });

  describe('fitRanges', () => {
    it('counts the prefix that fits', () => {
      const ranges = [{ start: 0, length: 1 }, { start: 2, length: 1 }, { start: 200, length: 1 }];
      expect(fitRanges(ranges, 0, 100)).toEqual({ count: 3, bytes: 2 + 2 + 3 });
      expect(fitRanges(ranges, 0, 6)).toEqual({ count: 2, bytes: 4 });
      expect(fitRanges(ranges, 0, 1)).toEqual({ count: 0, bytes: 0 });
    });
  });

  describe('planAck / decodeAck', () => {
    it('round-trips the 24 feedback bytes', () => {
      const bytes = written(planAck(feedback));
      expect(bytes.length).toBe(FEEDBACK_LENGTH);
      const r = reader(bytes);
      expect(decodeAck(r)).toEqual(feedback);
      expect(r.error).toBeUndefined();
    });

    it('floors and saturates echoDelayMicros', () => {
      const r = reader(written(planAck({ ...feedback, echoDelayMicros: 2 ** 40 + 0.7 })));
      expect(decodeAck(r).echoDelayMicros).toBe(0xffffffff);
      expect(decodeAck(reader(written(planAck({ ...feedback, echoDelayMicros: 12.9 })))).echoDelayMicros).toBe(12);
    });

    it('refuses inconsistent feedback on both sides', () => {
      expect(planAck({ ...feedback, received: 5 })).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(planAck({ ...feedback, echoDelayMicros: -1 })).toMatchObject({ ok: false, error: 'MALFORMED' });
      const bytes = written(planAck(feedback));
      bytes[11] = 200; // received (offset 8..12) = 200 > highestSeen 100
      const r = reader(bytes);
      decodeAck(r);
      expect(r.error).toBe('received 200 exceeds highestSeen 100');
    });
  });

  describe('planNack / decodeNack', () => {
    const ranges = [{ start: 10, length: 3 }, { start: 20, length: 1 }, { start: 70, length: 30 }];

    it('round-trips ranges as delta varints', () => {
      const plan = planNack({ ...feedback, ranges }, 1000);
      expect(plan).toMatchObject({ ok: true, flags: 0, rangesEncoded: 3 });
      const bytes = written(plan);
      expect(bytes.length).toBe(FEEDBACK_LENGTH + 2 + 6);
      const r = reader(bytes);
      expect(decodeNack(r)).toEqual({ ...feedback, ranges });
      expect(r.error).toBeUndefined();
    });

    it('writes as many ranges as fit and sets TRUNCATED', () => {
      const plan = planNack({ ...feedback, ranges }, FEEDBACK_LENGTH + 2 + 4);
      expect(plan).toMatchObject({ ok: true, flags: Flags.TRUNCATED, rangesEncoded: 2 });
      expect(decodeNack(reader(written(plan))).ranges).toEqual(ranges.slice(0, 2));
    });

    it('refuses bad ranges even past the ones that fit', () => {
      expect(planNack({ ...feedback, ranges: [...ranges, { start: 99, length: 5 }] }, 30)).toMatchObject({ ok: false, error: 'MALFORMED' });
    });

    it('is TOO_LARGE when not even the fixed part fits', () => {
      expect(planNack({ ...feedback, ranges }, 25)).toMatchObject({ ok: false, error: 'TOO_LARGE' });
    });

    it('refuses a range past highestSeen, an impossible count and a bad varint', () => {
      const good = written(planNack({ ...feedback, ranges: [{ start: 10, length: 1 }] }, 1000));
      const past = good.slice();
      past[27] = 95; // length - 1 of the only range: ends at 106
      const r1 = reader(past);
      decodeNack(r1);
      expect(r1.error).toMatch(/beyond highestSeen/);

      const count = good.slice();
      count[25] = 200;
      const r2 = reader(count);
      decodeNack(r2);
      expect(r2.error).toBe('range count 200 overruns the body');

      const overlong = Uint8Array.from([...good.subarray(0, 26), 0x80, 0x00, 0x00]);
      const r3 = reader(overlong);
      decodeNack(r3);
      expect(r3.error).toBe('range 0 start: varint not in shortest form');
    });
  });
});
