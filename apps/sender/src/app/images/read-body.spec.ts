import { PassThrough, Readable } from 'node:stream';
import { BodyAbortedError, BodyTooLargeError, readBody } from './read-body';

describe('readBody', () => {
  it('returns the whole body when it fits', async () => {
    const body = await readBody(Readable.from([Buffer.from('abc'), Buffer.from('def')]), { maxBytes: 6 });
    expect(body.toString()).toBe('abcdef');
  });

  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const stream = new PassThrough();
    const read = jest.spyOn(stream, 'on');
    await expect(readBody(stream, { maxBytes: 10, declaredLength: 11 })).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(read).not.toHaveBeenCalled();
  });

  it('stops at the first chunk past the limit and leaves the rest unread', async () => {
    const stream = new PassThrough({ highWaterMark: 16 });
    // Settled into a value at once: the rejection happens inside a write() below.
    const result = readBody(stream, { maxBytes: 1000 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    const chunk = Buffer.alloc(400);
    let written = 0;
    // A producer that would send 100 MB: it is told to stop long before that.
    for (let i = 0; i < 250_000 && !stream.isPaused(); i += 1) {
      stream.write(chunk);
      written += chunk.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const error = await result;
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).seenBytes).toBeLessThanOrEqual(1000 + chunk.length);
    expect(written).toBeLessThanOrEqual(1000 + 2 * chunk.length);
    expect(stream.listenerCount('data')).toBe(0);
  });

  it('reports a client that went away', async () => {
    const stream = new PassThrough();
    const result = readBody(stream, { maxBytes: 1000 });
    stream.write('partial');
    stream.destroy();
    await expect(result).rejects.toBeInstanceOf(BodyAbortedError);
  });
});
