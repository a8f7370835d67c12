/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it throws on the first
 * line a Prometheus server would refuse or misread, and returns every sample.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details
 */

export interface ParsedSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedExposition {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly ParsedSample[];
  /**
   * The value of the one sample with this name and these labels (all of them, the `worker` label
   * aside unless given); undefined if none.
   */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SAMPLE = new RegExp(`^(${NAME})(\\{(.*)\\})? (\\S+)( -?\\d+)?$`);

function parseValue(text: string, line: number): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  // Prometheus parses values with Go's strconv.ParseFloat, which ignores case in NaN (prom-client writes `Nan`).
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${text}`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))?.[0];
    if (!name) throw new Error(`line ${line}: bad label name at ${text.slice(i)}`);
    i += name.length;
    if (text.slice(i, i + 2) !== '="') throw new Error(`line ${line}: expected =" after ${name}`);
    i += 2;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      i++;
      if (c === '"') break;
      if (c === "\\") {
        const next = text[i++];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new Error(`line ${line}: bad escape \\${next}`);
      } else if (c === "\n") {
        throw new Error(`line ${line}: raw line feed in label value`);
      } else value += c;
    }
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    labels[name] = value;
    if (text[i] === ",") i++;
    else if (i !== text.length) throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
  return labels;
}

/** The metric family a sample name belongs to (histogram and summary suffixes). */
function familyOf(name: string, types: ReadonlyMap<string, string>): string {
  for (const suffix of ["_bucket", "_count", "_sum"]) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && ["histogram", "summary"].includes(types.get(base) ?? "")) return base;
  }
  return name;
}

export function parsePrometheusText(text: string): ParsedExposition {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("the exposition must end with a line feed");
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: ParsedSample[] = [];
  const seenSeries = new Set<string>();
  const finished = new Set<string>();
  let current: string | null = null;
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    if (raw.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!m) return; // a plain comment
      const [, kind, name = "", rest = ""] = m;
      if (!new RegExp(`^${NAME}$`).test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      if (kind === "HELP") {
        if (helps.has(name)) throw new Error(`line ${line}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replaceAll("\\\\", ""))) throw new Error(`line ${line}: bad escape in HELP`);
        helps.add(name);
      } else {
        if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
        if (types.has(name)) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (samples.some((s) => familyOf(s.name, types) === name))
          throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        types.set(name, rest);
      }
      return;
    }
    const m = SAMPLE.exec(raw);
    if (!m) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name = "", , labelText, valueText = ""] = m;
    const labels = labelText === undefined ? {} : parseLabels(labelText, line);
    const family = familyOf(name, types);
    if (family !== current) {
      if (finished.has(family)) throw new Error(`line ${line}: samples of ${family} are not together`);
      if (current !== null) finished.add(current);
      current = family;
    }
    const series = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(series)) throw new Error(`line ${line}: series ${series} twice`);
    seenSeries.add(series);
    const value = parseValue(valueText, line);
    if (types.get(family) === "counter" && !(value >= 0)) throw new Error(`line ${line}: negative counter ${name}`);
    samples.push({ name, labels, value });
  });
  return {
    types,
    samples,
    value(name, labels = {}) {
      const want = Object.entries(labels);
      // The `worker` label every per-worker family carries is matched only when asked for.
      const counted = (s: ParsedSample) =>
        Object.keys(s.labels).filter((k) => k !== "worker" || "worker" in labels).length;
      const found = samples.filter(
        (s) => s.name === name && want.every(([k, v]) => s.labels[k] === v) && counted(s) === want.length,
      );
      if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
      return found[0]?.value;
    },
  };
}
