import { s } from "./dom.js";

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
