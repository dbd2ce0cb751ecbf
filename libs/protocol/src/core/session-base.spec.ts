import { MessageType, Reason, type Message, type OfferBody } from '../wire/messages';
import { resolveEndpointConfig } from './config';
import { RttEstimator } from './rtt-estimator';
import type { Outgoing } from './session';
import { SessionBase, type SessionBaseParams } from './session-base';
import { sha256 } from './stats';
import type { EndpointConfigInput, EndpointEvent } from './types';

const ID = '0011223344556677';

/** The smallest concrete session: exposes the protected helpers the two real sessions share. */
class TestSession extends SessionBase<'live' | 'done'> {
  readonly role = 'sender' as const;
  state: 'live' | 'done' = 'live';
  readonly rtt = new RttEstimator(100);
  doneBytes = 0;

  // Public here: the base's constructor is protected so that only real sessions are built from it.
  constructor(params: SessionBaseParams) {
    super(params);
  }

  protected get bytesDone(): number {
    return this.doneBytes;
  }

  protected lossEstimate(): number {
    return 0.25;
  }

  handleTimeout(now: number): void {
    this.tick(now);
  }

  pollTransmit(): Outgoing | undefined {
    return undefined;
  }

  pollTimeout(): number | undefined {
    return this.lastNow;
  }

  abort(reason: Reason, message: string, now: number): void {
    this.finish({ type: MessageType.ABORT, flags: 0, transferId: this.transferId, seq: this.seq++, body: { reason, message } });
    this.endedAt = now;
    this.emitFailed(reason, message, now);
  }

  finish(final: Message): void {
    this.finalMessage = final;
    this.done = true;
    this.state = 'done';
  }

  callProgress(now: number, force = false): void {
    this.progress(now, force);
  }

  callCount(length: number): Outgoing {
    return this.count({ type: MessageType.PING, datagram: [], length });
  }

  callEmitFailed(peerMessage: string | undefined, now: number): void {
    this.emitFailed(Reason.APPLICATION, 'receiver failed: x', now, peerMessage);
  }

  callEmitCompleted(now: number): void {
    this.emitCompleted(Uint8Array.of(9), now);
  }
}

function setup(input: EndpointConfigInput = {}) {
  const events: EndpointEvent[] = [];
  const data = new Uint8Array(3000);
  const offer: OfferBody = {
    totalSize: 3000,
    chunkSize: 1448,
    chunkCount: 3,
    sha256: sha256(data),
    createdAt: 0,
    contentType: 'image/png',
    name: 'a.png',
    metadata: new Uint8Array(0),
    preview: new Uint8Array(0),
  };
  const config = resolveEndpointConfig({ progressIntervalMs: 100, ...input });
  const s = new TestSession({ transferId: ID, peer: 'p', offer, now: 10, context: { config, emit: (e) => events.push(e) } });
  return { s, events };
}

describe('SessionBase', () => {
  it('hands the final message out once, and reports finished', () => {
    const { s } = setup();
    expect(s.finished).toBe(false);
    expect(s.takeFinal()).toBeUndefined();
    s.abort(Reason.CANCELLED, 'bye', 20);
    expect(s.finished).toBe(true);
    expect(s.takeFinal()?.type).toBe(MessageType.ABORT);
    expect(s.takeFinal()).toBeUndefined();
  });

  it('counts received and sent datagrams, and keeps the latest time', () => {
    const { s } = setup();
    s.noteReceived(100, 50);
    s.noteReceived(20, 40); // time running backwards does not move lastNow back
    expect(s.callCount(64).length).toBe(64);
    expect(s.stats).toMatchObject({ datagramsReceived: 2, bytesReceived: 120, datagramsSent: 1, bytesSent: 64 });
    expect(s.pollTimeout()).toBe(50);
  });

  it('describes itself in info() with the OFFER’s name, sizes and the role’s bytes done', () => {
    const { s } = setup();
    s.doneBytes = 1448;
    expect(s.info(110)).toMatchObject({
      transferId: ID,
      role: 'sender',
      peer: 'p',
      state: 'live',
      name: 'a.png',
      contentType: 'image/png',
      totalBytes: 3000,
      bytes: 1448,
      stats: { durationMs: 100, lossEstimate: 0.25, goodputBytesPerSec: 14_480 },
    });
  });

  it('throttles progress to one per progressIntervalMs, only when bytes moved, unless forced', () => {
    const { s, events } = setup();
    s.doneBytes = 1;
    s.callProgress(10);
    s.doneBytes = 2;
    s.callProgress(50); // too soon
    s.callProgress(110);
    s.callProgress(300); // no new bytes
    s.doneBytes = 3;
    s.callProgress(120, true);
    expect(events.map((e) => (e.type === 'progress' ? e.bytes : -1))).toEqual([1, 2, 3]);
  });

  it('emits completed with the OFFER’s hash and failed with peerMessage only when given', () => {
    const { s, events } = setup();
    s.callEmitCompleted(20);
    s.callEmitFailed(undefined, 20);
    s.callEmitFailed('x', 20);
    expect(events[0]).toMatchObject({ type: 'completed', role: 'sender', bytes: 3000, result: Uint8Array.of(9) });
    expect(events[0].type === 'completed' && events[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events[1]).toMatchObject({ type: 'failed', reason: Reason.APPLICATION, code: 'APPLICATION', message: 'receiver failed: x' });
    expect('peerMessage' in events[1]).toBe(false);
    expect(events[2]).toMatchObject({ type: 'failed', peerMessage: 'x' });
  });
});
