/**
 * ACK and NACK bodies: 24 bytes of receiver feedback, and for NACK the gap
 * ranges as delta-coded varints. Delta coding (start relative to the
 * previous range's end) makes ranges ascending and non-overlapping by
 * construction, and keeps a typical range at 2-4 bytes so one NACK carries
 * hundreds of gaps.
 */
import { malformed, type BodyPlan, type EncodeFailure } from './body-plan';
import { ByteReader, ByteWriter, isU32 } from './cursor';
import { Flags, type ChunkRange, type FeedbackBody, type NackBody } from './messages';
import { varintLength, writeVarint } from './varint';

/** Bytes of the feedback fields shared by ACK and NACK. */
export const FEEDBACK_LENGTH = 24;
/** Bytes of NACK's range count. */
export const RANGE_COUNT_LENGTH = 2;
/** echoChunk value meaning "no chunk echoed". */
export const NO_ECHO = 0xffff_ffff;

/**
 * Microseconds as u32: floored (callers compute them from fractional ms) and
 * saturated (a hold time over 71 minutes is meaningless for RTT anyway).
 * Undefined for negative or non-finite values.
 */
function delayToU32(v: number): number | undefined {
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0) return undefined;
  return Math.min(Math.floor(v), 0xffff_ffff);
}

/** Why feedback fields are inconsistent, or undefined. Shared by encoder and decoder. */
export function feedbackProblem(f: FeedbackBody): string | undefined {
  for (const k of ['cumulative', 'highestSeen', 'received', 'window', 'echoChunk'] as const) {
    if (!isU32(f[k])) return `${k} must be a u32, got ${f[k]}`;
  }
  // Every chunk below `cumulative` arrived, and every arrived chunk is below `highestSeen`.
  if (f.cumulative > f.received) return `cumulative ${f.cumulative} exceeds received ${f.received}`;
  if (f.received > f.highestSeen) return `received ${f.received} exceeds highestSeen ${f.highestSeen}`;
  return undefined;
}

/** Why `ranges` cannot follow this feedback in a NACK, or undefined. */
export function rangesProblem(ranges: readonly ChunkRange[], cumulative: number, highestSeen: number): string | undefined {
  let prevEnd = cumulative;
  for (let i = 0; i < ranges.length; i++) {
    const { start, length } = ranges[i];
    if (!isU32(start) || !isU32(length) || length < 1) return `range ${i} must have u32 start and length >= 1`;
    if (start < prevEnd) {
      return i === 0 ? `range 0 starts at ${start}, below cumulative ${cumulative}` : `range ${i} is not after range ${i - 1}`;
    }
    prevEnd = start + length;
    if (prevEnd > highestSeen) return `range ${i} ends at ${prevEnd}, beyond highestSeen ${highestSeen}`;
  }
  return undefined;
}

/** Encoded size of one range given the previous range's end. */
function rangeLength(range: ChunkRange, prevEnd: number): number {
  return varintLength(range.start - prevEnd) + varintLength(range.length - 1);
}

/**
 * How many leading ranges fit in `space` bytes, and their encoded size.
 * Ranges are validated already.
 */
export function fitRanges(ranges: readonly ChunkRange[], cumulative: number, space: number): { count: number; bytes: number } {
  let bytes = 0;
  let prevEnd = cumulative;
  let count = 0;
  const limit = Math.min(ranges.length, 0xffff);
  while (count < limit) {
    const size = rangeLength(ranges[count], prevEnd);
    if (bytes + size > space) break;
    bytes += size;
    prevEnd = ranges[count].start + ranges[count].length;
    count++;
  }
  return { count, bytes };
}

function normalizeFeedback(f: FeedbackBody): FeedbackBody | EncodeFailure {
  const echoDelayMicros = delayToU32(f.echoDelayMicros);
  if (echoDelayMicros === undefined) return malformed(`echoDelayMicros must be a non-negative number, got ${f.echoDelayMicros}`);
  const problem = feedbackProblem(f);
  if (problem) return malformed(problem);
  return { ...f, echoDelayMicros };
}

