/**
 * Every environment variable of the receiver, in one place: the config class
 * takes its defaults from here, and the README table is generated from it
 * (receiver-env.spec.ts fails when the README is out of date).
 */
export interface EnvVar {
  name: string;
  /** The default as text, as one would write it in the environment; '' = unset. */
  default: string;
  meaning: string;
}

export const RECEIVER_ENV = [
  { name: 'UDPIX_HTTP_HOST', default: '0.0.0.0', meaning: 'HTTP bind address (all interfaces, so it works unchanged in containers)' },
  { name: 'UDPIX_HTTP_PORT', default: '3001', meaning: 'HTTP port (API, SSE, /docs, /metrics); 0 picks a free one' },
  { name: 'UDPIX_UDP_HOST', default: '0.0.0.0', meaning: 'UDP bind address of the transport' },
  { name: 'UDPIX_UDP_PORT', default: '5000', meaning: 'UDP port of the transport; 0 picks a free one' },
  { name: 'UDPIX_DATA_DIR', default: './data', meaning: 'Where images are stored (`<id>.bin` + `<id>.json`); created if missing' },
  {
    name: 'UDPIX_KEY',
    default: '',
    meaning: 'Shared secret, hex or base64 (>= 16 bytes, e.g. `openssl rand -hex 32`); when set, only datagrams authenticated with it are accepted. Same value on the sender',
  },
  { name: 'UDPIX_MAX_BYTES', default: '268435456', meaning: 'Largest image accepted, bytes (256 MiB)' },
  { name: 'UDPIX_MAX_TRANSFERS', default: '64', meaning: 'Transfers in flight at once; more OFFERs are refused' },
  { name: 'UDPIX_MAX_MEMORY_BYTES', default: '1073741824', meaning: 'Sum of reassembly buffers of all transfers in flight, bytes (1 GiB)' },
  { name: 'UDPIX_MAX_DATAGRAM', default: '1472', meaning: 'Largest datagram, 576..65507 bytes; must match the sender' },
  { name: 'UDPIX_HANDLER_TIMEOUT_MS', default: '30000', meaning: 'Longest time storing a verified image may take before the transfer fails' },
  { name: 'UDPIX_DRAIN_TIMEOUT_MS', default: '10000', meaning: 'On SIGTERM: new transfers are refused and those in flight get this long to finish' },
  {
    name: 'UDPIX_LINGER_MS',
    default: '2000',
    meaning: 'On SIGTERM, after the drain: the UDP socket stays open until this long after the last transfer finished, so a sender whose COMPLETE was lost still gets it (0: close at once; at most 60000)',
  },
  { name: 'UDPIX_SSE_HEARTBEAT_MS', default: '15000', meaning: 'Interval of the comment lines GET /v1/events sends to keep idle connections (and proxies) open' },
  { name: 'UDPIX_MAX_LISTED_TRANSFERS', default: '256', meaning: 'Transfers in flight tracked for GET /v1/transfers (oldest dropped from the list beyond it)' },
] as const satisfies readonly EnvVar[];

export type ReceiverEnvName = (typeof RECEIVER_ENV)[number]['name'];

/** The default of `name` as text. */
export function envDefault(name: ReceiverEnvName): string {
  const found = RECEIVER_ENV.find((v) => v.name === name);
  if (!found) throw new Error(`unknown variable ${name}`);
  return found.default;
}

/** The README table (Markdown). */
export function renderEnvTable(vars: readonly EnvVar[] = RECEIVER_ENV): string {
  const rows = vars.map((v) => `| \`${v.name}\` | ${v.default === '' ? '(unset)' : `\`${v.default}\``} | ${v.meaning} |`);
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
