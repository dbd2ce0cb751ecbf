/**
 * A receiver, an impairment relay in front of its UDP port, and one or more
 * senders pointed at the relay: what `npm start` runs and what every e2e
 * spec starts. stop() tears down in reverse order and never throws.
 */
import type { LinkConfigInput } from '@udpix/protocol';
import { startReceiver, startRelay, startSender, type RunningReceiver, type RunningRelay, type RunningSender } from './services';

export interface StackOptions {
  dataDir: string;
  /** Link impairments, both directions (forward/backward override). */
  link?: LinkConfigInput;
  forward?: LinkConfigInput;
  backward?: LinkConfigInput;
  seed?: number;
  receiverHttpPort?: number;
  receiverUdpPort?: number;
  relayPort?: number;
  /** One entry per sender process; its HTTP port (0 = free) and extra env. */
  senders?: Array<{ httpPort?: number; env?: Record<string, string | undefined> }>;
  receiverEnv?: Record<string, string | undefined>;
  /** Bind address of the services (127.0.0.1 unless given). */
  host?: string;
  onLine?: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Stack {
  receiver: RunningReceiver;
  relay: RunningRelay;
  senders: RunningSender[];
  /** The first sender. */
  sender: RunningSender;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const parts: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const p of parts.reverse()) await p.stop().catch((err: unknown) => errors.push(err));
    parts.length = 0;
    if (errors.length > 0) console.error(`stack: ${errors.length} error(s) while stopping`, errors);
  };
  const lineFor = (service: string) => (options.onLine ? (line: string, stream: 'stdout' | 'stderr') => options.onLine?.(service, line, stream) : undefined);
  try {
    const receiver = await startReceiver({
      dataDir: options.dataDir,
      httpPort: options.receiverHttpPort,
      udpPort: options.receiverUdpPort,
      host: options.host,
      env: options.receiverEnv,
      onLine: lineFor('receiver'),
    });
    parts.push(receiver);
    const relay = await startRelay({
      targetPort: receiver.udpPort,
      listenPort: options.relayPort,
      forward: { ...options.link, ...options.forward },
      backward: { ...options.link, ...options.backward },
      seed: options.seed,
    });
    parts.push(relay);
    const specs = options.senders ?? [{}];
    const senders: RunningSender[] = [];
    for (const [i, spec] of specs.entries()) {
      const name = specs.length > 1 ? `sender-${i + 1}` : 'sender';
      const sender = await startSender({ name, receiver: relay.endpoint, httpPort: spec.httpPort, host: options.host, env: spec.env, onLine: lineFor(name) });
      parts.push(sender);
      senders.push(sender);
    }
    return { receiver, relay, senders, sender: senders[0] as RunningSender, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
