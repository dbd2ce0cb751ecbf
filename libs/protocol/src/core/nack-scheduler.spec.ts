import { NackScheduler } from './nack-scheduler';

const policy = { reorderChunks: 3, reorderRttFraction: 0.125, minNackIntervalMs: 2 };

describe('NackScheduler', () => {
  describe('promote', () => {
    it('reports a hole once reorderChunks indices beyond it were seen', () => {
      const s = new NackScheduler(policy);
      s.openHole(5, 7, 0); // chunk 7 arrived: highestSeen 8
      expect(s.promote(0, 8, 100)).toBe(0);
      expect(s.promote(0, 9, 100)).toBe(0);
      expect(s.promote(0, 10, 100)).toBe(2);
      expect(s.takeNewGaps()).toEqual([{ start: 5, length: 2 }]);
      expect(s.takeNewGaps()).toEqual([]);
      expect(s.reportedCount).toBe(2);
    });

    it('reports a hole after reorderRttFraction * RTT + 1 ms even without later chunks', () => {
      const s = new NackScheduler(policy);
      s.openHole(0, 1, 10);
      expect(s.nextDeadline(0, 80)).toBe(10 + 11);
      expect(s.promote(20.9, 2, 80)).toBe(0);
      expect(s.promote(21, 2, 80)).toBe(1);
    });

    it('never reports a hole filled by a reordered chunk', () => {
      const s = new NackScheduler(policy);
      s.openHole(3, 4, 0);
      expect(s.fill(3)).toBe('young');
      expect(s.promote(1000, 100, 10)).toBe(0);
      expect(s.takeNewGaps()).toEqual([]);
      expect(s.missing).toBe(0);
    });

    it('reports older holes first and stops at the first young one', () => {
      const s = new NackScheduler(policy);
      s.openHole(1, 2, 0);
      s.openHole(10, 11, 5);
      expect(s.promote(5, 12, 100)).toBe(1);
      expect(s.takeNewGaps()).toEqual([{ start: 1, length: 1 }]);
      expect(s.youngCount).toBe(1);
    });
  });

  describe('promoteBelow', () => {
    it('reports every young hole below a probed chunk at once', () => {
      const s = new NackScheduler(policy);
      s.openHole(1, 2, 0);
      s.openHole(4, 6, 0);
      s.openHole(9, 10, 0);
      expect(s.promoteBelow(8)).toBe(3);
      expect(s.takeNewGaps()).toEqual([{ start: 1, length: 1 }, { start: 4, length: 2 }]);
    });
  });

  describe('due / markNacked / hasDue', () => {
    it('makes a new gap due at once and again only after the re-NACK interval', () => {
      const s = new NackScheduler(policy);
      s.openHole(2, 4, 0);
      s.promoteBelow(10);
      expect(s.hasDue(0, 40)).toBe(true);
      const first = s.due();
      expect(first.ranges).toEqual([{ start: 2, length: 2 }]);
      expect(s.markNacked(first, 1, 0)).toBe(2);
      expect(s.hasDue(1, 40)).toBe(false);
      const interval = s.renackInterval(40); // 1.25 * 40
      expect(interval).toBe(50);
      expect(s.nextDeadline(0, 40)).toBe(50);
      expect(s.hasDue(49, 40)).toBe(false);
      expect(s.hasDue(50, 40)).toBe(true);
      expect(s.markNacked(s.due(), 1, 50)).toBe(-1); // not fresh: no clean RTT sample
    });

    it('lists every reported gap oldest first and only marks what fitted', () => {
      const s = new NackScheduler(policy);
      s.openHole(1, 2, 0);
      s.openHole(3, 4, 0);
      s.promoteBelow(10);
      const due = s.due();
      expect(due.ranges).toEqual([{ start: 1, length: 1 }, { start: 3, length: 1 }]);
      s.markNacked(due, 1, 0); // only the first fitted
      expect(s.hasDue(1, 40)).toBe(true); // the second is still never-NACKed
      expect(s.markNacked(s.due(), 2, 1)).toBe(3);
      expect(s.hasDue(2, 40)).toBe(false);
    });

    it('uses the floor for the re-NACK interval when RTT is tiny', () => {
      const s = new NackScheduler({ ...policy, minNackIntervalMs: 5 });
      expect(s.renackInterval(0.1)).toBe(5);
    });
  });

  describe('more gaps than one NACK holds', () => {
    /** `n` single-chunk gaps at 0, 2, 4, ..., all reported (never NACKed) at time 0. */
    function manyGaps(n: number): NackScheduler {
      const s = new NackScheduler(policy);
      for (let i = 0; i < n; i++) s.openHole(2 * i, 2 * i + 1, 0);
      s.promoteBelow(2 * n);
      s.takeNewGaps();
      return s;
    }

    it('gives a finite deadline (now) while a never-NACKed gap waits, never -Infinity', () => {
      const s = manyGaps(3);
      s.markNacked(s.due(), 1, 5); // only the first "fitted"
      expect(s.hasDue(5, 40)).toBe(true);
      expect(s.nextDeadline(5, 40)).toBe(5);
      s.markNacked(s.due(1), 2, 5);
      expect(s.nextDeadline(5, 40)).toBe(55);
    });

    it('firstDue finds the first gap past those just NACKed, and due(from) lists from there', () => {
      const s = manyGaps(5);
      expect(s.firstDue(0, 40)).toBe(0);
      s.markNacked(s.due(), 2, 0); // a NACK that held two
      expect(s.firstDue(0, 40)).toBe(2);
      const rest = s.due(2);
      expect(rest.ranges).toEqual([
        { start: 4, length: 1 },
        { start: 6, length: 1 },
        { start: 8, length: 1 },
      ]);
      expect(rest.positions).toEqual([2, 3, 4]);
      s.markNacked(rest, 3, 0);
      expect(s.firstDue(0, 40)).toBe(-1);
      expect(s.hasDue(0, 40)).toBe(false);
      // Re-NACK interval later everything is due again, oldest first.
      expect(s.firstDue(50, 40)).toBe(0);
    });

    it('listing from firstDue names every gap within ceil(gaps / capacity) NACKs at one instant', () => {
      const s = manyGaps(1000);
      const capacity = 300;
      const named = new Set<number>();
      let nacks = 0;
      while (s.hasDue(0, 40) && nacks < 100) {
        let due = s.due();
        const first = s.firstDue(0, 40);
        if (first >= capacity) due = s.due(first);
        const fitted = Math.min(capacity, due.ranges.length);
        for (const r of due.ranges.slice(0, fitted)) named.add(r.start);
        s.markNacked(due, fitted, 0);
        nacks++;
      }
      expect(nacks).toBe(4);
      expect(named.size).toBe(1000);
    });
  });

  describe('listsEverything', () => {
    it('is false while young holes or unlisted gaps remain', () => {
      const s = new NackScheduler(policy);
      s.openHole(1, 2, 0);
      s.promoteBelow(5);
      expect(s.listsEverything(1)).toBe(true);
      s.openHole(6, 7, 0);
      expect(s.listsEverything(1)).toBe(false);
    });
  });

  describe('fill / takeRepaired', () => {
    it('coalesces repaired chunks into ranges', () => {
      const s = new NackScheduler(policy);
      s.openHole(0, 5, 0);
      s.promoteBelow(10);
      expect(s.fill(1)).toBe('reported');
      expect(s.fill(2)).toBe('reported');
      expect(s.fill(4)).toBe('reported');
      expect(s.fill(7)).toBe('none');
      expect(s.takeRepaired()).toEqual([{ start: 1, length: 2 }, { start: 4, length: 1 }]);
      expect(s.takeRepaired()).toEqual([]);
      expect(s.missing).toBe(2);
    });

    it('recomputes the re-NACK deadline when the oldest gap fills', () => {
      const s = new NackScheduler(policy);
      s.openHole(0, 1, 0);
      s.promoteBelow(5);
      s.markNacked(s.due(), 1, 0);
      s.openHole(2, 3, 30);
      s.promoteBelow(5);
      const d = s.due();
      s.markNacked({ ranges: d.ranges.slice(1), positions: d.positions.slice(1) }, 1, 30);
      expect(s.nextDeadline(0, 40)).toBe(50);
      s.fill(0);
      expect(s.nextDeadline(0, 40)).toBe(80);
      s.clear();
      expect(s.nextDeadline(0, 40)).toBeUndefined();
    });
  });
});
