/**
 * One snapshot of what ServerUdp and ClientUdp count: the core endpoint's
 * counters (datagrams by type, drops, transfers, offers rejected, tombstone
 * answers) and the socket driver's (send errors, back-pressure, queue).
 */
import type { EndpointCounters } from '../../core';
import type { UdpDriverStats, UdpEndpointDriver } from '../../node';

/** EndpointCounters as of the call, plus the socket driver's own stats under `socket`. */
export interface UdpCounters extends EndpointCounters {
  socket: UdpDriverStats;
}

/**
 * A copy, not the live objects: the endpoint mutates its counters in place,
 * and a caller that diffs two snapshots (or hands one to a metrics library)
 * must not see them change underneath.
 */
export function snapshotCounters(driver: UdpEndpointDriver): UdpCounters {
  return { ...structuredClone(driver.endpoint.counters), socket: driver.stats() };
}
