/**
 * `npm start`: builds the two services, starts the receiver, an impairment
 * relay in front of its UDP port (5% loss, 20 ms delay, both directions) and
 * the sender pointed at the relay; sends every bundled sample image and a
 * large generated one through the sender, checks each one fetched back from
 * the receiver, prints a table and the URLs, and keeps everything running
 * until Ctrl-C.
 *
 * Environment (all optional):
 *   UDPIX_START_SENDER_PORT        sender HTTP port             (3000)
 *   UDPIX_START_RECEIVER_PORT      receiver HTTP port           (3001)
 *   UDPIX_START_RECEIVER_UDP_PORT  receiver UDP port            (5000)
 *   UDPIX_START_RELAY_PORT         relay UDP port               (0 = any free one)
 *   UDPIX_START_DATA_DIR           receiver data directory      (./data)
 *   UDPIX_START_LOSS               loss each way, 0..1          (0.05)
 *   UDPIX_START_DELAY_MS           delay each way, ms           (20)
 *   UDPIX_START_SKIP_BUILD=1       do not build first
 *   UDPIX_START_VERBOSE=1          echo every log line of the services
 * Flags: --no-build, --verbose, --exit (stop after the table, for scripts).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { buildApps } from './build';
import { fetchImage, postImage } from './http';
import { fixtureImages, noisePng, type SampleImage } from './images';
import { lossyLink } from './services';
import { startStack, type Stack } from './stack';
import { formatTransferTable, type TransferRow } from './table';

interface ImageSent {
  id: string;
  sha256: string;
  bytes: number;
  stats?: { datagramsSent: number; chunksRetransmitted: number; lossEstimate: number };
}

function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`npm start: ${name} must be a non-negative number, got "${text}"`);
    process.exit(2);
  }
  return value;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function sendOne(stack: Stack, image: SampleImage): Promise<TransferRow> {
  const res = await postImage<ImageSent | { code?: string; detail?: string }>(stack.sender.url, image.bytes, { name: image.name, contentType: image.contentType, timeoutMs: 180_000 });
  if (res.status !== 201) {
    const body = res.body as { code?: string; detail?: string };
    return { file: image.name, bytes: image.bytes.length, timeMs: res.ms, datagrams: 0, retransmitted: 0, lossSeen: 0, verified: false, error: `${res.status} ${body.code ?? ''}`.trim() };
  }
  const sent = res.body as ImageSent;
  const back = await fetchImage(stack.receiver.url, sent.id);
  const verified = sent.sha256 === sha256(image.bytes) && back.status === 200 && Buffer.compare(back.bytes, image.bytes) === 0;
  return {
    file: image.name,
    bytes: image.bytes.length,
    timeMs: res.ms,
    datagrams: sent.stats?.datagramsSent ?? 0,
    retransmitted: sent.stats?.chunksRetransmitted ?? 0,
    lossSeen: sent.stats?.lossEstimate ?? 0,
    verified,
  };
}

async function viewerNote(receiverUrl: string): Promise<string> {
  try {
    const res = await fetch(`${receiverUrl}/`, { signal: AbortSignal.timeout(3_000) });
    const type = res.headers.get('content-type') ?? '';
    await res.arrayBuffer();
    if (res.status === 200 && type.includes('html')) return '';
  } catch {
    // not served
  }
  return '  (the viewer page arrives with the next issue; the receiver does not serve it yet)';
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const verbose = args.has('--verbose') || process.env['UDPIX_START_VERBOSE'] === '1';
  const senderPort = envNumber('UDPIX_START_SENDER_PORT', 3000);
  const receiverPort = envNumber('UDPIX_START_RECEIVER_PORT', 3001);
  const receiverUdpPort = envNumber('UDPIX_START_RECEIVER_UDP_PORT', 5000);
  const relayPort = envNumber('UDPIX_START_RELAY_PORT', 0);
  const loss = envNumber('UDPIX_START_LOSS', 0.05);
  const delayMs = envNumber('UDPIX_START_DELAY_MS', 20);
  const dataDir = resolve(process.env['UDPIX_START_DATA_DIR'] || './data');

  if (!args.has('--no-build') && process.env['UDPIX_START_SKIP_BUILD'] !== '1') {
    console.log('Building sender and receiver (nx run-many -t build -p sender receiver)...');
    await buildApps();
  }

  console.log(`\nStarting receiver (HTTP ${receiverPort}, UDP ${receiverUdpPort}, data in ${dataDir}), relay (${(loss * 100).toFixed(1)}% loss, ${delayMs} ms delay each way) and sender (HTTP ${senderPort})...`);
  const stack = await startStack({
    dataDir,
    host: '0.0.0.0',
    receiverHttpPort: receiverPort,
    receiverUdpPort,
    relayPort,
    link: lossyLink(loss, delayMs),
    seed: 1,
    senders: [{ httpPort: senderPort }],
    onLine: (service, line) => {
      if (verbose || /\b(ERROR|WARN)\b/.test(line)) console.log(`[${service}] ${line}`);
    },
  });

  let stopping: Promise<void> | undefined;
  let stoppingSince = 0;
  const shutdown = (signal: string): void => {
    if (stopping) {
      // One Ctrl-C can arrive more than once (the terminal signals the whole
      // process group and npm forwards it too): only a later one forces.
      if (performance.now() - stoppingSince < 1_500) return;
      console.log('Forced exit.');
      process.exit(130);
    }
    stoppingSince = performance.now();
    console.log(`\n${signal}: stopping sender, relay and receiver...`);
    stopping = stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      },
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  console.log(`Relay udp ${stack.relay.endpoint} -> receiver udp 127.0.0.1:${stack.receiver.udpPort}\n`);
  console.log('Generating a 2000x1400 noise PNG with sharp (about 8.4 MB)...');
  const images = [...fixtureImages(), await noisePng(2000, 1400)];
  const rows: TransferRow[] = [];
  for (const image of images) {
    if (stopping) return;
    process.stdout.write(`  sending ${image.name} (${image.bytes.length} bytes)... `);
    const row = await sendOne(stack, image).catch((err: unknown): TransferRow => ({ file: image.name, bytes: image.bytes.length, timeMs: 0, datagrams: 0, retransmitted: 0, lossSeen: 0, verified: false, error: (err as Error).message }));
    console.log(row.error ?? (row.verified ? 'verified' : 'NOT VERIFIED'));
    rows.push(row);
  }

  console.log(`\n${formatTransferTable(rows)}\n`);
  const c = stack.relay.relay.counters();
  console.log(`relay: ${c.forward.sent} datagrams towards the receiver, ${c.forward.lost} dropped; ${c.backward.sent} back, ${c.backward.lost} dropped`);
  console.log('verified = the sha256 the receiver confirmed equals the local file\'s, and GET /v1/images/:id returned identical bytes.\n');

  const s = `http://localhost:${stack.sender.httpPort}`;
  const r = `http://localhost:${stack.receiver.httpPort}`;
  console.log('The services keep running:');
  console.log(`  sender API     ${s}/docs        (POST ${s}/v1/images)`);
  console.log(`  receiver API   ${r}/docs        (GET ${r}/v1/images, GET ${r}/v1/events, GET ${r}/metrics)`);
  console.log(`  viewer         ${r}/${await viewerNote(stack.receiver.url)}`);
  console.log(`\nTry: curl --data-binary @fixtures/images/rocket.jpg -H 'Content-Type: image/jpeg' '${s}/v1/images?name=rocket.jpg'`);
  console.log(`     curl -o back.jpg ${r}/v1/images/<id>`);
  if (rows.some((row) => !row.verified)) process.exitCode = 1;
  if (args.has('--exit')) {
    shutdown('--exit');
    return;
  }
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((err: unknown) => {
  console.error(`npm start: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
