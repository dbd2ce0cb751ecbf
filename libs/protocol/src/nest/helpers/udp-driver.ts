/**
 * The UdpEndpointDriver of ServerUdp and ClientUdp, wired the same way for
 * both: one core Endpoint behind it, its endpoint events handed to the owner,
 * and its socket life (listening, error, close) reported as the owner's
 * status and re-emitted to the owner's `on(...)` listeners.
 */
import type { Logger } from '@nestjs/common';
import type { Socket } from 'node:dgram';
import { Endpoint, type EndpointEvent } from '../../core';
import { UdpEndpointDriver } from '../../node';
import { UdpStatus, type UdpEvents } from '../udp.events';
import type { UdpListeners } from './udp-listeners';
import type { ResolvedUdpOptions } from './udp-options';

/** What the driver reports to its ServerUdp or ClientUdp. */
export interface UdpDriverOwner<M extends UdpEvents & { [K in keyof M]: (...args: never[]) => void }> {
  logger: Pick<Logger, 'error'>;
  listeners: UdpListeners<M>;
  /** The owner's `_status$.next`. */
  setStatus(status: UdpStatus): void;
  /** Whether the socket is bound: true on 'listening', false on 'close'. */
  setBound(bound: boolean): void;
  onEndpointEvent(driver: UdpEndpointDriver, event: EndpointEvent): void;
}

/** A new driver (not bound yet) over a new Endpoint, reporting to `owner`. */
export function createUdpDriver<M extends UdpEvents & { [K in keyof M]: (...args: never[]) => void }>(
  options: ResolvedUdpOptions,
  owner: UdpDriverOwner<M>,
): UdpEndpointDriver {
  // Every owner's map holds UdpEvents' socket events.
  const listeners = owner.listeners as unknown as UdpListeners<UdpEvents>;
  const driver = new UdpEndpointDriver(new Endpoint({ config: options.endpoint }), options.driver);
  driver.on('event', (event) => owner.onEndpointEvent(driver, event));
  driver.on('listening', (address) => {
    owner.setBound(true);
    owner.setStatus(UdpStatus.LISTENING);
    listeners.emit('listening', address);
  });
  driver.on('error', (err) => {
    owner.setStatus(UdpStatus.ERROR);
    owner.logger.error(`socket error: ${err.message}`);
    listeners.emit('error', err);
  });
  driver.on('close', () => {
    owner.setBound(false);
    owner.setStatus(UdpStatus.CLOSED);
    listeners.emit('close');
  });
  return driver;
}

/** The driver's dgram socket; throws `notBound` when there is no driver or it is not bound. */
export function unwrapBoundSocket<T = Socket>(driver: UdpEndpointDriver | undefined, bound: boolean, notBound: string): T {
  if (driver === undefined || !bound) throw new Error(notBound);
  return driver.unwrap() as unknown as T;
}
