import { describe, expect, it } from "vitest";
import { PromMetrics } from "../../../cloud/src/adapters/metrics/PromMetrics.js";
import { parsePrometheusText } from "../../support/prometheusText.js";

describe("PromMetrics", () => {
  it("renders valid 0.0.4 text: HELP and TYPE once per family, escaped labels and help, special values", async () => {
    const metrics = new PromMetrics();
    const requests = metrics.counter({
      name: "demo_requests_total",
      help: 'Requests.\nBy route "pattern" \\ status.',
      labelNames: ["route"],
    });
    requests.inc({ route: '/a "quoted"\\path\nnext' });
    requests.inc({ route: "/b" }, 2);
    requests.inc({ route: "/b" });
    requests.inc({ route: "/b" }, -5); // ignored: a counter never goes down
    metrics.collected({ name: "demo_gauge", help: "A gauge.", labelNames: ["kind"], type: "gauge" }, () => [
      { labels: { kind: "inf" }, value: Infinity },
      { labels: { kind: "nan" }, value: NaN },
      { labels: { kind: "small" }, value: 1.5e-7 },
    ]);
    const text = await metrics.render();
    const parsed = parsePrometheusText(text);
    expect(parsed.value("demo_requests_total", { route: '/a "quoted"\\path\nnext' })).toBe(1);
    expect(parsed.value("demo_requests_total", { route: "/b" })).toBe(3);
    expect(parsed.value("demo_gauge", { kind: "inf" })).toBe(Infinity);
    expect(parsed.value("demo_gauge", { kind: "nan" })).toBeNaN();
    expect(parsed.value("demo_gauge", { kind: "small" })).toBe(1.5e-7);
    expect(text).toContain('# HELP demo_requests_total Requests.\\nBy route "pattern" \\\\ status.\n');
    expect(metrics.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
  });

  it("serves a family's previous samples when reading them fails, and counts the failure", async () => {
    const metrics = new PromMetrics();
    let fail = false;
    let value = 4;
    metrics.collected({ name: "demo_read_total", help: "Read at scrape time.", type: "counter" }, () => {
      if (fail) throw new Error("boom");
      return [{ value }];
    });
    expect(parsePrometheusText(await metrics.render()).value("demo_read_total")).toBe(4);
    fail = true;
    value = 9;
    const parsed = parsePrometheusText(await metrics.render());
    expect(parsed.value("demo_read_total")).toBe(4);
    expect(parsed.value("arrival_metrics_collect_failures_total", { metric: "demo_read_total" })).toBe(1);
    fail = false;
    expect(parsePrometheusText(await metrics.render()).value("demo_read_total")).toBe(9);
  });

  it("caps a counter's series, folding the rest into one `other` series", async () => {
    const metrics = new PromMetrics();
    const counter = metrics.counter({ name: "demo_capped_total", help: "Capped.", labelNames: ["id"] }, 3);
    for (let i = 0; i < 10; i++) counter.inc({ id: `x${i}` });
    counter.inc({ id: "x1" }); // a series kept before the cap still counts as itself
    const parsed = parsePrometheusText(await metrics.render());
    expect(parsed.samples.filter((s) => s.name === "demo_capped_total")).toHaveLength(4);
    expect(parsed.value("demo_capped_total", { id: "other" })).toBe(7);
    expect(parsed.value("demo_capped_total", { id: "x1" })).toBe(2);
  });

  it("counts histogram observations into cumulative buckets, with _sum and _count", async () => {
    const metrics = new PromMetrics();
    const latency = metrics.histogram({
      name: "demo_duration_seconds",
      help: "A duration.",
      labelNames: ["outcome"],
      bucketsS: [0.001, 0.01, 0.1],
    });
    latency.observe(0.0005, { outcome: "a" });
    latency.observe(0.05, { outcome: "a" });
    latency.observe(3, { outcome: "a" });
    latency.observe(Number.NaN, { outcome: "a" }); // ignored: not a duration
    latency.startTimer()({ outcome: "b" });
    const parsed = parsePrometheusText(await metrics.render());
    expect(parsed.types.get("demo_duration_seconds")).toBe("histogram");
    expect(parsed.value("demo_duration_seconds_bucket", { outcome: "a", le: "0.001" })).toBe(1);
    expect(parsed.value("demo_duration_seconds_bucket", { outcome: "a", le: "0.01" })).toBe(1);
    expect(parsed.value("demo_duration_seconds_bucket", { outcome: "a", le: "0.1" })).toBe(2);
    expect(parsed.value("demo_duration_seconds_bucket", { outcome: "a", le: "+Inf" })).toBe(3);
    expect(parsed.value("demo_duration_seconds_count", { outcome: "a" })).toBe(3);
    expect(parsed.value("demo_duration_seconds_sum", { outcome: "a" })).toBeCloseTo(3.0505, 9);
    expect(parsed.value("demo_duration_seconds_count", { outcome: "b" })).toBe(1);
    expect(parsed.value("demo_duration_seconds_sum", { outcome: "b" })).toBeGreaterThanOrEqual(0);
  });

  it("keeps each instance's figures apart and adds the process's metrics to both", async () => {
    const first = new PromMetrics();
    const second = new PromMetrics();
    first.counter({ name: "demo_apart_total", help: "Apart." }).inc();
    second.counter({ name: "demo_apart_total", help: "Apart." }).inc({}, 5);
    const a = parsePrometheusText(await first.render());
    const b = parsePrometheusText(await second.render());
    expect(a.value("demo_apart_total")).toBe(1);
    expect(b.value("demo_apart_total")).toBe(5);
    for (const parsed of [a, b]) {
      expect(parsed.value("process_cpu_seconds_total")).toBeGreaterThan(0);
      expect(parsed.value("process_start_time_seconds")).toBeGreaterThan(0);
      expect(parsed.value("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
      expect(parsed.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    }
  });

  it("labels this worker's families with its worker id, and the fleet's state read from the database not", async () => {
    const metrics = new PromMetrics({ workerId: "w-7" });
    metrics.counter({ name: "demo_worker_total", help: "Worker's own.", labelNames: ["outcome"] }).inc({ outcome: "a" }, 2);
    metrics.histogram({ name: "demo_worker_seconds", help: "Worker's own.", bucketsS: [1] }).observe(0.5);
    metrics.collected({ name: "demo_queued", help: "Worker's own.", type: "gauge" }, () => [{ value: 3 }]);
    metrics.collected({ name: "demo_fleet_gateways", help: "Fleet state.", type: "gauge", scope: "fleet", labelNames: ["state"] }, () => [
      { labels: { state: "online" }, value: 4 },
    ]);
    const parsed = parsePrometheusText(await metrics.render());
    const labelsOf = (name: string) => parsed.samples.filter((s) => s.name === name).map((s) => s.labels);
    expect(labelsOf("demo_worker_total")).toEqual([{ outcome: "a", worker: "w-7" }]);
    expect(labelsOf("demo_worker_seconds_count")).toEqual([{ worker: "w-7" }]);
    expect(labelsOf("demo_queued")).toEqual([{ worker: "w-7" }]);
    // Every worker reports the same fleet figure: a worker label would invite summing it N times.
    expect(labelsOf("demo_fleet_gateways")).toEqual([{ state: "online" }]);
    expect(parsed.value("demo_fleet_gateways", { state: "online" })).toBe(4);
    expect(parsed.value("demo_worker_total", { outcome: "a", worker: "w-7" })).toBe(2);
  });

  it("refuses invalid and duplicate names", () => {
    const metrics = new PromMetrics();
    expect(() => metrics.counter({ name: "bad-name", help: "x" })).toThrow(/Invalid metric name/);
    expect(() => metrics.counter({ name: "ok_total", help: "x", labelNames: ["bad-label"] })).toThrow(
      /Invalid label name/,
    );
    metrics.counter({ name: "ok_total", help: "x" });
    expect(() => metrics.counter({ name: "ok_total", help: "x" })).toThrow(/already been registered/);
  });

  it("the test parser itself refuses what Prometheus would refuse", () => {
    expect(() => parsePrometheusText("a 1")).toThrow(/line feed/);
    expect(() => parsePrometheusText('a{b="c} 1\n')).toThrow();
    expect(() => parsePrometheusText("# TYPE a counter\na -1\n")).toThrow(/negative/);
    expect(() => parsePrometheusText("a 1\nb 1\na 2\n")).toThrow();
    expect(() => parsePrometheusText("a one\n")).toThrow(/bad value/);
  });
});
