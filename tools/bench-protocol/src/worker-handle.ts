/**
 * The parent's handle on the forked worker: typed request/response over IPC,
 * one request at a time, each bounded by a timeout, and a clean shutdown.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ParentToWorker, WorkerToParent } from './worker-messages';

type ReplyOf<T extends WorkerToParent['type']> = Extract<WorkerToParent, { type: T }>;

export class WorkerHandle {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<WorkerHandle> {
    // Same loader as the parent (see tools/ts-register.js): the worker is TypeScript too.
    const register = join(__dirname, '..', '..', 'ts-register.js');
    const child = fork(join(__dirname, 'worker-process.ts'), [], {
      // BENCH_PROFILE_DIR=dir: the worker writes a CPU profile there (run the parent with --cpu-prof too).
      execArgv: ['-r', register, ...(process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    return new WorkerHandle(child);
  }

  request<T extends WorkerToParent['type']>(message: ParentToWorker, expect: T, timeoutMs = 30_000): Promise<ReplyOf<T>> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      const onMessage = (reply: WorkerToParent): void => {
        cleanup();
        if (reply.type === expect) resolve(reply as ReplyOf<T>);
        else if (reply.type === 'error') reject(new Error(`worker: ${reply.message}`));
        else reject(new Error(`worker answered ${reply.type}, expected ${expect}`));
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`worker exited (code ${code}) during ${message.cmd}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`worker did not answer ${message.cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ cmd: 'exit' } satisfies ParentToWorker);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
