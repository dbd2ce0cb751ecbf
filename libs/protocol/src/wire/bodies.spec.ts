import type { BodyPlan, EncodeFailure } from './body-plan';
import {
  COMPLETE_FIXED_LENGTH,
  decodeAccept,
  decodeBody,
  decodeComplete,
  decodeOffer,
  decodePing,
  decodeReason,
  OFFER_FIXED_LENGTH,
  offerBodyLength,
  offerFits,
  offerProblem,
  planAccept,
  planBody,
  planComplete,
  planOffer,
  planPing,
  planReason,
} from './bodies';
import { ByteReader, ByteWriter } from './cursor';
import { MAX_PREVIEW_BYTES, MessageType, Reason, type OfferBody } from './messages';

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

const offer: OfferBody = {
  totalSize: 1_000_000,
  chunkSize: 1448,
  chunkCount: Math.ceil(1_000_000 / 1448),
  sha256: Uint8Array.from({ length: 32 }, (_, i) => i),
  createdAt: 1_700_000_000_000,
  contentType: 'image/png',
  name: 'café.png',
  metadata: Uint8Array.of(1, 2, 3),
  preview: new Uint8Array(100).fill(0xaa),
};

describe('bodies', () => {
  describe('offerProblem', () => {
    const sizes = { ...offer, contentTypeBytes: 9, nameBytes: 9, metadataBytes: 3, previewBytes: 100 };

    it('accepts a consistent offer and an empty object with no chunks', () => {
      expect(offerProblem(sizes)).toBeUndefined();
      expect(offerProblem({ ...sizes, totalSize: 0, chunkCount: 0 })).toBeUndefined();
    });

    it.each<[string, Partial<typeof sizes>, RegExp]>([
      ['chunkCount off by one', { chunkCount: offer.chunkCount + 1 }, /chunkCount must be ceil/],
      ['empty object with a chunk', { totalSize: 0, chunkCount: 1 }, /chunkCount must be ceil/],
      ['zero chunkSize', { chunkSize: 0 }, /chunkSize must be an integer in \[1, 65507\]/],
      ['huge chunkSize', { chunkSize: 65508 }, /chunkSize/],
      ['unsafe totalSize', { totalSize: 2 ** 53 }, /totalSize/],
      ['too many chunks', { totalSize: 2 ** 40, chunkSize: 1, chunkCount: 2 ** 40 }, /exceeds u32/],
      ['short hash', { sha256: new Uint8Array(31) }, /sha256 must be 32 bytes/],
      ['long content type', { contentTypeBytes: 128 }, /contentType is 128/],
      ['long name', { nameBytes: 256 }, /name is 256/],
      ['big preview', { previewBytes: MAX_PREVIEW_BYTES + 1 }, /preview is 1025/],
    ])('refuses %s', (_, change, message) => {
      expect(offerProblem({ ...sizes, ...change })).toMatch(message);
    });
  });

  describe('planOffer / decodeOffer', () => {
    it('round-trips every field', () => {
      const bytes = written(planOffer(offer));
      expect(bytes.length).toBe(offerBodyLength(offer));
      const r = reader(bytes);
      expect(decodeOffer(r)).toEqual(offer);
      expect(r.error).toBeUndefined();
    });

    it('floors a fractional createdAt and refuses a negative one', () => {
      expect(decodeOffer(reader(written(planOffer({ ...offer, createdAt: 5.9 })))).createdAt).toBe(5);
      expect(planOffer({ ...offer, createdAt: -1 })).toMatchObject({ ok: false, error: 'MALFORMED' });
    });

    it('refuses a name over 255 UTF-8 bytes', () => {
      expect(planOffer({ ...offer, name: 'é'.repeat(128) })).toMatchObject({ ok: false, error: 'MALFORMED' });
    });

    it('copies byte fields out of the datagram', () => {
      const bytes = written(planOffer(offer));
      const decoded = decodeOffer(reader(bytes));
      bytes.fill(0);
      expect(decoded.sha256).toEqual(offer.sha256);
      expect(decoded.preview).toEqual(offer.preview);
    });

    it('refuses invalid UTF-8, trailing bytes and a truncated body', () => {
      const bytes = written(planOffer(offer));
      const badName = bytes.slice();
      badName[56 + 1 + 9 + 1] = 0xff; // sizes, hash and time (56), content type (1 + 9), name length (1)
      const r1 = reader(badName);
      decodeOffer(r1);
      expect(r1.error).toBe('name is not valid UTF-8');

      const r2 = reader(Uint8Array.from([...bytes, 0]));
      decodeOffer(r2);
      expect(r2.error).toBe('1 trailing byte(s) after the body');

      const r3 = reader(bytes.subarray(0, bytes.length - 1));
      decodeOffer(r3);
      expect(r3.error).toBe('preview overruns the body');
    });
  });

  describe('offerBodyLength', () => {
    it('sums the fixed part and the UTF-8 lengths', () => {
      expect(offerBodyLength(offer)).toBe(OFFER_FIXED_LENGTH + 9 + 9 + 3 + 100);
    });
  });

  describe('offerFits', () => {
    it('is true when the offer fits one datagram', () => {
      expect(offerFits(offer, { maxDatagram: 1472 })).toBe(true);
    });

    it('is false when it does not, or when it is invalid', () => {
      const big = { ...offer, preview: new Uint8Array(MAX_PREVIEW_BYTES), metadata: new Uint8Array(500) };
      expect(offerFits(big, { maxDatagram: 1472 })).toBe(false);
      expect(offerFits(big, { maxDatagram: 1800 })).toBe(true);
      expect(offerFits({ ...offer, chunkCount: 0 }, { maxDatagram: 65507 })).toBe(false);
    });
  });

  describe('planAccept / decodeAccept', () => {
    it('round-trips and refuses non-u32 fields', () => {
      expect(decodeAccept(reader(written(planAccept({ window: 4096, maxRate: 0xffffffff }))))).toEqual({ window: 4096, maxRate: 0xffffffff });
      expect(planAccept({ window: -1, maxRate: 0 })).toMatchObject({ ok: false, error: 'MALFORMED' });
    });
  });

  describe('planReason / decodeReason', () => {
    it('round-trips', () => {
      const body = { reason: Reason.HASH_MISMATCH, message: 'sha-256 différent' };
      expect(decodeReason(reader(written(planReason(body))))).toEqual(body);
    });

    it('truncates long text on a character boundary', () => {
      const decoded = decodeReason(reader(written(planReason({ reason: Reason.APPLICATION, message: 'é'.repeat(150) }))));
      expect(decoded.message).toBe('é'.repeat(100));
    });

    it('refuses an unknown reason when encoding, reads one as UNSPECIFIED', () => {
      expect(planReason({ reason: 999 as Reason, message: '' })).toMatchObject({ ok: false, error: 'MALFORMED' });
      expect(decodeReason(reader(Uint8Array.of(0x03, 0xe7, 0)))).toEqual({ reason: Reason.UNSPECIFIED, message: '' });
    });

    it('refuses a text length over 200', () => {
      const r = reader(Uint8Array.from([0, 1, 201, ...new Uint8Array(201)]));
      decodeReason(r);
      expect(r.error).toBe('reason text is 201 bytes, limit 200');
    });
  });

  describe('planComplete / decodeComplete', () => {
    const body = { sha256: new Uint8Array(32).fill(3), totalSize: 2 ** 53 - 1, result: Uint8Array.of(9, 9) };

    it('round-trips', () => {
      const bytes = written(planComplete(body));
      expect(bytes.length).toBe(COMPLETE_FIXED_LENGTH + 2);
      expect(decodeComplete(reader(bytes))).toEqual(body);
    });

    it('refuses an oversized result on both sides', () => {
      expect(planComplete({ ...body, result: new Uint8Array(257) })).toMatchObject({ ok: false, error: 'MALFORMED' });
      const bytes = Uint8Array.from([...new Uint8Array(40), 0x01, 0x01, ...new Uint8Array(257)]);
      const r = reader(bytes);
      decodeComplete(r);
      expect(r.error).toBe('result is 257 bytes, limit 256');
    });
  });

  describe('planPing / decodePing', () => {
    it('floors the token', () => {
      expect(decodePing(reader(written(planPing({ token: 1234.75 }))))).toEqual({ token: 1234 });
    });

    it('refuses a negative token', () => {
      expect(planPing({ token: -1 })).toMatchObject({ ok: false, error: 'MALFORMED' });
    });
  });

  describe('planBody / decodeBody', () => {
    it('dispatches on the message type', () => {
      const header = { type: MessageType.ABORT, flags: 0, transferId: '0102030405060708', seq: 3 } as const;
      const bytes = written(planBody({ ...header, body: { reason: Reason.CANCELLED, message: 'bye' } }, 100));
      expect(decodeBody(header, bytes, 0, bytes.length)).toEqual({ ...header, body: { reason: Reason.CANCELLED, message: 'bye' } });
    });

    it('returns the problem as a string', () => {
      const header = { type: MessageType.ACCEPT, flags: 0, transferId: '0102030405060708', seq: 3 } as const;
      expect(decodeBody(header, new Uint8Array(7), 0, 7)).toBe('maxRate overruns the body');
    });
  });
});
