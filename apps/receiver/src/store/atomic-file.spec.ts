import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTempFile, writeFileAtomic } from './atomic-file';

describe('writeFileAtomic', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'udpix-atomic-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the file whole and leaves no temp file', async () => {
    await writeFileAtomic(dir, 'f.json', 'one');
    await writeFileAtomic(dir, 'f.json', 'two');
    expect(await readFile(join(dir, 'f.json'), 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('names temp files so that clean-up recognises them', () => {
    expect(isTempFile('.0123456789abcdef.bin.a1b2c3.tmp')).toBe(true);
    expect(isTempFile('0123456789abcdef.bin')).toBe(false);
  });
});
