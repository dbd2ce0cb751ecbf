import type { Readable } from 'node:stream';
import type { TransferStats } from '../transport/udp-transport';

/** What is kept about a stored image (`<id>.json` in the filesystem store). */
export interface StoredImage {
  id: string;
  name: string;
  /** SHA-256 of the original bytes, lowercase hex. */
  sha256: string;
  bytes: number;
  contentType: string;
  width: number | null;
  height: number | null;
  /** ISO 8601. */
  receivedAt: string;
  /** The sender's address, host:port. */
  sender: string;
  /** The transfer's statistics as of verification (null when stored by other means). */
  stats: TransferStats | null;
}

export interface ImagePage {
  total: number;
  items: StoredImage[];
}

/** Injection token of the ImageStore. */
export const IMAGE_STORE = Symbol('udpix:image-store');

/**
 * Where verified images go. `put` resolves only once the image is durable:
 * the UDP handler awaits it, so the sender's COMPLETE means "stored".
 */
export interface ImageStore {
  /** Prepares the store (create, clean up after a crash, load the index). */
  init(): Promise<void>;
  /** Stores bytes + metadata. Storing the same id with the same bytes again is a no-op; other bytes are an ImageConflictError. */
  put(image: StoredImage, data: Uint8Array): Promise<StoredImage>;
  get(id: string): StoredImage | undefined;
  /** Newest first. */
  list(offset: number, limit: number): ImagePage;
  /** The original bytes as a stream; undefined for an unknown id. */
  openRead(id: string): Readable | undefined;
  /** A problem that makes the store unusable (for /health), or undefined. */
  check(): Promise<string | undefined>;
}

export class ImageConflictError extends Error {
  constructor(readonly id: string) {
    super(`an image with id ${id} already exists with other bytes`);
    this.name = 'ImageConflictError';
  }
}

export class InvalidImageIdError extends Error {
  constructor(readonly id: string) {
    super(`invalid image id ${JSON.stringify(id)}: expected 16 lowercase hex digits`);
    this.name = 'InvalidImageIdError';
  }
}
