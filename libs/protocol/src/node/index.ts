export * from './udp-endpoint-driver';
export * from './udp-driver-options';
export * from './udp-driver-events';
export * from './peer-address';
export * from './inbound-drop';
export { monotonicNow } from './monotonic-clock';
