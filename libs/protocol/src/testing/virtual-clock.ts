/**
 * Virtual time in milliseconds (fractions allowed). The simulator owns time so
 * that a ten-minute transfer with timeouts runs in milliseconds of real time
 * and the same seed always sees the same instants. It never goes backwards:
 * a protocol that saw time reverse would be tested against an impossible world.
 */
export class VirtualClock {
  private current: number;

  constructor(start = 0) {
    if (!Number.isFinite(start) || start < 0) {
      throw new RangeError(`VirtualClock: start must be a finite number >= 0, got ${start}`);
    }
    this.current = start;
  }

  get now(): number {
    return this.current;
  }

  /** Moves forward by `ms` (>= 0). Returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`VirtualClock.advance: ms must be a finite number >= 0, got ${ms}`);
    }
    this.current += ms;
    return this.current;
  }

  /** Moves to `time`, which must not be in the past. Returns the new time. */
  advanceTo(time: number): number {
    if (!Number.isFinite(time)) {
      throw new RangeError(`VirtualClock.advanceTo: time must be finite, got ${time}`);
    }
    if (time < this.current) {
      throw new RangeError(`VirtualClock.advanceTo: time ${time} is before now ${this.current}; the clock never goes backwards`);
    }
    this.current = time;
    return this.current;
  }

  /** A `() => number` reading this clock, for code that takes a time source. */
  toFunction(): () => number {
    return () => this.current;
  }
}
