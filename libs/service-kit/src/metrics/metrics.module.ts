import { Module, type DynamicModule } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY, type MetricsOptions } from './metrics.tokens';

/** A fresh Registry with the default process metrics on it (not the global one: tests boot many apps per process). */
export function createRegistry(options: MetricsOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: options.prefix ?? '' });
  return registry;
}

/**
 * `GET /metrics` plus the app's Registry under METRICS_REGISTRY. Global, so
 * any provider can inject the registry and register its own metrics on it.
 */
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsOptions = {}): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: METRICS_REGISTRY, useFactory: () => createRegistry(options) }],
      exports: [METRICS_REGISTRY],
    };
  }
}
