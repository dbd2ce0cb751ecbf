/**
 * The seed convention: every randomised test takes its seed from
 * seedFromEnv/seedsFromEnv and runs its body inside withSeed, so a failure
 * names the seed and anyone can replay exactly that run with
 * `UDPIX_SEED=<seed> npx jest ...`.
 */

export const SEED_ENV = 'UDPIX_SEED';

type Env = Readonly<Record<string, string | undefined>>;

function processEnv(): Env {
  // Reached through globalThis so the library does not assume Node when bundled elsewhere.
  const proc = (globalThis as { process?: { env?: Env } }).process;
  return proc?.env ?? {};
}

/** Parses a seed: decimal or 0x-hex, an integer in [0, 2^32). */
export function parseSeed(text: string): number {
  const trimmed = text.trim();
  const value = /^0x[0-9a-f]+$/i.test(trimmed) ? Number.parseInt(trimmed.slice(2), 16) : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32) {
    throw new RangeError(`${SEED_ENV} must be an integer in [0, 2^32) (decimal or 0x-hex), got ${JSON.stringify(text)}`);
  }
  return value;
}

/** UDPIX_SEED when set (and not empty), else `defaultSeed`. */
export function seedFromEnv(defaultSeed: number, env: Env = processEnv()): number {
  const raw = env[SEED_ENV];
  return raw === undefined || raw.trim() === '' ? defaultSeed : parseSeed(raw);
}

/**
 * The seeds a test should run: only UDPIX_SEED when set (to replay one
 * failure), else `defaults`. Meant for `it.each(seedsFromEnv([1, 2, 3]))`.
 */
export function seedsFromEnv(defaults: readonly number[], env: Env = processEnv()): number[] {
  const raw = env[SEED_ENV];
  return raw === undefined || raw.trim() === '' ? [...defaults] : [parseSeed(raw)];
}

/** The suffix withSeed appends to a failure's message. */
export function replayHint(seed: number): string {
  return `(replay with ${SEED_ENV}=${seed})`;
}

/**
 * Appends `suffix` to an error's message (and to the first line of its stack,
 * which is what jest prints) and returns it; a non-Error becomes an Error.
 */
export function annotateError(error: unknown, suffix: string): Error {
  const err = error instanceof Error ? error : new Error(String(error));
  // Read the stack first: V8 renders it lazily, and would otherwise pick up the new message itself.
  const stack = err.stack;
  const before = err.message;
  // Multi-line messages (jest matchers) get the hint on a line of its own, where it is easy to spot.
  const after = before === '' ? suffix : `${before}${before.includes('\n') ? '\n\n' : ' '}${suffix}`;
  err.message = after;
  if (typeof stack === 'string') {
    const index = before === '' ? -1 : stack.indexOf(before);
    err.stack = index >= 0 ? stack.slice(0, index) + after + stack.slice(index + before.length) : `${suffix}\n${stack}`;
  }
  return err;
}

/**
 * Runs `fn(seed)`; if it throws (or its promise rejects), the error's message
 * gains "(replay with UDPIX_SEED=<seed>)" and is rethrown.
 */
export function withSeed<T>(seed: number, fn: (seed: number) => T): T {
  let result: T;
  try {
    result = fn(seed);
  } catch (error) {
    throw annotateError(error, replayHint(seed));
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).catch((error: unknown) => {
      throw annotateError(error, replayHint(seed));
    }) as T;
  }
  return result;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
