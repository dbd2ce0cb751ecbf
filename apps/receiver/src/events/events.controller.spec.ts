import { bootHttp, type HttpHarness } from '../testing/http-harness';
import { events } from '../testing/fake-transport';
import { SseReader } from '@udpix/service-kit';

const A = '00000000000000aa';

describe('EventsController', () => {
  let h: HttpHarness;

  beforeEach(async () => {
    h = await bootHttp({ UDPIX_SSE_HEARTBEAT_MS: 50 });
  });

  afterEach(async () => {
    await h.close();
  });

  describe('events', () => {
    it('starts with a snapshot, then carries every reassembly event by name with JSON data and ids', async () => {
      h.transport.push(events.started('00000000000000cc'));
      const sse = await SseReader.open(`${h.base}/v1/events`);
      expect(sse.status).toBe(200);
      expect(sse.contentType).toContain('text/event-stream');
      const snapshot = await sse.next((m) => m.event === 'snapshot');
      expect(JSON.parse(snapshot.data ?? '')).toEqual({ transfers: [expect.objectContaining({ transferId: '00000000000000cc' })] });

      h.transport.push(events.started(A));
      h.transport.push(events.progress(A, 500));
      h.transport.push(events.gap(A));
      h.transport.push(events.gapRepaired(A));
      h.transport.push(events.completed(A));
      const names: string[] = [];
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const m = await sse.next((x) => x.event !== undefined && x.event.startsWith('transfer.'));
        names.push(m.event ?? '');
        ids.push(Number(m.id));
        expect(JSON.parse(m.data ?? '')).toMatchObject({ transferId: A });
      }
      expect(names).toEqual(['transfer.started', 'transfer.progress', 'transfer.gap', 'transfer.gap-repaired', 'transfer.completed']);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      sse.close();
    });

    it('sends heartbeat comments while idle', async () => {
      const sse = await SseReader.open(`${h.base}/v1/events`);
      await expect(sse.next((m) => m.comment === 'heartbeat')).resolves.toEqual({ comment: 'heartbeat' });
      sse.close();
    });

    it('ends open streams at shutdown, after the drain, so the server can close', async () => {
      const sse = await SseReader.open(`${h.base}/v1/events`);
      await sse.next((m) => m.event === 'snapshot');
      const closing = h.app.close();
      await sse.closedByServer();
      await closing;
      expect(h.transport.drained).toBe(true);
      // Then the transport closes, lingering as configured.
      expect(h.transport.closedWith).toEqual({ lingerMs: 2000 });
    });
  });
});
