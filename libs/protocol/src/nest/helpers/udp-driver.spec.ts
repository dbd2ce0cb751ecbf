import { Logger } from '@nestjs/common';
import type { Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { UdpEndpointDriver } from '../../node';
import { UdpStatus, type UdpEvents } from '../udp.events';
import { createUdpDriver, unwrapBoundSocket } from './udp-driver';
import { UdpListeners } from './udp-listeners';
import { resolveUdpServerOptions } from './udp-options';

function owner() {
  const logger = { error: jest.fn() };
  const listeners = new UdpListeners<UdpEvents>(new Logger('test'));
  const seen: string[] = [];
  listeners.on('listening', (address: AddressInfo) => seen.push(`listening ${address.address}`));
  listeners.on('error', (err: Error) => seen.push(`error ${err.message}`));
  listeners.on('close', () => seen.push('close'));
  const statuses: UdpStatus[] = [];
  const state = { bound: false };
  const events: string[] = [];
  return {
    logger,
    listeners,
    seen,
    statuses,
    state,
    events,
    setStatus: (status: UdpStatus) => statuses.push(status),
    setBound: (bound: boolean) => {
      state.bound = bound;
    },
    onEndpointEvent: (_driver: UdpEndpointDriver, event: { type: string }) => events.push(event.type),
  };
}

describe('createUdpDriver', () => {
  it('reports listening and close as status, bound flag and listener events', async () => {
    const o = owner();
    const driver = createUdpDriver(resolveUdpServerOptions({ host: '127.0.0.1', port: 0 }), o);
    expect(o.statuses).toEqual([]);
    const address = await driver.bind();
    expect(address.port).toBeGreaterThan(0);
    expect(o.state.bound).toBe(true);
    expect(o.statuses).toEqual([UdpStatus.LISTENING]);
    expect(unwrapBoundSocket<Socket>(driver, o.state.bound, 'not bound').address().port).toBe(address.port);
    await driver.close();
    expect(o.state.bound).toBe(false);
    expect(o.statuses).toEqual([UdpStatus.LISTENING, UdpStatus.CLOSED]);
    expect(o.seen).toEqual(['listening 127.0.0.1', 'close']);
  });

  it('logs a socket error and reports it as ERROR', () => {
    const o = owner();
    const driver = createUdpDriver(resolveUdpServerOptions({ host: '127.0.0.1', port: 0 }), o);
    driver.emit('error', new Error('boom'));
    expect(o.statuses).toEqual([UdpStatus.ERROR]);
    expect(o.logger.error).toHaveBeenCalledWith('socket error: boom');
    expect(o.seen).toEqual(['error boom']);
  });
});

describe('unwrapBoundSocket', () => {
  it('throws the given message without a driver or before binding', () => {
    const driver = createUdpDriver(resolveUdpServerOptions({ host: '127.0.0.1', port: 0 }), owner());
    expect(() => unwrapBoundSocket(undefined, true, 'not listening')).toThrow('not listening');
    expect(() => unwrapBoundSocket(driver, false, 'not bound')).toThrow('not bound');
  });
});
