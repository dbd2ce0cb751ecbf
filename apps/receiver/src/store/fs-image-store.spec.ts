import { Logger } from '@nestjs/common';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { FsImageStore } from './fs-image-store';
import { ImageConflictError, InvalidImageIdError, type StoredImage } from './image-store';

// The service logs every outcome; the assertions say what matters here.
Logger.overrideLogger(false);

function image(id: string, receivedAt: string, sha256 = 'cd'.repeat(32)): StoredImage {
  return { id, name: `${id}.png`, sha256, bytes: 0, contentType: 'image/png', width: 2, height: 1, receivedAt, sender: '10.0.0.2:1', stats: null };
}

const A = '000000000000000a';
const B = '000000000000000b';

describe('FsImageStore', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udpix-store-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function open(): Promise<FsImageStore> {
    const store = new FsImageStore(dir);
    await store.init();
    return store;
  }

  describe('put', () => {
    it('writes <id>.bin and <id>.json, and nothing else', async () => {
      const store = await open();
      const stored = await store.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('hello'));
      expect(stored.bytes).toBe(5);
      expect((await readdir(dir)).sort()).toEqual([`${A}.bin`, `${A}.json`]);
      expect(await readFile(join(dir, `${A}.bin`), 'utf8')).toBe('hello');
      expect(JSON.parse(await readFile(join(dir, `${A}.json`), 'utf8'))).toMatchObject({ version: 1, id: A, bytes: 5, name: `${A}.png` });
    });

    it('refuses a bad id before touching the disk', async () => {
      const store = await open();
      await expect(store.put(image('../etc/passwd', 'x'), Buffer.from('x'))).rejects.toBeInstanceOf(InvalidImageIdError);
      expect(await readdir(dir)).toEqual([]);
    });

    it('is idempotent for the same bytes and refuses other bytes under the same id', async () => {
      const store = await open();
      await store.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('one'));
      await expect(store.put(image(A, '2026-01-02T00:00:00.000Z'), Buffer.from('one'))).resolves.toMatchObject({ receivedAt: '2026-01-01T00:00:00.000Z' });
      await expect(store.put(image(A, 'x', 'ef'.repeat(32)), Buffer.from('two'))).rejects.toBeInstanceOf(ImageConflictError);
    });

    it('leaves no temp file when the write fails', async () => {
      const store = await open();
      await rm(dir, { recursive: true });
      await expect(store.put(image(A, 'x'), Buffer.from('x'))).rejects.toThrow();
    });
  });

  describe('init', () => {
    it('reloads what was stored before a restart, newest first', async () => {
      const first = await open();
      await first.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('old'));
      await first.put(image(B, '2026-01-02T00:00:00.000Z'), Buffer.from('new'));
      const second = await open();
      expect(second.list(0, 10)).toEqual({ total: 2, items: [expect.objectContaining({ id: B }), expect.objectContaining({ id: A })] });
      const stream = second.openRead(A);
      if (stream === undefined) throw new Error('no stream');
      expect(await text(stream)).toBe('old');
    });

    it('removes temp files and .bin files without metadata left by a crash', async () => {
      const first = await open();
      await first.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('kept'));
      await writeFile(join(dir, `.${B}.bin.1234.tmp`), 'partial');
      await writeFile(join(dir, `${B}.bin`), 'no metadata');
      const second = await open();
      expect((await readdir(dir)).sort()).toEqual([`${A}.bin`, `${A}.json`]);
      expect(second.list(0, 10).total).toBe(1);
    });

    it('skips a record whose bytes are missing or truncated', async () => {
      const first = await open();
      await first.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('complete'));
      await writeFile(join(dir, `${A}.bin`), 'trunc');
      const second = await open();
      expect(second.get(A)).toBeUndefined();
    });
  });

  describe('get', () => {
    it('answers undefined for unknown and malformed ids', async () => {
      const store = await open();
      expect(store.get(A)).toBeUndefined();
      expect(store.get('nope')).toBeUndefined();
      expect(store.openRead('../../x')).toBeUndefined();
    });
  });

  describe('list', () => {
    it('pages with offset and limit', async () => {
      const store = await open();
      await store.put(image(A, '2026-01-01T00:00:00.000Z'), Buffer.from('a'));
      await store.put(image(B, '2026-01-02T00:00:00.000Z'), Buffer.from('b'));
      expect(store.list(1, 1).items.map((i) => i.id)).toEqual([A]);
      expect(store.list(5, 1)).toEqual({ total: 2, items: [] });
    });
  });
});
