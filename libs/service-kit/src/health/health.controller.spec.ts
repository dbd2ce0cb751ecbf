import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyHttpDefaults } from '../http-defaults';
import { listenOnFreePort } from '../testing/listen';
import { createHealthController } from './health.controller';
import { HEALTH_CHECKS, type HealthCheck } from './health.types';

async function boot(checks?: HealthCheck[]): Promise<{ app: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({
    controllers: [createHealthController({ service: 'receiver' })],
    providers: checks ? [{ provide: HEALTH_CHECKS, useValue: checks }] : [],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  applyHttpDefaults(app);
  return { app, base: await listenOnFreePort(app) };
}

describe('createHealthController', () => {
  it('reports ok with the service name when there are no checks', async () => {
    const { app, base } = await boot();
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'receiver', checks: {} });
    await app.close();
  });

  it('answers 503 naming the failing checks, including ones that throw', async () => {
    const { app, base } = await boot([
      { name: 'udp', check: () => ({ ok: true }) },
      { name: 'store', check: () => Promise.reject(new Error('read-only file system')) },
    ]);
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 503,
      detail: 'failing checks: store',
      service: 'receiver',
      checks: { udp: { ok: true }, store: { ok: false, detail: 'read-only file system' } },
    });
    await app.close();
  });
});
