/** The `impair` command: runs an ImpairRelay until SIGINT/SIGTERM and prints its counters. */
import { ImpairRelay, type ImpairRelayCounters } from '@udpix/protocol';
import { IMPAIR_USAGE, parseImpairArgs } from './impair-args';

function formatCounters(c: ImpairRelayCounters): string {
  const line = (name: string, l: ImpairRelayCounters['forward']): string =>
    `${name}: sent ${l.sent} delivered ${l.delivered} lost ${l.lost} duplicated ${l.duplicated} reordered ${l.reordered} corrupted ${l.corrupted} queue-dropped ${l.queueDropped} mtu-dropped ${l.mtuDropped}`;
  return `${line('forward', c.forward)}\n${line('back   ', c.backward)}\nclients ${c.clients} evicted ${c.clientsEvicted} delay-line-dropped ${c.delayLineDropped} send-errors ${c.sendErrors}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(IMPAIR_USAGE);
    return;
  }
  let cli;
  try {
    cli = parseImpairArgs(argv);
  } catch (err) {
    console.error(`impair: ${(err as Error).message}\n\n${IMPAIR_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const relay = new ImpairRelay(cli.options);
  relay.on('error', (err: Error) => console.error(`impair: ${err.message}`));
  const bound = await relay.start();
  console.log(`impair: relaying udp ${bound.host}:${bound.port} -> ${cli.options.target.host}:${cli.options.target.port} (seed ${cli.options.seed})`);
  const stats = cli.statsIntervalMs > 0 ? setInterval(() => console.log(formatCounters(relay.counters())), cli.statsIntervalMs) : undefined;
  const stop = async (): Promise<void> => {
    if (stats) clearInterval(stats);
    console.log(formatCounters(relay.counters()));
    await relay.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
