import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bootHttp, type HttpHarness } from '../testing/http-harness';
import { stats } from '../testing/fake-transport';
import { matchesEtag } from './images.controller';

const ROCKET = join(__dirname, '../../../../fixtures/images/rocket.jpg');
const A = '00000000000000aa';
const B = '00000000000000bb';

describe('ImagesController', () => {
  let h: HttpHarness;
  let bytes: Buffer;
  let sha256: string;

  beforeAll(async () => {
    h = await bootHttp();
    bytes = await readFile(ROCKET);
    sha256 = createHash('sha256').update(bytes).digest('hex');
    const base = { name: 'rocket.jpg', sha256, contentType: 'image/jpeg', width: 10, height: 20, sender: '10.0.0.2:4000', stats: stats() };
    await h.store.put({ ...base, id: A, bytes: bytes.length, receivedAt: '2026-01-01T00:00:00.000Z' }, bytes);
    await h.store.put({ ...base, id: B, bytes: bytes.length, receivedAt: '2026-01-02T00:00:00.000Z' }, bytes);
  });

  afterAll(async () => {
    await h.close();
  });

  describe('list', () => {
    it('lists images newest first with their metadata and stats', async () => {
      const res = await fetch(`${h.base}/v1/images`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { total: number; offset: number; limit: number; items: Array<Record<string, unknown>> };
      expect(body).toMatchObject({ total: 2, offset: 0, limit: 50 });
      expect(body.items.map((i) => i['id'])).toEqual([B, A]);
      expect(body.items[0]).toMatchObject({ name: 'rocket.jpg', sha256, bytes: bytes.length, contentType: 'image/jpeg', width: 10, height: 20 });
      expect(body.items[0]?.['stats']).toMatchObject({ gapsRepaired: 1 });
    });

    it('pages with limit and offset', async () => {
      const body = (await (await fetch(`${h.base}/v1/images?limit=1&offset=1`)).json()) as { items: Array<{ id: string }> };
      expect(body.items.map((i) => i.id)).toEqual([A]);
    });

    it('answers a bad limit with a 400 problem naming it', async () => {
      const res = await fetch(`${h.base}/v1/images?limit=0`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['limit']);
    });
  });

  describe('get', () => {
    it('streams the original bytes with exact type, length and ETag', async () => {
      const res = await fetch(`${h.base}/v1/images/${A}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(res.headers.get('etag')).toBe(`"${sha256}"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('answers 304 when If-None-Match names the ETag', async () => {
      const res = await fetch(`${h.base}/v1/images/${A}`, { headers: { 'If-None-Match': `"other", "${sha256}"` } });
      expect(res.status).toBe(304);
      expect(await res.text()).toBe('');
    });

    it('answers 404 problem for an unknown id', async () => {
      const res = await fetch(`${h.base}/v1/images/0123456789abcdef`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 404, code: 'UNKNOWN_IMAGE', instance: '/v1/images/0123456789abcdef' });
    });

    it('answers 400 problem for a malformed id', async () => {
      const res = await fetch(`${h.base}/v1/images/NOT-AN-ID`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ status: 400, errors: [{ field: 'id', message: 'id must be 16 lowercase hex digits' }] });
    });
  });

  describe('matchesEtag', () => {
    it('matches exact, weak, listed and * validators only', () => {
      expect(matchesEtag('"x"', '"x"')).toBe(true);
      expect(matchesEtag('W/"x"', '"x"')).toBe(true);
      expect(matchesEtag('"a", "x"', '"x"')).toBe(true);
      expect(matchesEtag('*', '"x"')).toBe(true);
      expect(matchesEtag('"y"', '"x"')).toBe(false);
      expect(matchesEtag(undefined, '"x"')).toBe(false);
    });
  });
});
