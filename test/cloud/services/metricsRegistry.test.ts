import { describe, expect, it } from "vitest";
import { MetricsRegistry } from "../../../cloud/src/services/MetricsRegistry.js";
import { parsePrometheusText } from "../../support/prometheusText.js";

describe("MetricsRegistry", () => {
  it("renders valid 0.0.4 text: HELP and TYPE once per family, escaped labels and help, special values", async () => {
    const registry = new MetricsRegistry();
    const requests = registry.counter("demo_requests_total", 'Requests.\nBy route "pattern" \\ status.', ["route"]);
    requests.inc({ route: '/a "quoted"\\path\nnext' });
    requests.inc({ route: "/b" }, 2);
    requests.inc({ route: "/b" });
    requests.inc({ route: "/b" }, -5); // ignored: a counter never goes down
    registry.register("demo_gauge", "A gauge.", "gauge", () => [
      { labels: { kind: "inf" }, value: Infinity },
      { labels: { kind: "nan" }, value: NaN },
      { labels: { kind: "small" }, value: 1.5e-7 },
    ]);
    registry.register("demo_broken", "Fails to collect.", "gauge", () => {
      throw new Error("boom");
    });
    const text = await registry.render();
    const parsed = parsePrometheusText(text);
    expect(parsed.value("demo_requests_total", { route: '/a "quoted"\\path\nnext' })).toBe(1);
    expect(parsed.value("demo_requests_total", { route: "/b" })).toBe(3);
    expect(parsed.value("demo_gauge", { kind: "inf" })).toBe(Infinity);
    expect(parsed.value("demo_gauge", { kind: "nan" })).toBeNaN();
    expect(parsed.value("demo_gauge", { kind: "small" })).toBe(1.5e-7);
    expect(parsed.types.has("demo_broken")).toBe(false);
    expect(text).toContain('# HELP demo_requests_total Requests.\\nBy route "pattern" \\\\ status.\n');
  });

  it("caps a counter's series, folding the rest into one `other` series", async () => {
    const registry = new MetricsRegistry();
    const counter = registry.counter("demo_capped_total", "Capped.", ["id"], 3);
    for (let i = 0; i < 10; i++) counter.inc({ id: `x${i}` });
    const parsed = parsePrometheusText(await registry.render());
    expect(parsed.samples).toHaveLength(4);
    expect(parsed.value("demo_capped_total", { id: "other" })).toBe(7);
  });

  it("refuses invalid and duplicate names", () => {
    const registry = new MetricsRegistry();
    expect(() => registry.counter("bad-name", "x")).toThrow(/invalid metric name/);
    expect(() => registry.counter("ok_total", "x", ["bad-label"])).toThrow(/invalid label name/);
    registry.counter("ok_total", "x");
    expect(() => registry.counter("ok_total", "x")).toThrow(/twice/);
  });

  it("the test parser itself refuses what Prometheus would refuse", () => {
    expect(() => parsePrometheusText("a 1")).toThrow(/line feed/);
    expect(() => parsePrometheusText('a{b="c} 1\n')).toThrow();
    expect(() => parsePrometheusText("# TYPE a counter\na -1\n")).toThrow(/negative/);
    expect(() => parsePrometheusText("a 1\nb 1\na 2\n")).toThrow();
    expect(() => parsePrometheusText("a one\n")).toThrow(/bad value/);
  });
});
