import { annotateError, parseSeed, replayHint, seedFromEnv, seedsFromEnv, withSeed } from './seed';

describe('parseSeed', () => {
  it('reads decimal and hex', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed(' 0xff ')).toBe(255);
  });

  it('names the variable when the text is bad', () => {
    expect(() => parseSeed('abc')).toThrow(/UDPIX_SEED/);
    expect(() => parseSeed('-1')).toThrow(/UDPIX_SEED/);
    expect(() => parseSeed(String(2 ** 32))).toThrow(/UDPIX_SEED/);
  });
});

describe('seedFromEnv', () => {
  it('uses UDPIX_SEED when set, else the default', () => {
    expect(seedFromEnv(7, {})).toBe(7);
    expect(seedFromEnv(7, { UDPIX_SEED: '' })).toBe(7);
    expect(seedFromEnv(7, { UDPIX_SEED: '99' })).toBe(99);
  });

  it('reads process.env by default', () => {
    const saved = process.env['UDPIX_SEED'];
    try {
      process.env['UDPIX_SEED'] = '123';
      expect(seedFromEnv(1)).toBe(123);
      delete process.env['UDPIX_SEED'];
      expect(seedFromEnv(1)).toBe(1);
    } finally {
      if (saved === undefined) delete process.env['UDPIX_SEED'];
      else process.env['UDPIX_SEED'] = saved;
    }
  });
});

describe('seedsFromEnv', () => {
  it('runs the defaults, or only the replayed seed', () => {
    expect(seedsFromEnv([1, 2, 3], {})).toEqual([1, 2, 3]);
    expect(seedsFromEnv([1, 2, 3], { UDPIX_SEED: '0x10' })).toEqual([16]);
  });
});

describe('annotateError', () => {
  it('appends to the message and the stack', () => {
    const err = annotateError(new Error('boom'), '(x)');
    expect(err.message).toBe('boom (x)');
    expect(err.stack).toContain('boom (x)');
    expect(err.stack?.split('(x)')).toHaveLength(2);
  });

  it('puts the hint on its own line after a multi-line message', () => {
    expect(annotateError(new Error('a\nb'), '(x)').message).toBe('a\nb\n\n(x)');
  });

  it('wraps non-errors', () => {
    expect(annotateError('text', '(x)').message).toBe('text (x)');
  });
});

describe('withSeed', () => {
  it('passes the seed and returns the result', () => {
    expect(withSeed(5, (s) => s * 2)).toBe(10);
  });

  it('prints the seed when a synchronous body fails', () => {
    expect(() =>
      withSeed(77, () => {
        expect(1).toBe(2);
      }),
    ).toThrow(replayHint(77));
  });

  it('prints the seed when an async body rejects', async () => {
    await expect(
      withSeed(78, async () => {
        throw new Error('late');
      }),
    ).rejects.toThrow('late (replay with UDPIX_SEED=78)');
  });

  it('resolves async results untouched', async () => {
    await expect(withSeed(1, async (s) => s + 1)).resolves.toBe(2);
  });
});
