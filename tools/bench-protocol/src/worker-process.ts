/**
 * The forked receiver process of the benchmark: receives UDP transfers and
 * the TCP baseline on loopback, one run at a time, on the parent's orders.
 */
import type { Server } from 'node:net';
import { listenTcpReceiver } from './tcp-receiver';
import { UdpReceiver } from './udp-receiver';
import type { ParentToWorker, WorkerToParent } from './worker-messages';

let udp: UdpReceiver | undefined;
let tcp: Server | undefined;

function reply(message: WorkerToParent): void {
  process.send?.(message);
}

async function handle(message: ParentToWorker): Promise<void> {
  switch (message.cmd) {
    case 'udp-listen': {
      const { receiver, port } = await UdpReceiver.listen(message.settings, message.dropRate, message.seed);
      udp = receiver;
      reply({ type: 'udp-ready', port });
      return;
    }
    case 'udp-report': {
      if (!udp) throw new Error('no UDP receiver');
      const report = await udp.report();
      udp = undefined;
      reply({ type: 'udp-report', report });
      return;
    }
    case 'tcp-listen': {
      tcp = listenTcpReceiver((port) => reply({ type: 'tcp-ready', port }));
      return;
    }
    case 'exit': {
      tcp?.close();
      process.disconnect?.();
      process.exit(0);
    }
  }
}

process.on('message', (message: ParentToWorker) => {
  handle(message).catch((err: unknown) => reply({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }));
});
// The parent went away: nothing left to do.
process.on('disconnect', () => process.exit(0));
