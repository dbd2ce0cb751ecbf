import { Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { access, constants, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDirectory, isTempFile, writeFileAtomic } from './atomic-file';
import { isImageId } from './image-id';
import { ImageConflictError, InvalidImageIdError, type ImagePage, type ImageStore, type StoredImage } from './image-store';

const META_VERSION = 1;

interface MetaFile extends StoredImage {
  version: typeof META_VERSION;
}

function isStoredImage(value: unknown): value is MetaFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['version'] === META_VERSION &&
    typeof v['id'] === 'string' &&
    isImageId(v['id']) &&
    typeof v['sha256'] === 'string' &&
    typeof v['bytes'] === 'number' &&
    typeof v['name'] === 'string' &&
    typeof v['contentType'] === 'string' &&
    typeof v['receivedAt'] === 'string'
  );
}

/** Newest first; ties by id so the order is stable across restarts. */
function newestFirst(a: StoredImage, b: StoredImage): number {
  return b.receivedAt.localeCompare(a.receivedAt) || a.id.localeCompare(b.id);
}

/**
 * The embedded default store: `<dir>/<id>.bin` (the original bytes, never
 * re-encoded) and `<dir>/<id>.json` (StoredImage), each written atomically.
 * The .bin is written first and the .json last, so an image exists once its
 * .json does: a .bin without .json is a crash leftover and is removed at
 * start, as are temp files. The index lives in memory, rebuilt from the
 * .json files at start.
 */
export class FsImageStore implements ImageStore {
  private readonly logger = new Logger(FsImageStore.name);
  readonly dir: string;
  private readonly index = new Map<string, StoredImage>();
  /** Newest first; rebuilt lazily after a put. */
  private ordered: StoredImage[] | undefined = [];
  /** Ids being written, so two transfers with one id cannot interleave their files. */
  private readonly writing = new Set<string>();

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = await readdir(this.dir);
    const metas = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
    let removed = 0;
    for (const name of names) {
      const orphanBin = name.endsWith('.bin') && !metas.has(name.slice(0, -'.bin'.length));
      if (isTempFile(name) || orphanBin) {
        await rm(join(this.dir, name), { force: true });
        removed++;
      }
    }
    if (removed > 0) {
      await fsyncDirectory(this.dir);
      this.logger.warn(`removed ${removed} unfinished file(s) left by an interrupted write in ${this.dir}`);
    }
    for (const id of metas) {
      const image = await this.readMeta(id);
      if (image !== undefined) this.index.set(id, image);
    }
    this.ordered = undefined;
    this.logger.log(`${this.index.size} image(s) in ${this.dir}`);
  }

  async put(image: StoredImage, data: Uint8Array): Promise<StoredImage> {
    if (!isImageId(image.id)) throw new InvalidImageIdError(image.id);
    const existing = this.index.get(image.id);
    if (existing !== undefined) {
      if (existing.sha256 === image.sha256) return existing;
      throw new ImageConflictError(image.id);
    }
    if (this.writing.has(image.id)) throw new ImageConflictError(image.id);
    this.writing.add(image.id);
    try {
      const record: StoredImage = { ...image, bytes: data.length };
      await writeFileAtomic(this.dir, `${image.id}.bin`, data);
      const meta: MetaFile = { version: META_VERSION, ...record };
      await writeFileAtomic(this.dir, `${image.id}.json`, `${JSON.stringify(meta, null, 2)}\n`);
      this.index.set(image.id, record);
      this.ordered = undefined;
      return record;
    } finally {
      this.writing.delete(image.id);
    }
  }

  get(id: string): StoredImage | undefined {
    return isImageId(id) ? this.index.get(id) : undefined;
  }

  list(offset: number, limit: number): ImagePage {
    this.ordered ??= [...this.index.values()].sort(newestFirst);
    return { total: this.ordered.length, items: this.ordered.slice(offset, offset + limit) };
  }

  openRead(id: string): Readable | undefined {
    if (this.get(id) === undefined) return undefined;
    return createReadStream(join(this.dir, `${id}.bin`));
  }

  async check(): Promise<string | undefined> {
    try {
      await access(this.dir, constants.W_OK);
      return undefined;
    } catch (err) {
      return `data directory not writable: ${(err as Error).message}`;
    }
  }

  /** A .json that does not parse or whose .bin is missing/short is skipped (and logged), never fatal. */
  private async readMeta(id: string): Promise<StoredImage | undefined> {
    try {
      const parsed: unknown = JSON.parse(await readFile(join(this.dir, `${id}.json`), 'utf8'));
      if (!isStoredImage(parsed) || parsed.id !== id) throw new Error('not an image record');
      const { size } = await stat(join(this.dir, `${id}.bin`));
      if (size !== parsed.bytes) throw new Error(`${id}.bin has ${size} bytes, the record says ${parsed.bytes}`);
      const image: Partial<MetaFile> = { ...parsed };
      Reflect.deleteProperty(image, 'version');
      return image as StoredImage;
    } catch (err) {
      this.logger.warn(`skipping image ${id}: ${(err as Error).message}`);
      return undefined;
    }
  }
}
