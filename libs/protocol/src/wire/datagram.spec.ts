import { concatDatagram, datagramLength } from './datagram';

describe('datagram', () => {
  const d = [Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)];

  describe('datagramLength', () => {
    it('sums the segments', () => {
      expect(datagramLength(d)).toBe(3);
      expect(datagramLength([])).toBe(0);
    });
  });

  describe('concatDatagram', () => {
    it('joins the segments into a new array', () => {
      const joined = concatDatagram(d);
      expect([...joined]).toEqual([1, 2, 3]);
      joined[0] = 9;
      expect(d[0][0]).toBe(1);
    });
  });
});
