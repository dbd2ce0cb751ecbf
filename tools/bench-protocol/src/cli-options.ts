/** Command-line flags of the protocol benchmark. No dependency: a handful of --key=value flags. */
import type { Transport } from './bench-result';

export interface CliOptions {
  quick: boolean;
  only: Set<Transport>;
  /** Object sizes for the real transports, bytes. */
  sizes: number[];
  /** Datagram sizes for UDP and sim. */
  datagramSizes: number[];
  /** Loss rates for the UDP runs, percent. */
  udpLosses: number[];
  /** Overrides of the tuned settings (undefined = tuned default). */
  rateMBps: number | undefined;
  burstDatagrams: number | undefined;
  windowMB: number | undefined;
  ackEveryChunks: number | undefined;
  /** Runs per UDP/TCP case; the row kept is the median by goodput. */
  repeat: number;
  /** Seeds per sim case; the row holds the medians. */
  simSeeds: number;
  seed: number;
  outDir: string;
  help: boolean;
}

export const USAGE = `Usage: npm run bench:protocol -- [flags]

  --quick              smaller matrix (about 20 s)
  --only=sim,udp,tcp   transports to run (default all)
  --sizes=1,10,50      object sizes in MB (10^6 bytes) for udp/tcp
  --dgram=1472,65507   UDP datagram sizes (payload bytes)
  --loss=0,1,5         loss percentages for the udp runs
  --rate=MB/s          sender pacing rate (default: tuned per datagram size)
  --burst=N            pacer burst in datagrams (default: tuned)
  --window=MB          receiver flow-control window (default: tuned)
  --ack-every=N        receiver ACK frequency in chunks (default: tuned)
  --repeat=N           runs per udp/tcp case, median kept (default 3; 1 with --quick)
  --sim-seeds=N        seeds per sim case, medians kept (default 3; 1 with --quick)
  --seed=N             seed of payload-independent randomness (default 1)
  --out=DIR            where the JSON goes (default bench-results)
`;

function list(value: string, name: string): number[] {
  const numbers = value.split(',').map((v) => Number(v.trim()));
  if (numbers.some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`--${name}: expected numbers >= 0, got ${value}`);
  return numbers;
}

function single(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a number > 0, got ${value}`);
  return n;
}

export function parseCli(argv: string[]): CliOptions {
  const options: CliOptions = {
    quick: false,
    only: new Set<Transport>(['sim', 'udp', 'tcp']),
    sizes: [1, 10, 50].map((mb) => mb * 1e6),
    datagramSizes: [1472, 65507],
    udpLosses: [0, 1, 5],
    rateMBps: undefined,
    burstDatagrams: undefined,
    windowMB: undefined,
    ackEveryChunks: undefined,
    repeat: 3,
    simSeeds: 3,
    seed: 1,
    outDir: 'bench-results',
    help: false,
  };
  let sizesGiven = false;
  let repeatGiven = false;
  let simSeedsGiven = false;
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=', 2);
    switch (key) {
      case 'quick':
        options.quick = true;
        break;
      case 'only': {
        const names = value.split(',');
        for (const n of names) if (n !== 'sim' && n !== 'udp' && n !== 'tcp') throw new Error(`--only: unknown transport ${n}`);
        options.only = new Set(names as Transport[]);
        break;
      }
      case 'sizes':
        options.sizes = list(value, key).map((mb) => Math.round(mb * 1e6));
        sizesGiven = true;
        break;
      case 'dgram':
        options.datagramSizes = list(value, key);
        break;
      case 'loss':
        options.udpLosses = list(value, key);
        break;
      case 'rate':
        options.rateMBps = single(value, key);
        break;
      case 'burst':
        options.burstDatagrams = single(value, key);
        break;
      case 'window':
        options.windowMB = single(value, key);
        break;
      case 'ack-every':
        options.ackEveryChunks = Math.round(single(value, key));
        break;
      case 'repeat':
        options.repeat = Math.round(single(value, key));
        repeatGiven = true;
        break;
      case 'sim-seeds':
        options.simSeeds = Math.round(single(value, key));
        simSeedsGiven = true;
        break;
      case 'seed':
        options.seed = Math.round(single(value, key));
        break;
      case 'out':
        options.outDir = value;
        break;
      case 'help':
      case 'h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown flag ${arg}\n\n${USAGE}`);
    }
  }
  // --quick keeps 50 MB so the targets are still measured (at 0% loss only, see plan.ts).
  if (options.quick && !sizesGiven) options.sizes = [1e6, 50e6];
  if (options.quick && !repeatGiven) options.repeat = 1;
  if (options.quick && !simSeedsGiven) options.simSeeds = 1;
  return options;
}
