import { decode, encode, encodeData } from './codec';
import { datagramChecksum } from './checksum';
import { concatDatagram } from './datagram';
import { HeaderOffset, writeU32 } from './header';
import {
  AUTH_TAG_LENGTH,
  chunkSizeFor,
  DEFAULT_MAX_DATAGRAM,
  Flags,
  HEADER_LENGTH,
  MAX_MAX_DATAGRAM,
  MessageType,
  MIN_MAX_DATAGRAM,
  Reason,
  type ChunkRange,
  type DecodeResult,
  type Message,
  type WireOptions,
} from './messages';
import { transferIdToBytes, ZERO_TRANSFER_ID } from './transfer-id';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
const ID = '8f3a0c1d2e4b5a69';

const OPTION_SETS: [string, WireOptions][] = [];
for (const maxDatagram of [MIN_MAX_DATAGRAM, DEFAULT_MAX_DATAGRAM, MAX_MAX_DATAGRAM]) {
  OPTION_SETS.push([`maxDatagram ${maxDatagram}, no key`, { maxDatagram }]);
  OPTION_SETS.push([`maxDatagram ${maxDatagram}, key`, { maxDatagram, key: KEY }]);
}

/** One message of every type, sized to fit the smallest datagram with a tag. */
function samples(options: WireOptions): Message[] {
  const common = { transferId: ID, flags: 0 };
  const reason = (type: MessageType.REJECT | MessageType.FAILED | MessageType.ABORT, r: Reason, text: string): Message => ({
    ...common,
    type,
    seq: 9,
    body: { reason: r, message: text },
  });
  return [
    {
      ...common,
      type: MessageType.OFFER,
      seq: 0,
      body: {
        totalSize: 123_456,
        chunkSize: chunkSizeFor(options),
        chunkCount: Math.ceil(123_456 / chunkSizeFor(options)),
        sha256: new Uint8Array(32).fill(0x5a),
        createdAt: 1_700_000_000_000,
        contentType: 'image/jpeg',
        name: 'photo – été.jpg',
        metadata: Uint8Array.of(0x7b, 0x7d),
        preview: new Uint8Array(200).fill(0x11),
      },
    },
    { ...common, type: MessageType.ACCEPT, seq: 1, flags: Flags.FROM_RECEIVER, body: { window: 1024, maxRate: 50_000_000 } },
    reason(MessageType.REJECT, Reason.TOO_LARGE, 'object over 64 MiB'),
    {
      ...common,
      type: MessageType.DATA,
      seq: 41,
      flags: Flags.RETRANSMIT | Flags.PROBE,
      body: { payload: Uint8Array.from({ length: chunkSizeFor(options) }, (_, i) => i * 31) },
    },
    {
      ...common,
      type: MessageType.NACK,
      seq: 7,
      flags: Flags.FROM_RECEIVER,
      body: {
        cumulative: 3,
        highestSeen: 5000,
        received: 4000,
        window: 2048,
        echoChunk: 4999,
        echoDelayMicros: 250,
        ranges: [{ start: 3, length: 2 }, { start: 100, length: 1 }, { start: 4000, length: 500 }],
      },
    },
    {
      ...common,
      type: MessageType.ACK,
      seq: 8,
      flags: Flags.FROM_RECEIVER,
      body: { cumulative: 85, highestSeen: 85, received: 85, window: 2048, echoChunk: 0xffffffff, echoDelayMicros: 0 },
    },
    {
      ...common,
      type: MessageType.COMPLETE,
      seq: 10,
      flags: Flags.FROM_RECEIVER,
      body: { sha256: new Uint8Array(32).fill(0x5a), totalSize: 123_456, result: new TextEncoder().encode('img_01HZX') },
    },
    reason(MessageType.FAILED, Reason.HASH_MISMATCH, 'sha-256 mismatch'),
    reason(MessageType.ABORT, Reason.CANCELLED, ''),
    { type: MessageType.PING, transferId: ZERO_TRANSFER_ID, flags: 0, seq: 0, body: { token: 1_700_000_000_000 } },
    { type: MessageType.PONG, transferId: ID, flags: Flags.FROM_RECEIVER, seq: 2, body: { token: 2 ** 53 - 1 } },
  ];
}

function bytesOf(message: Message, options: WireOptions): Uint8Array {
  const r = encode(message, options);
  if (!r.ok) throw new Error(`${MessageType[message.type]}: ${r.error} ${r.detail}`);
  return concatDatagram(r.datagram);
}

