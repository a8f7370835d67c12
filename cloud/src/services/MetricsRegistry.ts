/**
 * A small metrics registry rendering the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): `# HELP` and `# TYPE` once per
 * family, then one `name{label="value"} number` line per series.
 *
 * Label values come from closed sets (routes, reasons, states), never from ids of users or
 * devices; each counter still caps its series so a bug cannot grow memory or a scrape without
 * bound (extra series are folded into one with every label `other`).
 */

export type MetricType = "counter" | "gauge";
export type Labels = Readonly<Record<string, string>>;

export interface MetricSample {
  readonly labels?: Labels;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly collect: () => readonly MetricSample[] | Promise<readonly MetricSample[]>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Content type of the 0.0.4 text format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A counter whose series are created on first increment. */
export class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly maxSeries: number,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) return; // counters only go up [exposition format: counter]
    const names = this.labelNames;
    let key = names.map((n) => labels[n] ?? "").join("\u0000");
    let entry = this.series.get(key);
    if (!entry) {
      let own: Labels = Object.fromEntries(names.map((n) => [n, labels[n] ?? ""]));
      if (this.series.size >= this.maxSeries) {
        own = Object.fromEntries(names.map((n) => [n, "other"]));
        key = names.map(() => "other").join("\u0000");
      }
      entry = this.series.get(key) ?? { labels: own, value: 0 };
      this.series.set(key, entry);
    }
    entry.value += by;
  }

  /** The value of one series (0 when it has none yet). */
  value(labels: Labels = {}): number {
    return this.series.get(this.labelNames.map((n) => labels[n] ?? "").join("\u0000"))?.value ?? 0;
  }

  samples(): MetricSample[] {
    return [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value }));
  }
}

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  /** A counter this registry owns; `labelNames` are fixed at creation. */
  counter(name: string, help: string, labelNames: readonly string[] = [], maxSeries = 500): Counter {
    for (const label of labelNames) if (!LABEL.test(label)) throw new Error(`invalid label name ${label}`);
    const counter = new Counter(labelNames, maxSeries);
    this.register(name, help, "counter", () => counter.samples());
    return counter;
  }

  /** A family whose samples are read at scrape time (counters kept elsewhere, gauges of state). */
  register(name: string, help: string, type: MetricType, collect: Family["collect"]): void {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    if (this.families.has(name)) throw new Error(`metric ${name} is registered twice`);
    this.families.set(name, { name, help, type, collect });
  }

  /** The whole exposition; a family whose collector fails is left out (and named in a comment). */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const family of this.families.values()) {
      let samples: readonly MetricSample[];
      try {
        samples = await family.collect();
      } catch {
        lines.push(`# ${family.name} could not be collected`);
        continue;
      }
      lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
      lines.push(`# TYPE ${family.name} ${family.type}`);
      for (const sample of samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

/** Label values escape backslash, double quote and line feed. */
function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
