/** Injection token of the app's prom-client Registry (one per app, never the global default). */
export const METRICS_REGISTRY = Symbol('udpix:metrics-registry');

export interface MetricsOptions {
  /** Collect prom-client's default process metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean;
  /** Prefix of the default metrics' names, e.g. `udpix_receiver_`. Default ''. */
  prefix?: string;
  /** Labels added to every metric of the registry, e.g. `{ service: 'receiver' }`. */
  defaultLabels?: Record<string, string>;
}
