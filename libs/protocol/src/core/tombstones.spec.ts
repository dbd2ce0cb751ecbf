import { MessageType, Reason, type Message } from '../wire/messages';
import { TombstoneStore } from './tombstones';

const msg = (id: string): Message => ({
  type: MessageType.FAILED,
  flags: 0,
  transferId: id,
  seq: 0,
  body: { reason: Reason.HASH_MISMATCH, message: 'x' },
});

describe('TombstoneStore', () => {
  describe('add / get', () => {
    it('returns the recorded message and peer until the TTL', () => {
      const s = new TombstoneStore(100, 10);
      s.add('a', 'peer', msg('a'), 0);
      expect(s.get('a', 99)?.peer).toBe('peer');
      expect(s.get('a', 99)?.message.type).toBe(MessageType.FAILED);
      expect(s.get('a', 100)).toBeUndefined();
      expect(s.size).toBe(0);
    });

    it('evicts the oldest entry when full and counts it', () => {
      const s = new TombstoneStore(1000, 2);
      s.add('a', 'p', msg('a'), 0);
      s.add('b', 'p', msg('b'), 1);
      s.add('c', 'p', msg('c'), 2);
      expect(s.get('a', 3)).toBeUndefined();
      expect(s.get('b', 3)).toBeDefined();
      expect(s.get('c', 3)).toBeDefined();
      expect(s.evicted).toBe(1);
    });

    it('keeps nothing when maxEntries is 0', () => {
      const s = new TombstoneStore(1000, 0);
      s.add('a', 'p', msg('a'), 0);
      expect(s.size).toBe(0);
    });
  });

  describe('expire / nextExpiry', () => {
    it('drops expired entries from the front', () => {
      const s = new TombstoneStore(10, 10);
      s.add('a', 'p', msg('a'), 0);
      s.add('b', 'p', msg('b'), 5);
      expect(s.nextExpiry()).toBe(10);
      s.expire(12);
      expect(s.size).toBe(1);
      expect(s.nextExpiry()).toBe(15);
      s.expire(15);
      expect(s.nextExpiry()).toBeUndefined();
    });
  });
});
