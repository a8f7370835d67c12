import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h, s } from "./dom.js";

/*
 * Two kinds of chart. Series over days (the daily trends) are drawn by uPlot: axes, scaling, a
 * legend that follows the cursor, and a canvas that keeps up with many lines and days. Categorical
 * comparisons (funnel stages, issued by rule, holdout groups) stay as the small SVG bars below:
 * each bar writes its label and value in text, readable without hovering and described by its
 * title, which a time-series library does not do better. So do the live view's arrivals per
 * minute: redrawn with the whole store card on every snapshot, thirty columns with their counts
 * written on them, where a canvas chart would be created and destroyed a few times a second.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A share of `value` drawn inside its bar (redeemed of issued), labelled after it. */
  readonly part?: number;
  /** What is written after the bar and read out, when the bare number would not say it. */
  readonly text?: string;
}

/** Width of a label at the charts' 13 px system font: generous, so a label is never cut. */
const labelWidth = (label: string) => Math.ceil(label.length * 7.6);

/**
 * Horizontal bars, one per row, with the value written at the end of each bar: readable without
 * colour and without hovering, and described for screen readers by the title.
 */
export function barChart(title: string, bars: readonly Bar[], options: { className?: string } = {}): SVGElement {
  const rowH = 26;
  // The label column is as wide as the longest label: the view box grows, the chart scales down.
  const labelW = Math.max(60, ...bars.map((b) => labelWidth(b.label) + 12));
  const valueText = (b: Bar) => b.text ?? (b.part === undefined ? String(b.value) : `${b.value} (${b.part})`);
  const valueW = Math.max(60, ...bars.map((b) => labelWidth(valueText(b)) + 12));
  const width = labelW + 390 + valueW;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowH + 8;
  return s(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      class: `chart ${options.className ?? ""}`,
      role: "img",
      "aria-label": `${title}: ${bars.map((b) => `${b.label} ${valueText(b)}`).join(", ")}`,
    },
    s("title", {}, title),
    ...bars.map((b, i) => {
      const y = i * rowH + 4;
      const w = Math.round(((width - labelW - valueW) * b.value) / max);
      return s(
        "g",
        { class: "bar" },
        s("text", { x: labelW - 8, y: y + 16, "text-anchor": "end", class: "label" }, b.label),
        s("rect", { x: labelW, y, width: Math.max(w, 1), height: rowH - 8, rx: 2 }),
        b.part === undefined
          ? null
          : s("rect", { x: labelW, y: y + 4, width: Math.round(((width - labelW - valueW) * b.part) / max), height: rowH - 16, class: "part" }),
        s("text", { x: labelW + w + 6, y: y + 16, class: "value" }, valueText(b)),
      );
    }),
  );
}

/** Vertical columns over time (arrivals per minute); `labels` are shown every few columns. */
export function columnChart(title: string, bars: readonly Bar[]): SVGElement {
  const width = 560;
  const height = 120;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const colW = width / Math.max(1, bars.length);
  return s(
    "svg",
    {
      viewBox: `0 0 ${width} ${height + 20}`,
      class: "chart columns",
      role: "img",
      "aria-label": `${title}: ${bars.reduce((n, b) => n + b.value, 0)} in total, at most ${max} in one minute`,
    },
    s("title", {}, title),
    s("line", { x1: 0, y1: height, x2: width, y2: height, class: "axis" }),
    ...bars.map((b, i) => {
      const h = Math.round((height - 14) * (b.value / max));
      return s(
        "g",
        { class: "bar" },
        s("rect", { x: i * colW + 1, y: height - h, width: Math.max(colW - 2, 1), height: h }),
        b.value > 0 ? s("text", { x: i * colW + colW / 2, y: height - h - 3, "text-anchor": "middle", class: "value small" }, String(b.value)) : null,
        i % 5 === 0 ? s("text", { x: i * colW, y: height + 15, class: "label small" }, b.label) : null,
      );
    }),
  );
}

