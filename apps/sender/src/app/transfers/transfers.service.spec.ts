import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import { loadConfig } from '@udpix/service-kit';
import { FakeImageClient } from '../../testing/fake-image-client';
import { SenderConfig } from '../config/sender-config';
import { SenderMetrics } from '../metrics/sender-metrics';
import { ImageSendError } from '../udp/image-client';
import { TransferRefusedError } from './transfer-refused.error';
import { TransfersService, type TransferInput } from './transfers.service';

const BYTES = Buffer.from('image bytes');
const SHA = createHash('sha256').update(BYTES).digest('hex');

function input(sha256 = SHA): TransferInput {
  return { to: { host: '127.0.0.1', port: 5000 }, bytes: BYTES, format: 'png', sha256, meta: { name: 'a.png', contentType: 'image/png', width: 1, height: 1 } };
}

describe('TransfersService', () => {
  let client: FakeImageClient;
  let registry: Registry;
  let service: TransfersService;

  function make(env: Record<string, string> = {}): TransfersService {
    client = new FakeImageClient();
    client.behaviour = { kind: 'hold' };
    registry = new Registry();
    service = new TransfersService(loadConfig(SenderConfig, env), client, new SenderMetrics(registry));
    return service;
  }

  beforeEach(() => make());

  describe('start', () => {
    it('records a running transfer, then its receipt and stats', async () => {
      const { record, done } = service.start(input());
      expect(service.get(record.id)).toMatchObject({ state: 'sending', transferId: '0000000000000001', receiver: '127.0.0.1:5000' });
      FakeImageClient.complete(client.sends[0]);
      const final = await done;
      expect(final).toMatchObject({ state: 'completed', receipt: { id: 'img-1' }, bytesConfirmed: BYTES.length });
      expect(final.stats?.chunksRetransmitted).toBe(3);
      expect(await registry.getSingleMetricAsString('udpix_sender_transfers_total')).toContain('outcome="completed"} 1');
      expect(await registry.getSingleMetricAsString('udpix_sender_retransmissions_total')).toMatch(/ 3$/m);
    });

    it('fails a transfer whose receipt has another sha256', async () => {
      const { done } = service.start(input());
      FakeImageClient.complete(client.sends[0], 'f'.repeat(64));
      expect(await done).toMatchObject({ state: 'failed', error: { kind: 'rejected', code: 'HASH_MISMATCH' } });
    });

    it('keeps the kind and code of a failed send', async () => {
      const { done } = service.start(input());
      client.sends[0].reject(new ImageSendError('unreachable', 'TIMEOUT', 'no answer'));
      expect(await done).toMatchObject({ state: 'failed', error: { kind: 'unreachable', code: 'TIMEOUT' } });
      expect(await registry.getSingleMetricAsString('udpix_sender_transfers_total')).toContain('outcome="unreachable"} 1');
    });

    it('refuses a transfer beyond UDPIX_MAX_TRANSFERS', () => {
      make({ UDPIX_MAX_TRANSFERS: '2' });
      service.start(input());
      service.start(input());
      expect(() => service.start(input())).toThrow(TransferRefusedError);
      expect(() => service.assertAccepting()).toThrow(/UDPIX_MAX_TRANSFERS=2/);
    });

    it('forgets the oldest finished transfers beyond UDPIX_KEEP_FINISHED', async () => {
      make({ UDPIX_KEEP_FINISHED: '2' });
      client.behaviour = { kind: 'fail', failure: 'rejected', code: 'TOO_LARGE' };
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const { record, done } = service.start(input());
        ids.push(record.id);
        await done;
      }
      expect(ids.map((id) => service.get(id)?.state)).toEqual([undefined, 'failed', 'failed']);
    });
  });

  describe('drain', () => {
    it('refuses new transfers and resolves once those in flight finished', async () => {
      const { done } = service.start(input());
      let drained = false;
      const draining = service.drain(10_000).then(() => (drained = true));
      expect(() => service.start(input())).toThrow(/shutting down/);
      expect(drained).toBe(false);
      client.sends[0].reject(new ImageSendError('rejected', 'X', 'x'));
      await done;
      await draining;
      expect(client.closed).toBe(true);
    });

    it('aborts what is still in flight after the drain timeout', async () => {
      const { done } = service.start(input());
      const close = jest.spyOn(client, 'close');
      await service.drain(20);
      expect(close).toHaveBeenCalled();
      expect(await done).toMatchObject({ state: 'failed', error: { code: 'CLOSED' } });
      expect(service.inFlight()).toBe(0);
    });
  });
});
