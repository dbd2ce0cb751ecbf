/** Builds the two services with Nx, offline and without the daemon or the TUI. */
import { spawn } from 'node:child_process';
import { WORKSPACE_ROOT } from './services';

export function buildApps(timeoutMs = 600_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['nx', 'run-many', '-t', 'build', '-p', 'sender', 'receiver', '--outputStyle=stream'], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' },
      stdio: 'inherit',
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`build failed (exit ${code ?? signal})`));
    });
  });
}