/** A small line of numbers (gateway telemetry), scaled to its own range. */
export function sparkline(title: string, values: readonly number[]): SVGElement {
  const width = 120;
  const height = 28;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => `${((i * width) / Math.max(1, values.length - 1)).toFixed(1)},${(height - 2 - ((v - min) * (height - 4)) / span).toFixed(1)}`)
    .join(" ");
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "sparkline", role: "img", "aria-label": `${title}: from ${values[0] ?? 0} to ${values.at(-1) ?? 0}, range ${min}–${max}` },
    s("title", {}, title),
    values.length > 1 ? s("polyline", { points, fill: "none" }) : s("text", { x: 0, y: 18, class: "small" }, "no data"),
  );
}

/** One line of a trend chart: a value per day, null where there is none to draw. */
export interface TrendLine {
  readonly label: string;
  readonly values: readonly (number | null)[];
}

/**
 * Line colours: the Okabe–Ito palette (told apart with every common colour-vision deficiency), its
 * yellow left out (too faint on white); past seven lines the dashes tell them apart too.
 */
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** A day key as the axis writes it: `7 Dec`. */
export const fmtDay = (day: string) => DAY_FORMAT.format(new Date(`${day}T00:00:00Z`));

/**
 * Daily values as lines over the days, drawn by uPlot on a canvas that follows its container's
 * width. The canvas and uPlot's legend are hidden from assistive technology: the caller puts a
 * table of the same numbers beside it (WCAG 1.1.1), which is also what a keyboard user reads. Days
 * are calendar days (the stores' local days), placed at their UTC midnight and labelled in UTC so
 * the browser's own timezone never moves a point to another day.
 */
export function trendChart(
  title: string,
  days: readonly string[],
  lines: readonly TrendLine[],
  format: (value: number) => string,
  options: { readonly integers?: boolean } = {},
): { readonly element: HTMLElement; readonly destroy: () => void } {
  const box = h("div", { class: "trend-chart", "aria-hidden": "true", "data-title": title });
  const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const first = xs[0] ?? 0;
  const last = xs.at(-1) ?? first;
  // One day alone still needs a span to be drawn in.
  const range: [number, number] = first === last ? [first - 43_200, last + 43_200] : [first, last];
  const data: uPlot.AlignedData = [xs, ...lines.map((l) => l.values.map((v) => v))];
  let plot: uPlot | null = null;
  const size = (width: number) => ({ width: Math.max(280, Math.floor(width)), height: 260 });
  const observer = new ResizeObserver((entries) => {
    const width = entries[0]?.contentRect.width ?? 0;
    if (width <= 0) return;
    if (plot) plot.setSize(size(width));
    else
      plot = new uPlot(
        {
          ...size(width),
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
          scales: { x: { time: true, range: () => range }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
          axes: [
            { values: (_u, splits) => splits.map((v) => DAY_FORMAT.format(new Date(v * 1000))), stroke: "#333", grid: { stroke: "#e5e5e5" } },
            {
              values: (_u, splits) => splits.map((v) => format(v)),
              // Counts step by whole numbers: no "0.5 offers" on the axis.
              ...(options.integers ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000] } : {}),
              stroke: "#333",
              size: 70,
              grid: { stroke: "#e5e5e5" },
            },
          ],
          series: [
            { label: "Day", value: (_u, v) => (v === null ? "—" : fmtDay(new Date(v * 1000).toISOString().slice(0, 10))) },
            ...lines.map((l, i) => ({
              label: l.label,
              stroke: COLOURS[i % COLOURS.length] ?? "#000",
              width: 2,
              ...(i >= COLOURS.length ? { dash: [6, 4] } : {}),
              points: { show: true, size: 6 },
              value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
            })),
          ],
          cursor: { drag: { x: false, y: false } },
        },
        data,
        box,
      );
  });
  observer.observe(box);
  return {
    element: box,
    destroy: () => {
      observer.disconnect();
      plot?.destroy();
    },
  };
}
