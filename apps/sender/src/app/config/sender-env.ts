/**
 * Every environment variable the sender reads: name, default and meaning, in
 * one place. SenderConfig takes its defaults from here and the README table
 * is generated from it (`senderEnvTable()`), so the three never drift apart.
 */
export const SENDER_ENV = {
  UDPIX_HTTP_HOST: { default: '0.0.0.0', meaning: 'Address the HTTP API binds to.' },
  UDPIX_HTTP_PORT: { default: 3000, meaning: 'Port of the HTTP API (0 picks a free one).' },
  UDPIX_RECEIVER: { default: '127.0.0.1:5000', meaning: 'Receiver (host:port) used when POST /v1/images has no `to`.' },
  UDPIX_UDP_HOST: { default: '0.0.0.0', meaning: 'Local address of the UDP socket.' },
  UDPIX_UDP_PORT: { default: 0, meaning: 'Local UDP port of the socket (0 = any); one socket serves every receiver.' },
  UDPIX_KEY: { default: undefined, meaning: 'Shared key (hex or base64, >= 16 bytes): datagrams are authenticated. Must equal the receiver\'s.' },
  UDPIX_MAX_BYTES: { default: 64 * 1024 * 1024, meaning: 'Largest image accepted, bytes; a longer body is refused with 413 as soon as it is exceeded.' },
  UDPIX_MAX_PIXELS: { default: 0x3fff * 0x3fff, meaning: 'Most pixels accepted (width x height x pages); bigger images are refused with 413 (code TOO_MANY_PIXELS) before any decoding.' },
  UDPIX_MAX_TRANSFERS: { default: 16, meaning: 'Transfers in flight at once; beyond it POST /v1/images answers 503.' },
  UDPIX_KEEP_FINISHED: { default: 1000, meaning: 'Finished transfers kept for GET /v1/transfers/:id (oldest forgotten first).' },
  UDPIX_MAX_DATAGRAM: { default: 1472, meaning: 'Largest datagram, bytes (576..65507); configure the receiver alike.' },
  UDPIX_RATE_BYTES_PER_SEC: { default: 12_500_000, meaning: 'Pacing rate of outgoing datagrams, bytes/s (the protocol core accepts 1000..1e11).' },
  UDPIX_TIMEOUT_MS: { default: 60_000, meaning: 'Deadline of one transfer, ms: past it the request fails with 504. The protocol\'s OFFER and idle timeouts are min(this, 10 s).' },
  UDPIX_DRAIN_TIMEOUT_MS: { default: 30_000, meaning: 'On SIGTERM, how long transfers in flight may go on before they are aborted, ms.' },
} as const satisfies Record<string, { default: string | number | undefined; meaning: string }>;

export type SenderEnvName = keyof typeof SENDER_ENV;

/** The table as Markdown, for the README. */
export function senderEnvTable(): string {
  const rows = Object.entries(SENDER_ENV).map(([name, v]) => `| \`${name}\` | ${v.default === undefined ? '(none)' : `\`${String(v.default)}\``} | ${v.meaning} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
