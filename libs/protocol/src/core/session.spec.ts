import { MessageType } from '../wire/messages';
import { resolveEndpointConfig } from './config';
import { encodeOwn } from './session';

describe('encodeOwn', () => {
  const config = resolveEndpointConfig();

  it('encodes a message and reports its type and length', () => {
    const out = encodeOwn({ type: MessageType.PING, flags: 0, transferId: '0102030405060708', seq: 1, body: { token: 5 } }, config);
    expect(out.type).toBe(MessageType.PING);
    expect(out.length).toBe(32);
  });

  it('reports how many NACK ranges fitted', () => {
    const ranges = Array.from({ length: 2000 }, (_, i) => ({ start: i * 2, length: 1 }));
    const out = encodeOwn(
      {
        type: MessageType.NACK,
        flags: 0,
        transferId: '0102030405060708',
        seq: 1,
        body: { cumulative: 0, highestSeen: 4000, received: 2000, window: 10, echoChunk: 0, echoDelayMicros: 0, ranges },
      },
      config,
    );
    expect(out.rangesEncoded).toBeGreaterThan(100);
    expect(out.rangesEncoded).toBeLessThan(2000);
  });

  it('throws on a message the session should never have built (a bug, not input)', () => {
    expect(() => encodeOwn({ type: MessageType.PING, flags: 0, transferId: 'nothex', seq: 1, body: { token: 5 } }, config)).toThrow(/internal/);
  });
});
