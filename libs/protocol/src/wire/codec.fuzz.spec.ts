/**
 * Seeded fuzzing of decode (and of encode/decode agreement). Replay a failure
 * with WIRE_FUZZ_SEED=<seed printed in the failure> npx jest ... codec.fuzz.
 */
import { decode, encode } from './codec';
import { datagramChecksum } from './checksum';
import { concatDatagram } from './datagram';
import { HeaderOffset, writeU32 } from './header';
import {
  chunkSizeFor,
  DECODE_ERROR_CODES,
  Flags,
  KNOWN_FLAGS,
  MAGIC,
  MAX_CONTENT_TYPE_BYTES,
  MAX_MAX_DATAGRAM,
  MAX_PREVIEW_BYTES,
  MAX_RESULT_BYTES,
  MessageType,
  MIN_MAX_DATAGRAM,
  Reason,
  VERSION,
  type ChunkRange,
  type DecodeResult,
  type Message,
  type WireOptions,
} from './messages';

const SEED = Number(process.env['WIRE_FUZZ_SEED'] ?? 0x5eed_1e55);
const ITERATIONS = 10_000;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; plenty for fuzzing and trivially seedable. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    // Four bytes per draw: payloads are large and the PRNG call dominates otherwise.
    for (let i = 0; i < n; i += 4) {
      const v = this.int(0x1_0000_0000);
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }
  /** Strings with multi-byte characters, to exercise UTF-8 limits. */
  text(maxChars: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '.', 'é', 'ß', '画', '像', '😀'];
    let s = '';
    for (let i = this.int(maxChars + 1); i > 0; i--) s += this.pick(alphabet);
    return s;
  }
  u32(): number {
    return this.chance(0.2) ? this.pick([0, 1, 0xffffffff]) : this.int(0x1_0000_0000);
  }
}

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i * 17);

function randomOptions(rng: Rng): WireOptions {
  const maxDatagram = rng.pick([MIN_MAX_DATAGRAM, 1200, 1472, 9000, MAX_MAX_DATAGRAM]);
  return rng.chance(0.5) ? { maxDatagram, key: KEY } : { maxDatagram };
}

function randomId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += rng.int(16).toString(16);
  return s === '0000000000000000' ? '0000000000000001' : s;
}

/** A valid message of a random type (it may still be TOO_LARGE for small datagrams). */
function randomMessage(rng: Rng, options: WireOptions): Message {
  const type = 1 + rng.int(11);
  const transferId = randomId(rng);
  const seq = rng.u32();
  const flags = rng.int(KNOWN_FLAGS + 1) & ~Flags.AUTH;
  const common = { transferId, seq, flags };
  const reasonBody = () => ({ reason: rng.pick([Reason.UNSPECIFIED, Reason.TIMEOUT, Reason.APPLICATION]), message: rng.text(120) });
  switch (type) {
    case MessageType.OFFER: {
      const chunkSize = 1 + rng.int(chunkSizeFor(options));
      const totalSize = rng.chance(0.1) ? 0 : rng.int(2 ** 31);
      return {
        ...common,
        type,
        body: {
          totalSize,
          chunkSize,
          chunkCount: Math.ceil(totalSize / chunkSize),
          sha256: rng.bytes(32),
          createdAt: rng.int(2 ** 45),
          contentType: rng.text(MAX_CONTENT_TYPE_BYTES / 4),
          name: rng.text(60),
          metadata: rng.bytes(rng.int(200)),
          preview: rng.bytes(rng.int(MAX_PREVIEW_BYTES / 2)),
        },
      };
    }
    case MessageType.ACCEPT:
      return { ...common, type, body: { window: rng.u32(), maxRate: rng.u32() } };
    case MessageType.REJECT:
    case MessageType.FAILED:
    case MessageType.ABORT:
      return { ...common, type, body: reasonBody() };
    case MessageType.DATA:
      return { ...common, type, body: { payload: rng.bytes(1 + rng.int(Math.min(chunkSizeFor(options), 3000))) } };
    case MessageType.ACK:
    case MessageType.NACK: {
      const highestSeen = rng.int(2 ** 31);
      const received = rng.int(highestSeen + 1);
      const cumulative = rng.int(received + 1);
      const ranges: ChunkRange[] = [];
      let at = cumulative;
      for (let n = rng.int(400); n > 0 && at < highestSeen; n--) {
        const start = at + rng.int(Math.min(1000, highestSeen - at));
        const length = 1 + rng.int(Math.min(300, highestSeen - start));
        if (start + length > highestSeen) break;
        ranges.push({ start, length });
        at = start + length;
      }
      const feedback = { cumulative, highestSeen, received, window: rng.u32(), echoChunk: rng.u32(), echoDelayMicros: rng.u32() };
      return type === MessageType.ACK ? { ...common, type, body: feedback } : { ...common, type, body: { ...feedback, ranges } };
    }
    case MessageType.COMPLETE:
      return { ...common, type, body: { sha256: rng.bytes(32), totalSize: rng.int(2 ** 52), result: rng.bytes(rng.int(MAX_RESULT_BYTES + 1)) } };
    default:
      return { ...common, type: rng.chance(0.5) ? MessageType.PING : MessageType.PONG, body: { token: rng.int(2 ** 52) } };
  }
}

