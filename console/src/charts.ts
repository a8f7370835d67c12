import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { count, h, mount, s } from "./dom.js";

/*
 * Every chart is drawn by uPlot on a canvas that follows its container's width: series over days
 * (the daily trends) as lines, categorical comparisons (funnel stages, issued by rule, holdout
 * groups, coupons by batch, a dry run's offers per day) as horizontal bars, and the live view's
 * arrivals per minute as columns. The canvas is hidden from assistive technology; beside each chart
 * a table or list gives the same numbers in text (WCAG 1.1.1). On the bars uPlot draws the bars and
 * the value axis; a draw hook writes each label whole above its bar (wrapped, never cut) and each
 * value after it, so the chart reads without hovering and without colour.
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** A share of `value` drawn inside its bar (redeemed of issued); say it in `text`. */
  readonly part?: number;
  /** What is written after the bar and read out, when the bare number would not say it. */
  readonly text?: string;
}

/** A chart in the page: its element, and what frees the canvas and its listeners. */
export interface Chart {
  readonly element: HTMLElement;
  readonly destroy: () => void;
}

const FONT_PX = 13;
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const TEXT = "#1b1f24";
const GRID = "#e5e5e5";
/** Bars: dark blue on white (7:1); the part inside in amber, thinner, so shape tells it apart too. */
const BAR = "#1d5c96";
const PART = "#f2a900";
const LINE_PX = 16;
const BAR_PX = 18;
const GAP_PX = 12;
const AXIS_PX = 32;

let measurer: CanvasRenderingContext2D | null = null;

/** Width of `text` at the charts' font, CSS px (as the canvas will draw it). */
function textWidth(text: string): number {
  measurer ??= document.createElement("canvas").getContext("2d");
  if (!measurer) return text.length * FONT_PX * 0.6;
  measurer.font = `${FONT_PX}px ${FONT_FAMILY}`;
  return measurer.measureText(text).width;
}

/** `text` in lines no wider than `width` px, broken between words; a longer word is broken inside. */
export function wrapText(text: string, width: number, measure: (text: string) => number = textWidth): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const joined = line === "" ? word : `${line} ${word}`;
    if (measure(joined) <= width) {
      line = joined;
      continue;
    }
    if (line !== "") lines.push(line);
    let rest = word;
    while (measure(rest) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/** Steps of a count axis: whole numbers only, no "0.5 offers". */
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

/** uPlot's bar paths, `factor` of the space between two values wide, at most `maxPx` (its types mark them optional: the "lite" build leaves them out, not this one). */
function barPaths(factor: number, maxPx: number): uPlot.Series.PathBuilder {
  const bars = uPlot.paths.bars;
  if (!bars) throw new Error("uPlot was built without bar paths");
  return bars({ size: [factor, maxPx] });
}

/**
 * Calls `draw(width)` with the box's width whenever it changes, once it is laid out; `gone` when
 * the box has left the document (a page that never says it is done with its chart).
 */
function onWidth(box: HTMLElement, draw: (width: number) => void, gone?: () => void): ResizeObserver {
  let last = 0;
  const observer = new ResizeObserver((entries) => {
    if (gone && !box.isConnected) return gone();
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width <= 0 || width === last) return;
    last = width;
    draw(width);
  });
  observer.observe(box);
  return observer;
}

/**
 * Horizontal bars, one per row: the label written whole above its bar (wrapped to the width the
 * chart has, so a phone never cuts it), the value written after the bar. `max` fixes the value
 * axis (100 for percentages); `format` writes its ticks. With `list`, a list of the same labels and
 * values follows the canvas for screen readers; without it the caller puts a table beside it.
 */
