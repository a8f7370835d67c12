/**
 * The metrics port: what services and the composition root need to publish figures, without
 * naming a metrics library (the adapter in adapters/metrics/ implements it with prom-client).
 *
 * Label values come from closed sets (routes, reasons, states), never from ids of users or
 * devices; a counter still caps its series so a bug cannot grow memory or a scrape without bound.
 */

/** One series' labels: every value from a closed set. */
export type MetricLabels = Readonly<Record<string, string>>;

export interface MetricSample {
  readonly labels?: MetricLabels;
  readonly value: number;
}

export interface MetricSpec {
  /** Prometheus metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`), with its unit as a suffix (`_seconds`, `_total`). */
  readonly name: string;
  readonly help: string;
  /** Fixed at creation (default none). */
  readonly labelNames?: readonly string[];
  /**
   * `worker` (default): this worker's own figures, labelled with its worker id, to be summed across
   * workers. `fleet`: the state of the whole fleet read from the database, the same on every
   * worker, without the worker label (aggregate with max, never sum).
   */
  readonly scope?: "worker" | "fleet";
}

/** A counter whose series are created on first increment. */
export interface CounterInstrument {
  /** Adds `by` (default 1) to the series with these labels; a negative or non-finite `by` is ignored. */
  inc(labels?: MetricLabels, by?: number): void;
}

/** A histogram of durations in seconds. */
export interface LatencyHistogram {
  /** Records one duration, in seconds. */
  observe(seconds: number, labels?: MetricLabels): void;
  /**
   * Starts timing on a monotonic clock; calling the result records the seconds elapsed (once), with
   * labels known only at the end (the outcome).
   */
  startTimer(): (labels?: MetricLabels) => void;
}

export interface Metrics {
  /**
   * A counter this registry owns. Past `maxSeries` distinct label sets (default 500), further
   * series are folded into one with every label `other`.
   */
  counter(spec: MetricSpec, maxSeries?: number): CounterInstrument;
  /** A histogram of durations; `bucketsS` are the upper bounds in seconds, ascending. */
  histogram(spec: MetricSpec & { readonly bucketsS: readonly number[] }): LatencyHistogram;
  /**
   * A family whose samples are read at scrape time (counters kept by a service, gauges of state).
   * If `collect` fails, the scrape still succeeds with the family's previous samples (the failure
   * is counted in `arrival_metrics_collect_failures_total`).
   */
  collected(
    spec: MetricSpec & { readonly type: "counter" | "gauge" },
    collect: () => readonly MetricSample[] | Promise<readonly MetricSample[]>,
  ): void;
}

/** What `GET /metrics` serves. */
export interface MetricsExposition {
  /** The HTTP content type of `render`'s text (the Prometheus text format 0.0.4). */
  readonly contentType: string;
  /** Every family, this cloud's and the process's. */
  render(): Promise<string>;
}
