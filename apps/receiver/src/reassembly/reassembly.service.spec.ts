import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ReceiverConfig } from '../config/receiver-config';
import { FakeTransport, events } from '../testing/fake-transport';
import { ReassemblyService } from './reassembly.service';
import { TRANSFER_EVENT_NAMES, type NamedTransferEvent } from './transfer-events';

// The service logs every outcome; the assertions say what matters here.
Logger.overrideLogger(false);

function setup(maxListed = 256): { service: ReassemblyService; transport: FakeTransport; seen: NamedTransferEvent[] } {
  const transport = new FakeTransport();
  const emitter = new EventEmitter2();
  const config = Object.assign(new ReceiverConfig(), { UDPIX_MAX_LISTED_TRANSFERS: maxListed });
  const service = new ReassemblyService(transport, emitter, config);
  service.onModuleInit();
  const seen: NamedTransferEvent[] = [];
  for (const name of TRANSFER_EVENT_NAMES) emitter.on(name, (payload: unknown) => seen.push({ name, payload } as NamedTransferEvent));
  return { service, transport, seen };
}

const A = '00000000000000aa';
const B = '00000000000000bb';

describe('ReassemblyService', () => {
  describe('handle', () => {
    it('maps a transfer’s life onto the application events, in order', () => {
      const { transport, seen } = setup();
      transport.push(events.started(A));
      transport.push(events.progress(A, 500));
      transport.push(events.gap(A));
      transport.push(events.gapRepaired(A));
      transport.push(events.completed(A));
      expect(seen.map((e) => e.name)).toEqual(['transfer.started', 'transfer.progress', 'transfer.gap', 'transfer.gap-repaired', 'transfer.completed']);
      expect(seen[0]?.payload).toMatchObject({ transferId: A, name: 'a.png', contentType: 'image/png', totalBytes: 1000, chunkCount: 10, sha256: 'ab'.repeat(32) });
      expect(seen[1]?.payload).toMatchObject({ bytes: 500, totalBytes: 1000, percent: 50 });
      expect(seen[2]?.payload).toMatchObject({ ranges: [{ start: 2, length: 3 }], chunks: 3 });
      expect(seen[4]?.payload).toMatchObject({ transferId: A, bytes: 1000 });
    });

    it('reports a failure with its code and message', () => {
      const { transport, seen } = setup();
      transport.push(events.started(A));
      transport.push(events.failed(A));
      expect(seen[1]).toMatchObject({ name: 'transfer.failed', payload: { transferId: A, code: 'TIMEOUT', message: 'peer went silent' } });
    });

    it('ignores sender-role events (reply transfers)', () => {
      const { transport, seen } = setup();
      transport.push({ ...events.completed(A), role: 'sender' });
      expect(seen).toEqual([]);
    });

    it('adds the stored image id to transfer.completed', () => {
      const { service, transport, seen } = setup();
      transport.push(events.started(A));
      service.noteStored(A, A);
      transport.push(events.completed(A));
      expect(seen[1]?.payload).toMatchObject({ imageId: A });
    });
  });

  describe('list', () => {
    it('tracks progress and open gaps of transfers in flight and forgets finished ones', () => {
      const { service, transport } = setup();
      transport.push(events.started(A));
      transport.push(events.started(B));
      transport.push(events.progress(A, 250));
      transport.push(events.gap(A));
      expect(service.list().map((t) => [t.transferId, t.bytes, t.percent, t.openGaps])).toEqual([
        [A, 250, 25, 1],
        [B, 0, 0, 0],
      ]);
      transport.push(events.completed(A));
      expect(service.list().map((t) => t.transferId)).toEqual([B]);
    });

    it('is bounded: the oldest drop out beyond the limit', () => {
      const { service, transport } = setup(2);
      for (const id of ['0000000000000001', '0000000000000002', '0000000000000003']) transport.push(events.started(id));
      expect(service.list().map((t) => t.transferId)).toEqual(['0000000000000002', '0000000000000003']);
    });
  });

  describe('whenIdle', () => {
    it('resolves true when the last transfer ends', async () => {
      const { service, transport } = setup();
      transport.push(events.started(A));
      const idle = service.whenIdle(10_000);
      transport.push(events.completed(A));
      await expect(idle).resolves.toBe(true);
    });

    it('resolves false after the timeout', async () => {
      const { service, transport } = setup();
      transport.push(events.started(A));
      await expect(service.whenIdle(5)).resolves.toBe(false);
    });
  });
});