/** Stores a correct CRC, so a test reaches the checks after the checksum. */
function withCrc(bytes: Uint8Array): Uint8Array {
  writeU32(bytes, HeaderOffset.CHECKSUM, datagramChecksum(bytes));
  return bytes;
}

function errorOf(result: DecodeResult): string {
  return result.ok ? 'ok' : result.error;
}

function expectedAfterDecode(message: Message, options: WireOptions): Message {
  return { ...message, flags: options.key ? message.flags | Flags.AUTH : message.flags };
}

const plain: WireOptions = { maxDatagram: DEFAULT_MAX_DATAGRAM };
const keyed: WireOptions = { maxDatagram: DEFAULT_MAX_DATAGRAM, key: KEY };

describe('codec', () => {
  describe('encode', () => {
    it.each(OPTION_SETS)('round-trips every message type (%s)', (_, options) => {
      const messages = samples(options);
      expect(new Set(messages.map((m) => m.type)).size).toBe(11);
      for (const message of messages) {
        const r = encode(message, options);
        if (!r.ok) throw new Error(`${MessageType[message.type]}: ${r.detail}`);
        expect(r.length).toBe(concatDatagram(r.datagram).length);
        expect(r.length).toBeLessThanOrEqual(options.maxDatagram);
        const decoded = decode(concatDatagram(r.datagram), options);
        expect(decoded).toEqual({ ok: true, message: expectedAfterDecode(message, options) });
      }
    });

    it('lays out the header as PROTOCOL.md says', () => {
      const bytes = bytesOf({ type: MessageType.ACCEPT, flags: Flags.FROM_RECEIVER, transferId: ID, seq: 0x01020304, body: { window: 1, maxRate: 2 } }, plain);
      expect([...bytes.subarray(0, 20)]).toEqual([0x55, 0x58, 1, 2, 0x02, 0, 0, 8, ...transferIdToBytes(ID), 1, 2, 3, 4]);
      expect(bytes.length).toBe(HEADER_LENGTH + 8);
    });

    describe('PROTOCOL.md test vectors', () => {
      const id = '0102030405060708';
      const vectorKey = Uint8Array.from({ length: 32 }, (_, i) => i);
      it.each<[string, Message, WireOptions, string]>([
        [
          'PING',
          { type: MessageType.PING, flags: 0, transferId: id, seq: 1, body: { token: 1_700_000_000_000 } },
          plain,
          '5558010a0000000801020304050607080000000115026cbb0000018bcfe56800',
        ],
        [
          'ACCEPT, authenticated',
          { type: MessageType.ACCEPT, flags: Flags.FROM_RECEIVER, transferId: id, seq: 0, body: { window: 1024, maxRate: 0 } },
          { maxDatagram: DEFAULT_MAX_DATAGRAM, key: vectorKey },
          '5558010203000008010203040506070800000000502bffd200000400000000007e4644b97a81962897939e9c264edded',
        ],
        [
          'NACK',
          {
            type: MessageType.NACK,
            flags: Flags.FROM_RECEIVER,
            transferId: id,
            seq: 3,
            body: {
              cumulative: 10,
              highestSeen: 400,
              received: 300,
              window: 1024,
              echoChunk: 399,
              echoDelayMicros: 1500,
              ranges: [{ start: 10, length: 5 }, { start: 200, length: 1 }],
            },
          },
          plain,
          '555801050200001f010203040506070800000003c9f9399d0000000a000001900000012c000004000000018f000005dc00020004b90100',
        ],
      ])('%s', (_, message, options, hex) => {
        const bytes = bytesOf(message, options);
        expect(Buffer.from(bytes).toString('hex')).toBe(hex);
        expect(decode(bytes, options)).toEqual({ ok: true, message: expectedAfterDecode(message, options) });
      });
    });

    it('sets AUTH and appends a tag only with a key, whatever the caller asked', () => {
      const m: Message = { type: MessageType.PING, flags: Flags.AUTH, transferId: ID, seq: 0, body: { token: 1 } };
      const a = bytesOf(m, plain);
      expect(a[HeaderOffset.FLAGS]).toBe(0);
      expect(a.length).toBe(HEADER_LENGTH + 8);
      const b = bytesOf({ ...m, flags: 0 }, keyed);
      expect(b[HeaderOffset.FLAGS]).toBe(Flags.AUTH);
      expect(b.length).toBe(HEADER_LENGTH + 8 + AUTH_TAG_LENGTH);
    });

    it('refuses invalid header fields with MALFORMED', () => {
      const m: Message = { type: MessageType.PING, flags: 0, transferId: ID, seq: 0, body: { token: 1 } };
      expect(encode({ ...m, transferId: 'ABCDEF0123456789' }, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encode({ ...m, flags: 0x20 }, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encode({ ...m, seq: 2 ** 32 }, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encode({ ...m, type: 12 } as unknown as Message, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
    });

    it('allows the zero transfer id for PING/PONG only', () => {
      const ack: Message = {
        type: MessageType.ACK,
        flags: 0,
        transferId: ZERO_TRANSFER_ID,
        seq: 0,
        body: { cumulative: 0, highestSeen: 0, received: 0, window: 0, echoChunk: 0, echoDelayMicros: 0 },
      };
      expect(encode(ack, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encode({ type: MessageType.PONG, flags: 0, transferId: ZERO_TRANSFER_ID, seq: 0, body: { token: 0 } }, plain).ok).toBe(true);
    });

    it('returns TOO_LARGE for an OFFER that does not fit', () => {
      const offer = samples(plain)[0];
      if (offer.type !== MessageType.OFFER) throw new Error('sample order');
      const big: Message = { ...offer, body: { ...offer.body, metadata: new Uint8Array(1300) } };
      expect(encode(big, plain)).toMatchObject({ ok: false, error: 'TOO_LARGE' });
      expect(encode(big, { maxDatagram: 2000 }).ok).toBe(true);
    });

    describe('NACK', () => {
      // 20,000 gaps of varied lengths, 1000 chunks apart: more than even a 64 KiB datagram holds.
      const ranges: ChunkRange[] = Array.from({ length: 20_000 }, (_, i) => ({ start: 1000 + 1000 * i, length: 1 + (i % 700) }));
      const nack: Message = {
        type: MessageType.NACK,
        flags: Flags.FROM_RECEIVER,
        transferId: ID,
        seq: 12,
        body: { cumulative: 1000, highestSeen: 30_000_000, received: 20_000_000, window: 4096, echoChunk: 5, echoDelayMicros: 10, ranges },
      };

      it.each(OPTION_SETS)('carries as many ranges as fit and sets TRUNCATED (%s)', (_, options) => {
        const r = encode(nack, options);
        if (!r.ok) throw new Error(r.detail);
        const n = r.rangesEncoded ?? -1;
        expect(n).toBeGreaterThan(50);
        expect(n).toBeLessThan(ranges.length);
        expect(r.length).toBeLessThanOrEqual(options.maxDatagram);
        // The next range would not have fit: at most 5 bytes (2 varints) are left unused.
        expect(options.maxDatagram - r.length).toBeLessThan(10);
        const decoded = decode(concatDatagram(r.datagram), options);
        if (!decoded.ok || decoded.message.type !== MessageType.NACK) throw new Error(errorOf(decoded));
        expect(decoded.message.flags & Flags.TRUNCATED).toBe(Flags.TRUNCATED);
        expect(decoded.message.body.ranges).toEqual(ranges.slice(0, n));
      });

      it('leaves TRUNCATED clear when everything fits, and keeps a caller-set TRUNCATED', () => {
        const small: Message = { ...nack, body: { ...nack.body, ranges: ranges.slice(0, 10) } };
        const a = encode(small, plain);
        expect(a).toMatchObject({ ok: true, rangesEncoded: 10 });
        if (!a.ok) return;
        expect(concatDatagram(a.datagram)[HeaderOffset.FLAGS] & Flags.TRUNCATED).toBe(0);
        const b = encode({ ...small, flags: small.flags | Flags.TRUNCATED }, plain);
        if (!b.ok) throw new Error(b.detail);
        expect(concatDatagram(b.datagram)[HeaderOffset.FLAGS] & Flags.TRUNCATED).toBe(Flags.TRUNCATED);
      });

      it('reports rangesEncoded only for NACK', () => {
        const r = encode(samples(plain)[1], plain);
        expect(r.ok && r.rangesEncoded).toBeUndefined();
      });
    });
  });

  describe('encodeData', () => {
    const payload = Uint8Array.from({ length: 1000 }, (_, i) => i);

    it('does not copy the payload', () => {
      const r = encodeData(ID, 5, 0, payload, plain);
      if (!r.ok) throw new Error(r.detail);
      expect(r.datagram).toHaveLength(2);
      expect(r.datagram[1]).toBe(payload);
      const k = encodeData(ID, 5, 0, payload, keyed);
      if (!k.ok) throw new Error(k.detail);
      expect(k.datagram).toHaveLength(3);
      expect(k.datagram[1]).toBe(payload);
      expect(k.length).toBe(HEADER_LENGTH + 1000 + AUTH_TAG_LENGTH);
    });

    it('gives the same bytes as encode, for a hex id or its bytes', () => {
      const viaEncode = bytesOf({ type: MessageType.DATA, flags: Flags.RETRANSMIT, transferId: ID, seq: 7, body: { payload } }, keyed);
      for (const id of [ID, transferIdToBytes(ID)]) {
        const r = encodeData(id, 7, Flags.RETRANSMIT, payload, keyed);
        if (!r.ok) throw new Error(r.detail);
        expect(concatDatagram(r.datagram)).toEqual(viaEncode);
      }
    });

    it('refuses an empty payload, a zero or malformed id, a bad index and unknown flags', () => {
      expect(encodeData(ID, 0, 0, new Uint8Array(0), plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encodeData(ZERO_TRANSFER_ID, 0, 0, payload, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encodeData(new Uint8Array(7), 0, 0, payload, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encodeData(ID, -1, 0, payload, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(encodeData(ID, 0, 0x80, payload, plain)).toMatchObject({ ok: false, error: 'MALFORMED' });
    });

    it('returns TOO_LARGE for a payload over the chunk size', () => {
      expect(encodeData(ID, 0, 0, new Uint8Array(chunkSizeFor(keyed)), keyed).ok).toBe(true);
      expect(encodeData(ID, 0, 0, new Uint8Array(chunkSizeFor(keyed) + 1), keyed)).toMatchObject({ ok: false, error: 'TOO_LARGE' });
    });
  });

  describe('decode', () => {
    const valid = (options: WireOptions = plain): Uint8Array =>
      bytesOf({ type: MessageType.DATA, flags: 0, transferId: ID, seq: 3, body: { payload: Uint8Array.of(1, 2, 3, 4) } }, options);

    it('returns DATA payload as a view of the datagram', () => {
      const bytes = valid();
      const r = decode(bytes, plain);
      if (!r.ok || r.message.type !== MessageType.DATA) throw new Error(errorOf(r));
      expect(r.message.body.payload.buffer).toBe(bytes.buffer);
      expect([...r.message.body.payload]).toEqual([1, 2, 3, 4]);
    });

    it.each(OPTION_SETS)('gives BAD_CHECKSUM for every single-bit flip (%s)', (_, options) => {
      for (const message of samples(options).filter((m) => m.type !== MessageType.DATA || options.maxDatagram < 2000)) {
        const bytes = bytesOf(message, options);
        for (let bit = 0; bit < bytes.length * 8; bit++) {
          bytes[bit >> 3] ^= 1 << (bit & 7);
          const r = decode(bytes, options);
          bytes[bit >> 3] ^= 1 << (bit & 7);
          if (errorOf(r) !== 'BAD_CHECKSUM') throw new Error(`${MessageType[message.type]} bit ${bit}: ${errorOf(r)}`);
        }
      }
    });

    it.each(OPTION_SETS)('gives an error for every truncation (%s)', (_, options) => {
      for (const message of samples(options)) {
        const bytes = bytesOf(message, options);
        // Every length for small datagrams; a stride through a 64 KiB DATA keeps the test quadratic-free.
        const step = bytes.length > 2000 ? 97 : 1;
        for (let n = 0; n < bytes.length; n += n < 64 || n > bytes.length - 64 ? 1 : step) {
          const cut = bytes.slice(0, n);
          const r = decode(cut, options);
          if (r.ok) throw new Error(`${MessageType[message.type]} cut to ${n} decoded`);
          if (n < HEADER_LENGTH) expect(r.error).toBe('TRUNCATED');
          // With the CRC made right again, the payload length field is what catches it.
          else expect(errorOf(decode(withCrc(cut), options))).toBe('TRUNCATED');
        }
      }
    });

    it('gives BAD_LENGTH past maxDatagram or past the announced length', () => {
      expect(errorOf(decode(new Uint8Array(DEFAULT_MAX_DATAGRAM + 1), plain))).toBe('BAD_LENGTH');
      const longer = Uint8Array.from([...valid(), 0]);
      expect(errorOf(decode(longer, plain))).toBe('BAD_CHECKSUM');
      expect(errorOf(decode(withCrc(longer), plain))).toBe('BAD_LENGTH');
    });

    it.each<[string, number, number, string]>([
      ['magic', HeaderOffset.MAGIC, 0x55, 'BAD_MAGIC'],
      ['version', HeaderOffset.VERSION, 2, 'BAD_VERSION'],
      ['type 0', HeaderOffset.TYPE, 0, 'UNKNOWN_TYPE'],
      ['type 12', HeaderOffset.TYPE, 12, 'UNKNOWN_TYPE'],
      ['flags', HeaderOffset.FLAGS, 0x20, 'BAD_FLAGS'],
      ['reserved', HeaderOffset.RESERVED, 1, 'MALFORMED'],
    ])('checks %s', (_, offset, value, error) => {
      const bytes = valid();
      bytes[offset] = offset === HeaderOffset.MAGIC ? 0x00 : value;
      expect(errorOf(decode(withCrc(bytes), plain))).toBe(error);
    });

    it('checks in the documented order', () => {
      const bytes = valid();
      bytes[HeaderOffset.MAGIC] = 0;
      bytes[HeaderOffset.VERSION] = 9;
      bytes[HeaderOffset.FLAGS] = 0xff;
      expect(errorOf(decode(bytes, plain))).toBe('BAD_CHECKSUM');
      expect(errorOf(decode(withCrc(bytes), plain))).toBe('BAD_MAGIC');
      bytes[HeaderOffset.MAGIC] = 0x55;
      expect(errorOf(decode(withCrc(bytes), plain))).toBe('BAD_VERSION');
      bytes[HeaderOffset.VERSION] = 1;
      expect(errorOf(decode(withCrc(bytes), plain))).toBe('BAD_FLAGS');
      // A bad tag is reported before a malformed body.
      const tagged = valid(keyed);
      tagged[HeaderOffset.RESERVED] = 1;
      expect(errorOf(decode(withCrc(tagged), keyed))).toBe('BAD_AUTH');
    });

    describe('authenticated mode', () => {
      it('gives MISSING_AUTH for an untagged datagram when a key is configured', () => {
        expect(errorOf(decode(valid(plain), keyed))).toBe('MISSING_AUTH');
      });

      it('gives UNEXPECTED_AUTH for a tagged datagram when no key is configured', () => {
        expect(errorOf(decode(valid(keyed), plain))).toBe('UNEXPECTED_AUTH');
      });

      it('gives BAD_AUTH for a forged tag, even with a correct CRC', () => {
        const bytes = valid(keyed);
        for (let i = bytes.length - AUTH_TAG_LENGTH; i < bytes.length; i++) {
          const forged = bytes.slice();
          forged[i] ^= 0x01;
          expect(errorOf(decode(withCrc(forged), keyed))).toBe('BAD_AUTH');
        }
      });

      it('gives BAD_AUTH for a changed header or body with a correct CRC', () => {
        const seq = valid(keyed);
        seq[HeaderOffset.SEQ + 3] ^= 1;
        expect(errorOf(decode(withCrc(seq), keyed))).toBe('BAD_AUTH');
        const body = valid(keyed);
        body[HEADER_LENGTH] ^= 1;
        expect(errorOf(decode(withCrc(body), keyed))).toBe('BAD_AUTH');
      });

      it('gives BAD_AUTH for a datagram made with another key', () => {
        expect(errorOf(decode(valid({ ...keyed, key: new Uint8Array(16) }), keyed))).toBe('BAD_AUTH');
      });
    });

    it('gives MALFORMED for an empty DATA payload and a zero id outside PING/PONG', () => {
      const empty = valid().slice(0, HEADER_LENGTH);
      empty[HeaderOffset.PAYLOAD_LENGTH + 1] = 0;
      expect(decode(withCrc(empty), plain)).toMatchObject({ ok: false, error: 'MALFORMED', detail: 'DATA payload is empty' });
      const zero = valid();
      zero.fill(0, HeaderOffset.TRANSFER_ID, HeaderOffset.TRANSFER_ID + 8);
      expect(errorOf(decode(withCrc(zero), plain))).toBe('MALFORMED');
    });

    it('names the message type in a body error', () => {
      const bytes = bytesOf({ type: MessageType.ACCEPT, flags: 0, transferId: ID, seq: 0, body: { window: 1, maxRate: 2 } }, plain);
      const extended = Uint8Array.from([...bytes, 0]);
      extended[HeaderOffset.PAYLOAD_LENGTH + 1] = 9;
      expect(decode(withCrc(extended), plain)).toEqual({ ok: false, error: 'MALFORMED', detail: 'ACCEPT: 1 trailing byte(s) after the body' });
    });
  });
});
