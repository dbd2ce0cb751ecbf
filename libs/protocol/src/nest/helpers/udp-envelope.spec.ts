import { DEFAULT_MAX_DATAGRAM, MAX_RESULT_BYTES, MIN_MAX_DATAGRAM, type WireOptions } from '../../wire';
import {
  EnvelopeError,
  INLINE_PREFIX_BYTES,
  decodeFromOffer,
  decodeInline,
  encodeForOffer,
  encodeInline,
  offerFieldsFor,
  peekEnvelope,
  splitPayload,
  type EnvelopeMessage,
} from './udp-envelope';

const wire: WireOptions = { maxDatagram: DEFAULT_MAX_DATAGRAM };
const json = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

function roundTrip(message: EnvelopeMessage, options: WireOptions = wire): EnvelopeMessage {
  const e = encodeForOffer(message, options);
  return decodeFromOffer(e.metadata, e.body);
}

describe('udp-envelope', () => {
  describe('splitPayload', () => {
    it('takes a top-level Buffer as the binary part, without copying', () => {
      const data = Buffer.from('hello');
      const s = splitPayload(data);
      expect(s.layout).toBe(true);
      expect(s.parts[0]).toBe(data);
      expect(s.hasJson).toBe(false);
    });

    it('takes top-level Uint8Array fields of a plain object, in key order', () => {
      const a = new Uint8Array([1, 2]);
      const b = Buffer.from([3]);
      const s = splitPayload({ a, name: 'x', b });
      expect(s.layout).toEqual([
        { field: 'a', length: 2 },
        { field: 'b', length: 1 },
      ]);
      expect(s.parts[0]).toBe(a);
      expect(s.parts[1]).toBe(b);
      expect(s.json).toEqual({ name: 'x' });
    });

    it('keeps non-binary data as JSON', () => {
      expect(splitPayload({ n: 1 })).toMatchObject({ json: { n: 1 }, hasJson: true, layout: undefined, parts: [] });
      expect(splitPayload('text')).toMatchObject({ json: 'text', hasJson: true });
      expect(splitPayload(undefined)).toMatchObject({ hasJson: false });
    });
  });

  describe('encodeForOffer', () => {
    it('puts a small header in metadata and the caller’s buffer itself as the body', () => {
      const data = Buffer.alloc(5000, 7);
      const e = encodeForOffer({ kind: 'req', pattern: 'sha256', id: 'r1', data }, wire);
      expect(e.body).toBe(data);
      expect(e.headerInBody).toBe(false);
      expect(json(e.metadata)).toEqual({ v: 1, k: 'req', p: 'sha256', id: 'r1', b: true });
    });

    it('never turns binary into JSON, hex or base64', () => {
      const image = Buffer.alloc(2000, 0xab);
      const e = encodeForOffer({ kind: 'evt', pattern: 'image', data: { image, name: 'cat.jpg' } }, wire);
      const text = Buffer.from(e.metadata).toString('utf8');
      expect(text).not.toMatch(/ab{4}|q6ur|"data":\[/i);
      expect(e.metadata.length).toBeLessThan(120);
      expect(e.body).toBe(image);
    });

    it('concatenates several binary fields once, in body order', () => {
      const e = encodeForOffer({ kind: 'evt', pattern: 'p', data: { a: Buffer.from([1, 2]), b: Buffer.from([3]) } }, wire);
      expect([...e.body]).toEqual([1, 2, 3]);
      expect(json(e.metadata)).toEqual({
        v: 1,
        k: 'evt',
        p: 'p',
        b: [
          { field: 'a', length: 2 },
          { field: 'b', length: 1 },
        ],
      });
    });

    it('takes the OFFER name, content type and preview from the data, else from the defaults', () => {
      const preview = Buffer.alloc(100, 1);
      const e = encodeForOffer({ kind: 'evt', pattern: 'p', data: { image: Buffer.alloc(10), name: 'a.png', contentType: 'image/png', preview } }, wire);
      expect(e).toMatchObject({ name: 'a.png', contentType: 'image/png' });
      expect(e.preview).toBe(preview);
      const d = encodeForOffer({ kind: 'req', pattern: 'p', id: '1', data: Buffer.alloc(1) }, wire, { name: 'n', contentType: 'image/jpeg' });
      expect(d).toMatchObject({ name: 'n', contentType: 'image/jpeg' });
      expect(offerFieldsFor(7)).toEqual({ name: '', contentType: 'application/octet-stream', preview: new Uint8Array(0) });
    });

    it('falls back to a length-prefixed header in the body when the header does not fit the OFFER', () => {
      const big = 'x'.repeat(5000);
      const image = Buffer.from([9, 8, 7]);
      const e = encodeForOffer({ kind: 'req', pattern: 'p', id: 'r9', data: { image, note: big } }, wire);
      expect(e.headerInBody).toBe(true);
      expect(json(e.metadata)).toEqual({ v: 1, k: 'req', id: 'r9', h: 1 });
      const headerLength = Buffer.from(e.body).readUInt32BE(0);
      expect(e.body.length).toBe(INLINE_PREFIX_BYTES + headerLength + 3);
      expect([...e.body.subarray(e.body.length - 3)]).toEqual([9, 8, 7]);
      const back = decodeFromOffer(e.metadata, e.body);
      expect(back.data).toEqual({ image, note: big });
      expect(peekEnvelope(e.metadata)).toEqual({ kind: 'req', id: 'r9', headerInBody: true });
    });

    it('drops the preview before it gives up on a tiny datagram', () => {
      const preview = Buffer.alloc(1000);
      const e = encodeForOffer({ kind: 'evt', pattern: 'p'.repeat(400), data: { image: Buffer.alloc(10), preview } }, { maxDatagram: MIN_MAX_DATAGRAM });
      expect(e.headerInBody).toBe(true);
      expect(e.preview.length).toBe(0);
    });

    it('refuses binary below the top level', () => {
      expect(() => encodeForOffer({ kind: 'evt', pattern: 'p', data: { nested: { image: Buffer.alloc(3) } } }, wire)).toThrow(
        /nested field "image"/,
      );
      expect(() => encodeForOffer({ kind: 'evt', pattern: 'p', data: [Buffer.alloc(1)] }, wire)).toThrow(EnvelopeError);
    });

    it('refuses data JSON cannot represent', () => {
      const circular: Record<string, unknown> = {};
      circular['self'] = circular;
      expect(() => encodeForOffer({ kind: 'evt', pattern: 'p', data: circular }, wire)).toThrow(/cannot be serialized/);
    });
  });

  describe('decodeFromOffer', () => {
    it('round-trips a Buffer as a Buffer view of the body (no copy)', () => {
      const data = Buffer.from('bytes');
      const e = encodeForOffer({ kind: 'req', pattern: 'p', id: '1', data }, wire);
      const body = new Uint8Array(e.body);
      const back = decodeFromOffer(e.metadata, body);
      expect(Buffer.isBuffer(back.data)).toBe(true);
      expect((back.data as Buffer).buffer).toBe(body.buffer);
      expect(back).toMatchObject({ kind: 'req', pattern: 'p', id: '1' });
    });

    it('round-trips objects with binary fields, JSON values and undefined', () => {
      const image = Buffer.from([1, 2, 3]);
      expect(roundTrip({ kind: 'evt', pattern: 'e', data: { image, name: 'n', w: 2 } }).data).toEqual({ image, name: 'n', w: 2 });
      expect(roundTrip({ kind: 'evt', pattern: 'e', data: { image } }).data).toEqual({ image });
      expect(roundTrip({ kind: 'evt', pattern: 'e', data: [1, 'two'] }).data).toEqual([1, 'two']);
      expect(roundTrip({ kind: 'evt', pattern: 'e' }).data).toBeUndefined();
      expect(roundTrip({ kind: 'res', id: 'x', data: 5, isDisposed: true })).toEqual({ kind: 'res', id: 'x', data: 5, isDisposed: true });
      expect(roundTrip({ kind: 'evt', pattern: 'e', data: new Uint8Array(0) }).data).toEqual(Buffer.alloc(0));
    });

    it('rejects malformed input with an EnvelopeError', () => {
      const meta = (o: unknown): Uint8Array => Buffer.from(JSON.stringify(o));
      const empty = new Uint8Array(0);
      expect(() => decodeFromOffer(Buffer.from('{not json'), empty)).toThrow(/not valid JSON/);
      expect(() => decodeFromOffer(Buffer.from([0xff, 0xfe]), empty)).toThrow(/UTF-8/);
      expect(() => decodeFromOffer(meta({ v: 2, k: 'req' }), empty)).toThrow(/version/);
      expect(() => decodeFromOffer(meta({ v: 1, k: 'nope' }), empty)).toThrow(/kind/);
      expect(() => decodeFromOffer(meta({ v: 1, k: 'evt', p: 'p' }), Buffer.from([1]))).toThrow(/no binary part/);
      expect(() => decodeFromOffer(meta({ v: 1, k: 'evt', p: 'p', b: [{ field: 'a', length: 2 }] }), Buffer.from([1]))).toThrow(/2 bytes/);
      expect(() => decodeFromOffer(meta({ v: 1, k: 'evt', p: 'p', b: [{ field: '__proto__', length: 1 }] }), Buffer.from([1]))).toThrow(
        /field name/,
      );
      expect(() => decodeFromOffer(meta({ v: 1, k: 'evt', p: 'p', b: 'yes' }), empty)).toThrow(EnvelopeError);
      expect(() => decodeFromOffer(meta({ v: 1, k: 'req', id: 'a', h: 1 }), Buffer.from([0, 0, 0, 50, 1]))).toThrow(/exceeds/);
    });

    it('rejects an inline header that contradicts its stub', () => {
      const inline = encodeInline({ kind: 'req', pattern: 'p', id: 'other' });
      expect(() => decodeFromOffer(Buffer.from('{"v":1,"k":"req","id":"mine","h":1}'), inline)).toThrow(/does not match/);
    });
  });

  describe('encodeInline / decodeInline', () => {
    it('fits a typical response in a COMPLETE result', () => {
      const r = encodeInline({ kind: 'res', data: { sha256: 'f'.repeat(64), bytes: 5242880 }, isDisposed: true });
      expect(r.length).toBeLessThanOrEqual(MAX_RESULT_BYTES);
      expect(decodeInline(r)).toEqual({ kind: 'res', data: { sha256: 'f'.repeat(64), bytes: 5242880 }, isDisposed: true });
    });

    it('carries a small Buffer response as bytes', () => {
      const digest = Buffer.alloc(32, 0x5a);
      const r = encodeInline({ kind: 'res', data: digest, isDisposed: true });
      expect(r.length).toBe(4 + Buffer.byteLength('{"v":1,"k":"res","b":true,"d":true}') + 32);
      expect(decodeInline(r).data).toEqual(digest);
    });

    it('rejects a truncated prefix', () => {
      expect(() => decodeInline(new Uint8Array(3))).toThrow(/shorter than its prefix/);
    });
  });

  describe('peekEnvelope', () => {
    it('reads kind, pattern and id from metadata', () => {
      const e = encodeForOffer({ kind: 'req', pattern: '{"cmd":"x"}', id: 'r', data: 1 }, wire);
      expect(peekEnvelope(e.metadata)).toEqual({ kind: 'req', pattern: '{"cmd":"x"}', id: 'r', headerInBody: false });
    });
  });
});
