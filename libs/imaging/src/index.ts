export * from './lib/image-format';
export * from './lib/probe-limits';
export * from './lib/probe-result';
export { probeImage } from './lib/probe-image';
export { sniffFormat, type SniffResult } from './lib/sniff-format';