export function barChart(
  title: string,
  bars: readonly Bar[],
  options: { readonly className?: string; readonly max?: number; readonly format?: (value: number) => string; readonly list?: boolean } = {},
): Chart {
  const valueText = (b: Bar) => b.text ?? String(b.value);
  const format = options.format ?? ((v: number) => String(v));
  const box = h("div", { class: "bar-canvas", "aria-hidden": "true" });
  const figure = h(
    "figure",
    { class: `bars ${options.className ?? ""}`.trim(), "data-title": title },
    h("figcaption", { class: "sr-only" }, title),
    box,
    options.list === false ? null : h("ul", { class: "sr-only bar-values" }, ...bars.map((b) => h("li", { "data-label": b.label }, `${b.label}: ${valueText(b)}`))),
  );
  const n = bars.length;
  const max = options.max ?? Math.max(1, ...bars.map((b) => b.value));
  const hasParts = bars.some((b) => b.part !== undefined);
  const valueW = Math.ceil(Math.max(0, ...bars.map((b) => textWidth(valueText(b))))) + 10;
  // The layout for a width: each label's lines, and the rows tall enough for the longest.
  let lines: string[][] = [];
  let slot = 0;
  let labelH = 0;
  const layout = (width: number) => {
    lines = bars.map((b) => wrapText(b.label, Math.max(40, width - 8)));
    labelH = Math.max(1, ...lines.map((l) => l.length)) * LINE_PX + 4;
    slot = labelH + BAR_PX + GAP_PX;
    return { width, height: n * slot + AXIS_PX + 4 };
  };
  // Row i's bar is centred labelH + BAR_PX/2 below the top of its row: the label above it.
  const rows = (): [number, number] => {
    const m = (labelH + BAR_PX / 2) / slot;
    return [-m, n - m];
  };
  const data: uPlot.AlignedData = [
    bars.map((_b, i) => i),
    bars.map((b) => b.value),
    ...(hasParts ? [bars.map((b) => b.part ?? null)] : []),
  ];
  const writeText = (u: uPlot) => {
    const ratio = uPlot.pxRatio;
    const ctx = u.ctx;
    ctx.save();
    ctx.font = `${FONT_PX * ratio}px ${FONT_FAMILY}`;
    ctx.fillStyle = TEXT;
    ctx.textAlign = "left";
    bars.forEach((b, i) => {
      const centre = u.valToPos(i, "x", true);
      const top = centre - (BAR_PX / 2) * ratio;
      ctx.textBaseline = "bottom";
      const own = lines[i] ?? [];
      own.forEach((line, k) => ctx.fillText(line, u.bbox.left, top - 3 * ratio - (own.length - 1 - k) * LINE_PX * ratio));
      ctx.textBaseline = "middle";
      ctx.fillText(valueText(b), u.valToPos(Math.min(b.value, max), "y", true) + 6 * ratio, centre);
    });
    ctx.restore();
  };
  let plot: uPlot | null = null;
  const draw = (width: number) => {
    const size = layout(width);
    if (plot) {
      plot.setSize(size);
      plot.setData(data);
      return;
    }
    plot = new uPlot(
      {
        ...size,
        // The axis writes its first and last tick centred on the plot's edges: room for their halves.
        padding: [4, Math.max(valueW, Math.ceil(textWidth(format(max)) / 2) + 4), 0, Math.ceil(textWidth(format(0)) / 2) + 4],
        scales: {
          x: { time: false, ori: 1, dir: -1, range: rows },
          y: { ori: 0, dir: 1, range: () => [0, max] },
        },
        axes: [
          { scale: "x", show: false },
          {
            scale: "y",
            side: 2,
            size: AXIS_PX,
            // Ticks far enough apart for the widest of them ("100 %") with a gap: none overlap.
            space: Math.max(40, Math.ceil(textWidth(format(max))) + 20),
            font: `${FONT_PX}px ${FONT_FAMILY}`,
            stroke: TEXT,
            grid: { stroke: GRID },
            ticks: { stroke: GRID },
            values: (_u, splits) => splits.map(format),
            ...(options.max === undefined ? { incrs: WHOLE_STEPS } : {}),
          },
        ],
        series: [
          {},
          { label: title, fill: BAR, stroke: BAR, width: 0, points: { show: false }, paths: barPaths(1, BAR_PX) },
          ...(hasParts ? [{ label: "part", fill: PART, stroke: PART, width: 0, points: { show: false }, paths: barPaths(1, BAR_PX / 2) }] : []),
        ],
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        hooks: { draw: [writeText] },
      },
      data,
      box,
    );
  };
  const destroy = () => {
    observer.disconnect();
    plot?.destroy();
    plot = null;
  };
  const observer = onWidth(box, draw, destroy);
  return { element: figure, destroy };
}

