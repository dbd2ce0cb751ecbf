import { VirtualClock } from './virtual-clock';

describe('VirtualClock', () => {
  it('starts at 0 by default, or at the given time', () => {
    expect(new VirtualClock().now).toBe(0);
    expect(new VirtualClock(1000).now).toBe(1000);
    expect(() => new VirtualClock(-1)).toThrow(RangeError);
    expect(() => new VirtualClock(Number.NaN)).toThrow(RangeError);
  });

  describe('advance', () => {
    it('moves forward by fractions of a millisecond too', () => {
      const clock = new VirtualClock();
      expect(clock.advance(1.5)).toBe(1.5);
      expect(clock.advance(0)).toBe(1.5);
      expect(clock.now).toBe(1.5);
    });

    it('refuses negative or non-finite steps', () => {
      const clock = new VirtualClock();
      expect(() => clock.advance(-1)).toThrow(/advance/);
      expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(/advance/);
    });
  });

  describe('advanceTo', () => {
    it('moves to a later or equal time', () => {
      const clock = new VirtualClock(5);
      expect(clock.advanceTo(5)).toBe(5);
      expect(clock.advanceTo(9)).toBe(9);
    });

    it('never goes backwards', () => {
      const clock = new VirtualClock(5);
      expect(() => clock.advanceTo(4)).toThrow(/never goes backwards/);
      expect(clock.now).toBe(5);
    });
  });

  it('toFunction reads the live time', () => {
    const clock = new VirtualClock();
    const now = clock.toFunction();
    clock.advance(7);
    expect(now()).toBe(7);
  });
});
