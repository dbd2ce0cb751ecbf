/** One parsed SSE block: a comment (heartbeat) or an event. */
export interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/**
 * A minimal SSE reader over fetch for tests: `next(predicate)` resolves with
 * the first message (from the start of the stream) that matches and was not
 * taken yet, without sleeps.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  private taken = 0;
  ended = false;
  status = 0;
  contentType: string | null = null;

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { signal: client.controller.signal, headers: { Accept: 'text/event-stream' } });
    client.status = res.status;
    client.contentType = res.headers.get('content-type');
    if (res.body) void client.read(res.body);
    return client;
  }

  /** The next message matching `predicate`; earlier non-matching ones are skipped. */
  async next(predicate: (m: SseMessage) => boolean = () => true): Promise<SseMessage> {
    for (;;) {
      for (let i = this.taken; i < this.messages.length; i++) {
        const m = this.messages[i];
        if (m !== undefined && predicate(m)) {
          this.taken = i + 1;
          return m;
        }
      }
      if (this.ended) throw new Error('SSE stream ended');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
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
        buffer += decoder.decode(chunk, { stream: true });
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
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    else {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') message.event = value;
      else if (field === 'id') message.id = value;
      else if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
    }
  }
  return message;
}