/** A chart redrawn in place with new numbers: one canvas for the card's whole life. */
export interface LiveChart extends Chart {
  readonly update: (bars: readonly Bar[]) => void;
}

/**
 * Vertical columns over time (arrivals per minute), their counts written on them and every fifth
 * label under them. Made once per store card; `update` gives uPlot the new numbers (setData), so a
 * stream pushing snapshots a few times a second redraws one canvas instead of building another.
 * The list beside it names each minute that had arrivals, for screen readers.
 */
export function columnChart(title: string, noun: string): LiveChart {
  const box = h("div", { class: "column-canvas", "aria-hidden": "true" });
  const summary = h("p", { class: "hint column-summary" });
  const list = h("ul", { class: "sr-only column-values" });
  const figure = h("figure", { class: "columns", "data-title": title }, h("figcaption", { class: "sr-only" }, title), box, summary, list);
  let bars: readonly Bar[] = [];
  let data: uPlot.AlignedData = [[], []];
  const height = 150;
  const writeCounts = (u: uPlot) => {
    const ratio = uPlot.pxRatio;
    const ctx = u.ctx;
    ctx.save();
    ctx.font = `${11 * ratio}px ${FONT_FAMILY}`;
    ctx.fillStyle = TEXT;
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    bars.forEach((b, i) => {
      if (b.value > 0) ctx.fillText(String(b.value), u.valToPos(i, "x", true), u.valToPos(b.value, "y", true) - 2 * ratio);
    });
    ctx.restore();
  };
  let plot: uPlot | null = null;
  const observer = onWidth(box, (width) => {
    if (plot) return plot.setSize({ width, height });
    plot = new uPlot(
      {
        width,
        height,
        padding: [16, 12, 0, 12],
        scales: {
          x: { time: false, range: () => [-0.5, Math.max(1, bars.length) - 0.5] },
          // Headroom above the tallest column for its count.
          y: { range: () => [0, Math.max(1, ...bars.map((b) => b.value)) * 1.15] },
        },
        axes: [
          {
            scale: "x",
            size: 28,
            font: `11px ${FONT_FAMILY}`,
            stroke: TEXT,
            grid: { show: false },
            ticks: { stroke: GRID },
            splits: () => bars.flatMap((_b, i) => (i % 5 === 0 ? [i] : [])),
            values: (_u, splits) => splits.map((i) => bars[i]?.label ?? ""),
          },
          { scale: "y", show: false },
        ],
        series: [{}, { label: title, fill: BAR, stroke: BAR, width: 0, points: { show: false }, paths: barPaths(0.8, 40) }],
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        hooks: { draw: [writeCounts] },
      },
      data,
      box,
    );
  });
  const update = (next: readonly Bar[]) => {
    bars = next;
    data = [next.map((_b, i) => i), next.map((b) => b.value)];
    plot?.setData(data);
    const total = next.reduce((sum, b) => sum + b.value, 0);
    const most = next.reduce<Bar | null>((best, b) => (b.value > (best?.value ?? 0) ? b : best), null);
    summary.textContent = `${count(total, noun)} in ${count(next.length, "minute")}` + (most ? `, at most ${most.value} in one minute (${most.label}).` : ".");
    mount(list, ...next.filter((b) => b.value > 0).map((b) => h("li", { "data-label": b.label }, `${b.label}: ${count(b.value, noun)}`)));
  };
  return {
    element: figure,
    update,
    destroy: () => {
      observer.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
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