/** Byte arrays as hex, so deep equality is a fast string compare (jest walks typed arrays element by element). */
function hexed(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  if (Array.isArray(value)) return value.map(hexed);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hexed(v)]));
  return value;
}

function withCrc(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 24) writeU32(bytes, HeaderOffset.CHECKSUM, datagramChecksum(bytes));
  return bytes;
}

/** A result is either ok or one of the documented codes; an ok result re-encodes and decodes to itself. */
function checkResult(result: DecodeResult, options: WireOptions): void {
  if (!result.ok) {
    if (!DECODE_ERROR_CODES.includes(result.error)) throw new Error(`undocumented error code ${String(result.error)}`);
    return;
  }
  const again = encode(result.message, options);
  if (!again.ok) throw new Error(`decoded message does not re-encode: ${again.error} ${again.detail}`);
  const redecoded = decode(concatDatagram(again.datagram), options);
  expect(hexed(redecoded)).toEqual(hexed(result));
}

function mutate(rng: Rng, valid: Uint8Array): Uint8Array {
  let bytes = valid.slice();
  switch (rng.int(6)) {
    case 0: // bit flips
      for (let n = 1 + rng.int(3); n > 0; n--) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
      break;
    case 1: // truncation
      bytes = bytes.slice(0, rng.int(bytes.length));
      break;
    case 2: // extension
      bytes = Uint8Array.from([...bytes, ...rng.bytes(1 + rng.int(40))]);
      break;
    case 3: // byte overwrites, body-biased
      for (let n = 1 + rng.int(4); n > 0; n--) bytes[rng.chance(0.3) ? rng.int(24) : rng.int(bytes.length)] = rng.int(256);
      break;
    case 4: // header field overwrite, then consistent payload length so the body parsers run
      bytes[rng.pick([HeaderOffset.TYPE, HeaderOffset.FLAGS, HeaderOffset.RESERVED, HeaderOffset.VERSION])] = rng.int(16);
      break;
    default: {
      // body length change with the header kept in agreement
      const cut = 24 + rng.int(Math.max(1, bytes.length - 24));
      const tag = (bytes[HeaderOffset.FLAGS] & Flags.AUTH) !== 0 ? 16 : 0;
      bytes = Uint8Array.from([...bytes.subarray(0, cut), ...rng.bytes(rng.int(8))]);
      const payload = Math.max(0, bytes.length - 24 - tag);
      bytes[HeaderOffset.PAYLOAD_LENGTH] = payload >>> 8;
      bytes[HeaderOffset.PAYLOAD_LENGTH + 1] = payload & 0xff;
    }
  }
  return rng.chance(0.5) ? withCrc(bytes) : bytes;
}

function run(label: string, body: (rng: Rng, i: number) => void): void {
  const rng = new Rng(SEED);
  for (let i = 0; i < ITERATIONS; i++) {
    try {
      body(rng, i);
    } catch (e) {
      throw new Error(`${label} failed at iteration ${i} (WIRE_FUZZ_SEED=${SEED}): ${(e as Error).message}`);
    }
  }
}

