/**
 * One built service (dist/apps/<name>/main.js) as a child process: started
 * with an environment, ready when its "listening" log line appears (an
 * event, not a poll), its output kept in a bounded buffer for failure
 * messages, stopped with SIGTERM and awaited with a bounded timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceProcessOptions {
  /** Short name for logs and errors ("receiver", "sender-a"). */
  name: string;
  /** The script run with this Node binary. */
  script: string;
  /** Added to (and overriding) the parent's environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** The log line that says the service is ready; its match is returned by start(). */
  ready: RegExp;
  /** Longest wait for `ready`, ms. */
  readyTimeoutMs?: number;
  /** Called with every output line (ANSI colours stripped), e.g. to echo it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Lines kept for error messages and `logs()`. */
  keepLines?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export class ServiceProcess {
  readonly name: string;
  private child: ChildProcess | undefined;
  private readonly lines: string[] = [];
  private readonly keepLines: number;
  private exitPromise: Promise<ProcessExit> | undefined;
  private exitInfo: ProcessExit | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(private readonly options: ServiceProcessOptions) {
    this.name = options.name;
    this.keepLines = options.keepLines ?? 2000;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Set once the process has exited. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** The last lines of output (both streams, in arrival order). */
  logs(): string[] {
    return [...this.lines];
  }

  /** Spawns the process and resolves with the match of `ready`; rejects (and kills it) on exit or timeout first. */
  async start(): Promise<RegExpMatchArray> {
    if (this.child) throw new Error(`${this.name}: already started`);
    const child = spawn(process.execPath, [this.options.script], {
      cwd: this.options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exitPromise = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      child.once('error', (err) => {
        this.record(`[spawn error] ${err.message}`, 'stderr');
        this.exitInfo = { code: -1, signal: null };
        resolve(this.exitInfo);
      });
    });
    for (const [stream, source] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
      if (source) createInterface({ input: source }).on('line', (line) => this.record(stripAnsi(line), stream));
    }
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    try {
      return await this.waitForLine(this.options.ready, timeoutMs);
    } catch (err) {
      await this.stop(2_000);
      throw err;
    }
  }

  /**
   * Resolves with the first line (already seen or future) matching `pattern`;
   * rejects when the process exits first or after `timeoutMs`.
   */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const m = line.match(pattern);
      if (m) return Promise.resolve(m);
    }
    return new Promise<RegExpMatchArray>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.lineListeners.delete(onLine);
      };
      const onLine = (line: string): void => {
        const m = line.match(pattern);
        if (m) {
          done();
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.tail()}`));
      }, timeoutMs);
      this.lineListeners.add(onLine);
      void this.exitPromise?.then((exit) => {
        if (!this.lineListeners.has(onLine)) return;
        done();
        reject(new Error(`${this.name}: exited (code ${exit.code}, signal ${exit.signal}) before a line matching ${pattern}\n${this.tail()}`));
      });
    });
  }

  /** Resolves when the process has exited (at once if it has). */
  waitForExit(timeoutMs: number): Promise<ProcessExit> {
    if (!this.exitPromise) return Promise.reject(new Error(`${this.name}: not started`));
    return withTimeout(this.exitPromise, timeoutMs, `${this.name}: did not exit within ${timeoutMs} ms`);
  }

  /** Sends a signal (no-op once exited). */
  signal(signal: NodeJS.Signals): void {
    if (this.child && !this.exitInfo) this.child.kill(signal);
  }

  /**
   * SIGTERM, then waits up to `timeoutMs` for the exit; past that SIGKILL
   * (and waits for that exit too). Safe to call more than once.
   */
  async stop(timeoutMs = 15_000): Promise<ProcessExit | undefined> {
    if (!this.child || !this.exitPromise) return undefined;
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    try {
      return await this.waitForExit(timeoutMs);
    } catch {
      this.child.kill('SIGKILL');
      return this.waitForExit(5_000);
    }
  }

  /** The last lines, for error messages. */
  tail(count = 40): string {
    return this.lines
      .slice(-count)
      .map((l) => `  [${this.name}] ${l}`)
      .join('\n');
  }

  private record(line: string, stream: 'stdout' | 'stderr'): void {
    this.lines.push(line);
    if (this.lines.length > this.keepLines) this.lines.splice(0, this.lines.length - this.keepLines);
    this.options.onLine?.(line, stream);
    for (const listener of [...this.lineListeners]) listener(line);
  }
}

/** Rejects with `message` when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
