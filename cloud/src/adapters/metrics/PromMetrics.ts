import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type {
  CounterInstrument,
  LatencyHistogram,
  MetricLabels,
  MetricSample,
  MetricSpec,
  Metrics,
  MetricsExposition,
} from "../../services/Metrics.js";

/**
 * The process's own metrics (`process_*`, `nodejs_*`: CPU, memory, heap, event-loop lag, GC), under
 * the names every Prometheus client library uses, so existing dashboards and alerts work unchanged.
 * One registry per process, created on first use and shared: these figures are the process's, and
 * the collectors prom-client starts (an event-loop delay monitor, a GC observer) cannot be stopped,
 * so one per cloud would pile up in a test process that builds many clouds.
 */
let processRegistry: Registry | undefined;

function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The cloud's metrics in a private prom-client registry (never the library's global one, so two
 * clouds in one process keep their own figures), rendered in the Prometheus text format 0.0.4
 * together with the process's metrics.
 */
export class PromMetrics implements Metrics, MetricsExposition {
  readonly contentType = Registry.PROMETHEUS_CONTENT_TYPE;
  /** This worker's families (labelled `worker` when a worker id is given). */
  private readonly registry = new Registry();
  /** Fleet state read from the database: the same on every worker, so not labelled by worker. */
  private readonly fleetRegistry = new Registry();
  private readonly collectFailures: Counter;
  /** Reads of the families `collected` registered, run before each render. */
  private readonly collectors: (() => Promise<void>)[] = [];

  /** `workerId`: the label `worker` on every per-worker family (default: none, one process). */
  constructor(options: { readonly workerId?: string } = {}) {
    if (options.workerId !== undefined) this.registry.setDefaultLabels({ worker: options.workerId });
    // Started with the first cloud rather than at the first scrape, so lag and GC are seen from then.
    processMetricsRegistry();
    this.collectFailures = new Counter({
      name: "arrival_metrics_collect_failures_total",
      help: "Scrapes that served a family's previous samples because reading them failed, by family.",
      labelNames: ["metric"],
      registers: [this.registry],
    });
  }

  counter(spec: MetricSpec, maxSeries = 500): CounterInstrument {
    const labelNames = spec.labelNames ?? [];
    const counter = new Counter({
      name: spec.name,
      help: spec.help,
      labelNames: [...labelNames],
      registers: [this.registry],
    });
    const seen = new Set<string>();
    const folded = Object.fromEntries(labelNames.map((n) => [n, "other"]));
    return {
      inc(labels = {}, by = 1) {
        if (!(by >= 0) || !Number.isFinite(by)) return; // counters only go up [exposition format: counter]
        let own = Object.fromEntries(labelNames.map((n) => [n, labels[n] ?? ""]));
        const key = labelNames.map((n) => own[n]).join("\u0000");
        if (!seen.has(key)) {
          if (seen.size >= maxSeries) own = folded;
          else seen.add(key);
        }
        counter.inc(own, by);
      },
    };
  }

  histogram(spec: MetricSpec & { readonly bucketsS: readonly number[] }): LatencyHistogram {
    const histogram = new Histogram({
      name: spec.name,
      help: spec.help,
      labelNames: [...(spec.labelNames ?? [])],
      buckets: [...spec.bucketsS],
      registers: [this.registry],
    });
    return {
      observe(seconds, labels) {
        if (!Number.isFinite(seconds)) return;
        if (labels) histogram.observe(labels, seconds);
        else histogram.observe(seconds);
      },
      startTimer() {
        const end = histogram.startTimer();
        return (labels?: MetricLabels) => {
          end(labels);
        };
      },
    };
  }

  collected(
    spec: MetricSpec & { readonly type: "counter" | "gauge" },
    collect: () => readonly MetricSample[] | Promise<readonly MetricSample[]>,
  ): void {
    const registry = spec.scope === "fleet" ? this.fleetRegistry : this.registry;
    const config = { name: spec.name, help: spec.help, labelNames: [...(spec.labelNames ?? [])], registers: [registry] };
    const metric = spec.type === "counter" ? new Counter(config) : new Gauge(config);
    const apply = (samples: readonly MetricSample[]): void => {
      metric.reset();
      for (const s of samples) {
        if (metric instanceof Counter) metric.inc(s.labels ?? {}, s.value);
        else metric.set(s.labels ?? {}, s.value);
      }
    };
    this.collectors.push(async () => {
      let samples: readonly MetricSample[];
      try {
        samples = await collect();
      } catch {
        // The previous figures stay: zeros would look like a counter reset to Prometheus.
        this.collectFailures.inc({ metric: spec.name });
        return;
      }
      apply(samples);
    });
  }

  async render(): Promise<string> {
    // Every read first (concurrently, so families sharing one query share it), then the text, so
    // the exposition is one consistent picture including this scrape's collection failures.
    await Promise.all(this.collectors.map((read) => read()));
    const own = await this.registry.metrics();
    const fleet = await this.fleetRegistry.metrics();
    return `${own}\n${fleet === "" ? "" : `${fleet}\n`}${await processMetricsRegistry().metrics()}`;
  }
}