describe('codec (fuzz)', () => {
  describe('decode', () => {
    it(`never throws on ${ITERATIONS} random datagrams`, () => {
      const seen = new Set<string>();
      run('random datagrams', (rng) => {
        const options = randomOptions(rng);
        const bytes = rng.bytes(rng.int(rng.chance(0.8) ? 200 : 1600));
        if (bytes.length >= 24 && rng.chance(0.7)) {
          // A plausible header, so the checks after magic and version get reached too.
          bytes[0] = MAGIC >>> 8;
          bytes[1] = MAGIC & 0xff;
          bytes[2] = rng.chance(0.9) ? VERSION : rng.int(256);
          bytes[3] = rng.int(13);
          bytes[4] = rng.chance(0.8) ? rng.int(KNOWN_FLAGS + 1) : rng.int(256);
          bytes[5] = rng.chance(0.9) ? 0 : 1;
          const tag = (bytes[4] & Flags.AUTH) !== 0 ? 16 : 0;
          const payload = rng.chance(0.8) ? Math.max(0, bytes.length - 24 - tag) : rng.int(65536);
          bytes[6] = payload >>> 8;
          bytes[7] = payload & 0xff;
          withCrc(bytes);
        }
        const result = decode(bytes, options);
        seen.add(result.ok ? 'ok' : result.error);
        checkResult(result, options);
      });
      // The generator must reach past the checksum, or the fuzzing proves little.
      for (const code of ['TRUNCATED', 'BAD_CHECKSUM', 'BAD_VERSION', 'UNKNOWN_TYPE', 'BAD_FLAGS', 'BAD_LENGTH', 'MALFORMED']) expect(seen).toContain(code);
    });

    it(`never throws on ${ITERATIONS} mutations of valid datagrams`, () => {
      const seen = new Set<string>();
      run('mutations', (rng) => {
        const options = randomOptions(rng);
        const encoded = encode(randomMessage(rng, options), options);
        if (!encoded.ok) {
          expect(encoded.error).toBe('TOO_LARGE');
          return;
        }
        const result = decode(mutate(rng, concatDatagram(encoded.datagram)), options);
        seen.add(result.ok ? 'ok' : result.error);
        checkResult(result, options);
      });
      for (const code of ['ok', 'TRUNCATED', 'BAD_CHECKSUM', 'BAD_LENGTH', 'BAD_VERSION', 'UNKNOWN_TYPE', 'BAD_AUTH', 'MALFORMED']) expect(seen).toContain(code);
    });
  });

  describe('encode', () => {
    it(`round-trips ${ITERATIONS} random valid messages`, () => {
      run('round trip', (rng) => {
        const options = randomOptions(rng);
        const message = randomMessage(rng, options);
        const encoded = encode(message, options);
        if (!encoded.ok) {
          expect(encoded.error).toBe('TOO_LARGE');
          return;
        }
        const decoded = decode(concatDatagram(encoded.datagram), options);
        if (!decoded.ok) throw new Error(`${MessageType[message.type]}: ${decoded.error} ${decoded.detail}`);
        let expected: Message = { ...message, flags: (message.flags & ~Flags.AUTH) | (options.key ? Flags.AUTH : 0) | (decoded.message.flags & Flags.TRUNCATED) };
        if (message.type === MessageType.NACK && decoded.message.type === MessageType.NACK) {
          expect(encoded.rangesEncoded).toBe(decoded.message.body.ranges.length);
          expected = { ...message, flags: expected.flags, body: { ...message.body, ranges: message.body.ranges.slice(0, encoded.rangesEncoded) } };
        }
        if ((message.type === MessageType.REJECT || message.type === MessageType.FAILED || message.type === MessageType.ABORT) && decoded.message.type === message.type) {
          // Reason text over 200 bytes is cut on a character boundary.
          expect(message.body.message.startsWith(decoded.message.body.message)).toBe(true);
          expected = { ...message, flags: expected.flags, body: { ...message.body, message: decoded.message.body.message } };
        }
        expect(hexed(decoded.message)).toEqual(hexed(expected));
      });
    });
  });
});
