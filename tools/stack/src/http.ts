/** Small HTTP helpers over fetch, every call bounded in time. */

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  ms: number;
}

/** GET `url` until it answers 200, at most `tries` times, `intervalMs` apart; rejects with the last status/error. */
export async function waitForHealth(url: string, tries = 20, intervalMs = 250): Promise<void> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url}: not healthy after ${tries} tries (${last})`);
}

export interface PostImageOptions {
  name?: string;
  contentType?: string;
  /** Receiver host:port; the sender's UDPIX_RECEIVER when absent. */
  to?: string;
  wait?: boolean;
  /** Extra query parameters (e.g. invalid ones, for tests). */
  query?: Record<string, string>;
  timeoutMs?: number;
}

/** POST /v1/images on a sender; the body is parsed as JSON when it is JSON. */
export async function postImage<T = Record<string, unknown>>(senderUrl: string, bytes: Uint8Array, options: PostImageOptions = {}): Promise<JsonResponse<T>> {
  const params = new URLSearchParams();
  if (options.name !== undefined) params.set('name', options.name);
  if (options.to !== undefined) params.set('to', options.to);
  if (options.wait !== undefined) params.set('wait', String(options.wait));
  for (const [k, v] of Object.entries(options.query ?? {})) params.set(k, v);
  const qs = params.toString();
  const started = performance.now();
  const res = await fetch(`${senderUrl}/v1/images${qs ? `?${qs}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/octet-stream' },
    body: bytes,
    signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as T, ms };
}

/** GET /v1/images/:id on a receiver: the stored bytes. */
export async function fetchImage(receiverUrl: string, id: string, timeoutMs = 60_000): Promise<{ status: number; contentType: string | null; bytes: Buffer }> {
  const res = await fetch(`${receiverUrl}/v1/images/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(timeoutMs) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType: res.headers.get('content-type'), bytes };
}

/** GET a text resource (e.g. /metrics). */
export async function getText(url: string, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text() };
}

/** The sum of a Prometheus counter's samples whose labels contain every `labels` pair. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
    if (!m || m[1] !== name) continue;
    const labelText = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}
