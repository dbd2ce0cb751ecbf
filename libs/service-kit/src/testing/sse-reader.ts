/** One parsed SSE block: a comment (heartbeat) or an event. */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/**
 * A minimal Server-Sent Events reader over fetch, for tests (the server side
 * lives in the apps): every message is kept, and `next(predicate, timeoutMs)`
 * resolves with the first matching one not taken yet (from the start of the
 * stream), so callers wait on events, never sleep.
 */
export class SseReader {
  readonly messages: SseMessage[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  private taken = 0;
  ended = false;
  status = 0;
  contentType: string | null = null;

  static async open(url: string, timeoutMs = 10_000): Promise<SseReader> {
    const stream = new SseReader();
    const timer = setTimeout(() => stream.controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, { signal: stream.controller.signal, headers: { Accept: 'text/event-stream' } });
      stream.status = res.status;
      stream.contentType = res.headers.get('content-type');
      if (res.body) void stream.read(res.body);
      else stream.ended = true;
    } finally {
      clearTimeout(timer);
    }
    return stream;
  }

  /** The next message matching `predicate`; rejects when the stream ends or after `timeoutMs`. */
  async next(predicate: (m: SseMessage) => boolean = () => true, timeoutMs = 30_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.taken; i < this.messages.length; i++) {
        const m = this.messages[i] as SseMessage;
        if (predicate(m)) {
          this.taken = i + 1;
          return m;
        }
      }
      if (this.ended) throw new Error('SSE stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE message within ${timeoutMs} ms (${this.messages.length} received)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Parsed `data` of the messages named `event` (all names when omitted). */
  events<T = Record<string, unknown>>(filter?: (m: SseMessage) => boolean): Array<{ event: string; data: T }> {
    return this.messages
      .filter((m) => m.event !== undefined && m.data !== undefined && (!filter || filter(m)))
      .map((m) => ({ event: m.event as string, data: JSON.parse(m.data as string) as T }));
  }

  /** Resolves when the server ends the stream. */
  async closedByServer(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.controller.abort();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.messages.push(parseBlock(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        this.wake();
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.wake();
  }
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') message.event = value;
    else if (field === 'id') message.id = value;
    else if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
  }
  return message;
}