function writeFeedback(w: ByteWriter, f: FeedbackBody): void {
  w.u32(f.cumulative);
  w.u32(f.highestSeen);
  w.u32(f.received);
  w.u32(f.window);
  w.u32(f.echoChunk);
  w.u32(f.echoDelayMicros);
}

/** Plans an ACK body. */
export function planAck(body: FeedbackBody): BodyPlan | EncodeFailure {
  const f = normalizeFeedback(body);
  if ('ok' in f) return f;
  return { ok: true, length: FEEDBACK_LENGTH, flags: 0, write: (w) => writeFeedback(w, f) };
}

/**
 * Plans a NACK body holding as many of `body.ranges` as fit in `room` body
 * bytes. All ranges are validated; when some do not fit, Flags.TRUNCATED is
 * set so the sender knows more gaps exist past the last one listed.
 */
export function planNack(body: NackBody, room: number): BodyPlan | EncodeFailure {
  const f = normalizeFeedback(body);
  if ('ok' in f) return f;
  const problem = rangesProblem(body.ranges, f.cumulative, f.highestSeen);
  if (problem) return malformed(problem);
  const space = room - FEEDBACK_LENGTH - RANGE_COUNT_LENGTH;
  if (space < 0) return { ok: false, error: 'TOO_LARGE', detail: `NACK needs ${FEEDBACK_LENGTH + RANGE_COUNT_LENGTH} body bytes, ${room} available` };
  const ranges = body.ranges;
  const fit = fitRanges(ranges, f.cumulative, space);
  return {
    ok: true,
    length: FEEDBACK_LENGTH + RANGE_COUNT_LENGTH + fit.bytes,
    flags: fit.count < ranges.length ? Flags.TRUNCATED : 0,
    rangesEncoded: fit.count,
    write: (w) => {
      writeFeedback(w, f);
      w.u16(fit.count);
      let prevEnd = f.cumulative;
      for (let i = 0; i < fit.count; i++) {
        const { start, length } = ranges[i];
        w.pos = writeVarint(w.bytes, w.pos, start - prevEnd);
        w.pos = writeVarint(w.bytes, w.pos, length - 1);
        prevEnd = start + length;
      }
    },
  };
}

function readFeedback(r: ByteReader): FeedbackBody {
  return {
    cumulative: r.u32('cumulative'),
    highestSeen: r.u32('highestSeen'),
    received: r.u32('received'),
    window: r.u32('window'),
    echoChunk: r.u32('echoChunk'),
    echoDelayMicros: r.u32('echoDelayMicros'),
  };
}

/** Decodes an ACK body; on failure r.error says why. */
export function decodeAck(r: ByteReader): FeedbackBody {
  const f = readFeedback(r);
  r.finish();
  if (r.error === undefined) {
    const problem = feedbackProblem(f);
    if (problem) r.fail(problem);
  }
  return f;
}

/** Decodes a NACK body; on failure r.error says why. */
export function decodeNack(r: ByteReader): NackBody {
  const f = readFeedback(r);
  const count = r.u16('range count');
  const ranges: ChunkRange[] = [];
  if (r.error === undefined) {
    const problem = feedbackProblem(f);
    if (problem) r.fail(problem);
    // Each range takes at least 2 bytes: refuse an impossible count before looping over it.
    else if (count * 2 > r.remaining) r.fail(`range count ${count} overruns the body`);
  }
  let prevEnd = f.cumulative;
  for (let i = 0; i < count && r.error === undefined; i++) {
    const start = prevEnd + r.varint(`range ${i} start`);
    const length = r.varint(`range ${i} length`) + 1;
    prevEnd = start + length;
    if (prevEnd > f.highestSeen) r.fail(`range ${i} ends at ${prevEnd}, beyond highestSeen ${f.highestSeen}`);
    ranges.push({ start, length });
  }
  r.finish();
  return { ...f, ranges };
}
