/**
 * The node's Prometheus metrics: one registry per running node (never
 * prom-client's global one, so several nodes in one test process keep their
 * own counts), with typed handles the rest of the node increments. The
 * process-wide metrics (CPU, memory, event loop, GC) live in one registry per
 * process, created on the first scrape that asks for them, and are merged in
 * when the node's metrics are rendered.
 * @module
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds; from a cached read (~1 ms) to a slow disk or database round trip (~5 s). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface NodeMetrics {
  /** HTTP requests answered, by route template (never the raw URL: bounded cardinality), method and status. */
  readonly requests: Counter<'route' | 'method' | 'status'>;
  /** Seconds from request to reply, by route template and method. */
  readonly requestDuration: Histogram<'route' | 'method'>;
  /** Order steps committed, by plugin and step. */
  readonly ordersCommitted: Counter<'plugin' | 'step'>;
  /** Signed requests refused because their signature did not verify. */
  readonly failedSignatures: Counter;
  /** Requests refused by a limit, by the limit's reason. */
  readonly rateLimited: Counter<'reason'>;
  /** Tasks waiting for a worker of the crypto pool; read from `watchPoolQueue`'s source at each scrape. */
  readonly poolQueueDepth: Gauge;
  /** Seconds per storage operation, by backend (files, postgres, …) and operation (put, get, …). */
  readonly storageLatency: Histogram<'backend' | 'op'>;
  /** Sets the callback `poolQueueDepth` reads at each scrape (the last one set wins). */
  watchPoolQueue(source: () => number): void;
  /** The Prometheus text exposition of this node's metrics, plus the process's when `withProcess`. */
  render(withProcess: boolean): Promise<string>;
  /** The Content-Type of `render`'s text. */
  readonly contentType: string;
}

export function createNodeMetrics(): NodeMetrics {
  const registry = new Registry();
  const registers = [registry];
  let poolSource: () => number = () => 0;
  return {
    requests: new Counter({
      name: 'dta_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'dta_http_request_duration_seconds',
      help: 'Seconds from request to reply, by route template and method.',
      labelNames: ['route', 'method'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    ordersCommitted: new Counter({
      name: 'dta_orders_committed_total',
      help: 'Order steps committed, by plugin and step.',
      labelNames: ['plugin', 'step'] as const,
      registers,
    }),
    failedSignatures: new Counter({
      name: 'dta_failed_signatures_total',
      help: 'Signed requests refused because their signature did not verify.',
      registers,
    }),
    rateLimited: new Counter({
      name: 'dta_rate_limited_total',
      help: 'Requests refused by a limit, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    poolQueueDepth: new Gauge({
      name: 'dta_pool_queue_depth',
      help: 'Tasks waiting for a worker of the crypto pool.',
      registers,
      collect() {
        this.set(poolSource());
      },
    }),
    storageLatency: new Histogram({
      name: 'dta_storage_duration_seconds',
      help: 'Seconds per storage operation, by backend and operation.',
      labelNames: ['backend', 'op'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    watchPoolQueue(source) {
      poolSource = source;
    },
    async render(withProcess) {
      return withProcess ? Registry.merge([processRegistry(), registry]).metrics() : registry.metrics();
    },
    contentType: registry.contentType,
  };
}

let processMetrics: Registry | undefined;

/** One per process: its collectors (GC observer, event-loop monitor) are never stopped, so never make two. */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}
