/**
 * Reads a request body into one Buffer with a hard byte limit. The limit is
 * checked against Content-Length before a byte is read, and against the
 * running count while reading: the moment it is exceeded the stream is
 * paused and unhooked, so no more than one chunk past the limit is ever
 * held. (The caller answers 413 with `Connection: close`, which stops the
 * client from sending the rest.)
 */
import type { Readable } from 'node:stream';

export class BodyTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    readonly seenBytes: number,
  ) {
    super(`the body exceeds the limit of ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The client went away or the stream broke before the end. */
export class BodyAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BodyAbortedError';
  }
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** The Content-Length header, if any: a larger one is refused without reading. */
  declaredLength?: number;
}

export function readBody(stream: Readable, { maxBytes, declaredLength }: ReadBodyOptions): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > maxBytes) {
    return Promise.reject(new BodyTooLargeError(maxBytes, declaredLength));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > maxBytes) {
        cleanup();
        stream.pause();
        chunks.length = 0;
        reject(new BodyTooLargeError(maxBytes, total));
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = (): void => {
      cleanup();
      // One copy, at the end: Buffer.concat of a single chunk still copies, so hand that one back as is.
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new BodyAbortedError(`the body could not be read: ${err.message}`));
    };
    const onClose = (): void => {
      cleanup();
      reject(new BodyAbortedError('the client closed the connection before the body ended'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
