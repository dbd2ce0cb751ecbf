import { ClientUdp } from '@udpix/protocol';
import { loadConfig } from '@udpix/service-kit';
import { SenderConfig } from '../config/sender-config';
import { udpClientOptions } from './udp-client-options';

describe('udpClientOptions', () => {
  it('gives options that ClientUdp accepts, for the defaults and for every knob set', () => {
    const defaults = udpClientOptions(loadConfig(SenderConfig, {}));
    expect(() => new ClientUdp({ ...defaults, host: '127.0.0.1', port: 5000 })).not.toThrow();
    const tuned = udpClientOptions(
      loadConfig(SenderConfig, {
        UDPIX_KEY: '00112233445566778899aabbccddeeff',
        UDPIX_MAX_DATAGRAM: '9000',
        UDPIX_RATE_BYTES_PER_SEC: '1000000',
        UDPIX_MAX_TRANSFERS: '3',
        UDPIX_TIMEOUT_MS: '2500',
        UDPIX_UDP_HOST: '127.0.0.1',
        UDPIX_UDP_PORT: '7000',
      }),
    );
    expect(() => new ClientUdp({ ...tuned, host: '127.0.0.1', port: 5000 })).not.toThrow();
    expect(tuned).toMatchObject({ maxDatagram: 9000, rate: 1_000_000, limits: { maxTransfers: 3 }, requestTimeoutMs: 2500, localHost: '127.0.0.1', localPort: 7000 });
    expect(Buffer.from(tuned.key as Uint8Array).toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });

  it('lets a short UDPIX_TIMEOUT_MS shorten the protocol timeouts, and caps them at 10 s otherwise', () => {
    expect(udpClientOptions(loadConfig(SenderConfig, { UDPIX_TIMEOUT_MS: '1500' })).timeouts).toEqual({ offerMs: 1500, idleMs: 1500 });
    expect(udpClientOptions(loadConfig(SenderConfig, { UDPIX_TIMEOUT_MS: '600000' })).timeouts).toEqual({ offerMs: 10_000, idleMs: 10_000 });
  });
});
