import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter, Registry, register as globalRegistry } from 'prom-client';
import { listenOnFreePort } from '../testing/listen';
import { MetricsModule } from './metrics.module';
import { METRICS_REGISTRY } from './metrics.tokens';

@Injectable()
class Work {
  readonly done: Counter;
  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.done = new Counter({ name: 'test_work_total', help: 'work done', registers: [registry] });
  }
}

// A feature module: the registry must reach it without importing MetricsModule again.
@Module({ providers: [Work], exports: [Work] })
class WorkModule {}

async function boot(): Promise<{ app: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({ imports: [MetricsModule.forRoot({ prefix: 'test_' }), WorkModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  return { app, base: await listenOnFreePort(app) };
}

describe('MetricsModule', () => {
  let a: { app: INestApplication; base: string };
  let b: { app: INestApplication; base: string };

  beforeAll(async () => {
    a = await boot();
    b = await boot();
  });

  afterAll(async () => {
    await a.app.close();
    await b.app.close();
  });

  describe('forRoot', () => {
    it('serves GET /metrics in the Prometheus text format with the default metrics', async () => {
      const res = await fetch(`${a.base}/metrics`);
      expect(res.status).toBe(200);
      // Express reorders the parameters (charset first); Prometheus reads either order.
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('test_process_cpu_user_seconds_total');
      expect(text).toContain('# HELP test_work_total work done');
    });

    it('gives each app its own registry, never the global one', async () => {
      a.app.get(Work).done.inc(3);
      const textA = await (await fetch(`${a.base}/metrics`)).text();
      const textB = await (await fetch(`${b.base}/metrics`)).text();
      expect(textA).toContain('test_work_total 3');
      expect(textB).toContain('test_work_total 0');
      expect(a.app.get(METRICS_REGISTRY)).not.toBe(b.app.get(METRICS_REGISTRY));
      expect(await globalRegistry.metrics()).not.toContain('test_work_total');
    });
  });
});
