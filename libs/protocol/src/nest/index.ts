/** The NestJS transport over udpix: ServerUdp, ClientUdp, UdpContext, events and the application envelope. */
export * from './server-udp';
export * from './client-udp';
export * from './udp.context';
export * from './udp.events';
export * from './helpers/udp-envelope';
export * from './helpers/udp-options';
export { UdpTransportError, failureText, errorFromFailure, failedByPeer } from './helpers/udp-errors';
export { UdpRecord, UdpRecordBuilder, type UdpRecordOptions, type UdpTarget } from './helpers/udp-record';
export type { UdpCounters } from './helpers/udp-counters';
