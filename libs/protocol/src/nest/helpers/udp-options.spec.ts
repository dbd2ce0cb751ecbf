import { UdpOptionsError, resolveUdpClientOptions, resolveUdpServerOptions, type UdpClientOptions, type UdpServerOptions } from './udp-options';

function serverError(options: UdpServerOptions): UdpOptionsError {
  try {
    resolveUdpServerOptions(options);
  } catch (err) {
    if (err instanceof UdpOptionsError) return err;
    throw err;
  }
  throw new Error('no error');
}

function clientError(options: UdpClientOptions): UdpOptionsError {
  try {
    resolveUdpClientOptions(options);
  } catch (err) {
    if (err instanceof UdpOptionsError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('udp-options', () => {
  describe('resolveUdpServerOptions', () => {
    it('defaults to 0.0.0.0:5000 with the core defaults and manual commit', () => {
      const r = resolveUdpServerOptions();
      expect(r.driver).toMatchObject({ host: '0.0.0.0', port: 5000 });
      expect(r.endpoint.wire.maxDatagram).toBe(1472);
      expect(r.endpoint.receiver.autoCommit).toBe(false);
    });

    it('maps the transport knobs onto the endpoint config', () => {
      const r = resolveUdpServerOptions({
        maxDatagram: 9000,
        rate: 1e8,
        key: 'sixteen bytes at least',
        limits: { maxBytesPerTransfer: 1000, maxTransfers: 3, maxMemoryBytes: 5000 },
        timeouts: { offerMs: 1000, idleMs: 2000, handlerMs: 3000 },
        endpoint: { receiver: { windowBytes: 1 << 20 } },
      });
      expect(r.endpoint.wire.maxDatagram).toBe(9000);
      expect(Buffer.from(r.endpoint.wire.key ?? []).toString()).toBe('sixteen bytes at least');
      expect(r.endpoint.sender).toMatchObject({ rateBytesPerSec: 1e8, maxTransfers: 3, offerTimeoutMs: 1000, idleTimeoutMs: 2000 });
      expect(r.endpoint.receiver).toMatchObject({
        maxBytesPerTransfer: 1000,
        maxTransfers: 3,
        maxMemoryBytes: 5000,
        idleTimeoutMs: 2000,
        commitTimeoutMs: 3000,
        windowBytes: 1 << 20,
      });
    });

    it.each<[UdpServerOptions, string]>([
      [{ port: 70000 }, 'port'],
      [{ port: 1.5 }, 'port'],
      [{ host: '' }, 'host'],
      [{ maxDatagram: 100 }, 'maxDatagram'],
      [{ rate: 1 }, 'rate'],
      [{ key: 'short' }, 'key'],
      [{ limits: { maxTransfers: 0 } }, 'limits.maxTransfers'],
      [{ limits: { maxBytesPerTransfer: -1 } }, 'limits.maxBytesPerTransfer'],
      [{ limits: { maxMemoryBytes: 0.5 } }, 'limits.maxMemoryBytes'],
      [{ timeouts: { handlerMs: 0 } }, 'timeouts.handlerMs'],
      [{ timeouts: { idleMs: -5 } }, 'timeouts.idleMs'],
      [{ timeouts: { offerMs: Number.NaN } }, 'timeouts.offerMs'],
      [{ endpoint: { receiver: { ackEveryChunks: 0 } } }, 'endpoint.receiver.ackEveryChunks'],
      [{ socket: { maxSendsInFlight: 0 } }, 'socket.maxSendsInFlight'],
      [{ name: 'n'.repeat(300) }, 'name'],
      [{ limits: 5 as unknown as UdpServerOptions['limits'] }, 'limits'],
    ])('refuses %j naming "%s"', (options, option) => {
      const err = serverError(options);
      expect(err.option).toBe(option);
      expect(err.message).toContain(`ServerUdp: invalid option "${option}"`);
    });

    it('refuses a non-object', () => {
      expect(() => resolveUdpServerOptions(42 as unknown as UdpServerOptions)).toThrow(/options must be an object/);
    });
  });

  describe('resolveUdpClientOptions', () => {
    it('defaults to the server at 127.0.0.1:5000, a local port 0 and a 60 s request timeout', () => {
      const r = resolveUdpClientOptions();
      expect(r).toMatchObject({ host: '127.0.0.1', port: 5000, requestTimeoutMs: 60_000 });
      expect(r.driver.port).toBe(0);
      expect(r.driver.host).toBeUndefined();
    });

    it('binds the local host and port it is given', () => {
      const r = resolveUdpClientOptions({ host: 'localhost', port: 7000, localHost: '127.0.0.1', localPort: 7001 });
      expect(r.driver).toMatchObject({ host: '127.0.0.1', port: 7001 });
      expect(r).toMatchObject({ host: 'localhost', port: 7000 });
    });

    it.each<[UdpClientOptions, string]>([
      [{ port: 0 }, 'port'],
      [{ localPort: -1 }, 'localPort'],
      [{ localHost: '' }, 'localHost'],
      [{ requestTimeoutMs: 0 }, 'requestTimeoutMs'],
      [{ requestTimeoutMs: 2 ** 31 }, 'requestTimeoutMs'],
      [{ key: new Uint8Array(4) }, 'key'],
      [{ key: 5 as unknown as string }, 'key'],
    ])('refuses %j naming "%s"', (options, option) => {
      const err = clientError(options);
      expect(err.option).toBe(option);
      expect(err.message).toContain(`ClientUdp: invalid option "${option}"`);
    });
  });
});
