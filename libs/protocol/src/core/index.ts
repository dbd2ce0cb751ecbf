/** The sans-IO protocol core: sessions, their policies, and the Endpoint that multiplexes them. */
export * from './types';
export { Endpoint, TOMBSTONE_ANSWER_INTERVAL_MS, type EndpointOptions, type RandomSource, type EndpointDropReason } from './endpoint';
export { ConfigError, defaultEndpointConfig, resolveEndpointConfig } from './config';
export { SenderSession, MAX_PROBE_DOUBLINGS, type SenderState, type SenderSessionParams } from './sender-session';
export { ReceiverSession, type ReceiverState, type ReceiverSessionParams, type DataDropReason } from './receiver-session';
export type { Outgoing, Session, SessionContext } from './session';
export { TokenBucketPacer, type Pacer } from './pacer';
export { RttEstimator, CLOCK_GRANULARITY_MS } from './rtt-estimator';
export { RangeSet } from './range-set';
export { NackScheduler, type NackPolicy, type DueRanges, type FillResult } from './nack-scheduler';
export { TombstoneStore, type Tombstone } from './tombstones';
export { backoffDelay } from './backoff';
