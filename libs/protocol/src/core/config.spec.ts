import { ConfigError, defaultEndpointConfig, resolveEndpointConfig } from './config';

describe('resolveEndpointConfig', () => {
  it('returns the defaults for an empty input', () => {
    expect(resolveEndpointConfig()).toEqual(defaultEndpointConfig());
  });

  it('merges nested partial options over the defaults', () => {
    const c = resolveEndpointConfig({ sender: { rateBytesPerSec: 1e6 }, receiver: { autoCommit: true }, progressIntervalMs: 0 });
    expect(c.sender.rateBytesPerSec).toBe(1e6);
    expect(c.sender.burstDatagrams).toBe(defaultEndpointConfig().sender.burstDatagrams);
    expect(c.receiver.autoCommit).toBe(true);
    expect(c.progressIntervalMs).toBe(0);
  });

  it.each([
    [{ sender: { rateBytesPerSec: 0 } }, 'sender.rateBytesPerSec'],
    [{ sender: { burstDatagrams: 1.5 } }, 'sender.burstDatagrams'],
    [{ sender: { initialRttMs: 0 } }, 'sender.initialRttMs'],
    [{ sender: { maxTransmissionsPerChunk: 300 } }, 'sender.maxTransmissionsPerChunk'],
    [{ sender: { offerTimeoutMs: Number.NaN } }, 'sender.offerTimeoutMs'],
    [{ sender: { maxBackoffMs: -1 } }, 'sender.maxBackoffMs'],
    [{ sender: { endpointRateBytesPerSec: 500 } }, 'sender.endpointRateBytesPerSec'],
    [{ sender: { endpointRateBytesPerSec: -1 } }, 'sender.endpointRateBytesPerSec'],
    [{ sender: { endpointRateBytesPerSec: Number.POSITIVE_INFINITY } }, 'sender.endpointRateBytesPerSec'],
    [{ receiver: { windowBytes: 100 } }, 'receiver.windowBytes'],
    [{ receiver: { maxRateBytesPerSec: 2 ** 33 } }, 'receiver.maxRateBytesPerSec'],
    [{ receiver: { autoCommit: 'yes' as unknown as boolean } }, 'receiver.autoCommit'],
    [{ receiver: { reorderChunks: 0 } }, 'receiver.reorderChunks'],
    [{ receiver: { maxTombstones: -1 } }, 'receiver.maxTombstones'],
    [{ wire: { maxDatagram: 100 } }, 'wire.maxDatagram'],
    [{ wire: { key: new Uint8Array(4) } }, 'wire.key'],
    [{ controlQueueLimit: 0 }, 'controlQueueLimit'],
    [{ progressIntervalMs: -1 }, 'progressIntervalMs'],
  ])('rejects %j naming %s', (input, option) => {
    let error: unknown;
    try {
      resolveEndpointConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
    expect((error as ConfigError).message).toContain(option);
  });

  it('derives sender.endpointRateBytesPerSec from the resolved rateBytesPerSec unless given; 0 is allowed (off)', () => {
    expect(defaultEndpointConfig().sender.endpointRateBytesPerSec).toBe(defaultEndpointConfig().sender.rateBytesPerSec);
    expect(resolveEndpointConfig({ sender: { rateBytesPerSec: 140e6 } }).sender.endpointRateBytesPerSec).toBe(140e6);
    expect(resolveEndpointConfig({ sender: { rateBytesPerSec: 140e6, endpointRateBytesPerSec: 50e6 } }).sender.endpointRateBytesPerSec).toBe(50e6);
    expect(resolveEndpointConfig({ sender: { endpointRateBytesPerSec: 0 } }).sender.endpointRateBytesPerSec).toBe(0);
  });

  it('requires tombstones to outlive the replay window in authenticated mode', () => {
    expect(() =>
      resolveEndpointConfig({ wire: { key: new Uint8Array(32) }, receiver: { tombstoneTtlMs: 1000, replayWindowMs: 2000 } }),
    ).toThrow(/receiver.tombstoneTtlMs/);
    expect(() => resolveEndpointConfig({ receiver: { tombstoneTtlMs: 1000, replayWindowMs: 2000 } })).not.toThrow();
  });
});
