/**
 * Where a CPU profile's time went, as text: self time per function and per source file, largest
 * first, with the idle share. For profiles written by `node --cpu-prof` or a benchmark's
 * `--cpu-prof` option.
 *
 *   npx tsx scripts/bench/cpuProfileSummary.ts <file.cpuprofile> [--top 40]
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "40" } } });
const [file] = positionals;
if (file === undefined) throw new Error("usage: cpuProfileSummary.ts <file.cpuprofile> [--top N]");
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;
const top = Number(values.top);
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  totalUs += dt;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
});
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
for (const [id, us] of selfUs) {
  const frame = nodes.get(id)?.callFrame;
  if (frame === undefined) continue;
  // Paths shortened to the package or the repository's top directory.
  const url = frame.url.replace(/^.*\/(node_modules\/[^/]+|cloud\/src\/|test\/|scripts\/|protocol\/)/, "$1");
  add(byFunction, `${frame.functionName || "(anonymous)"} ${url}${url ? `:${frame.lineNumber + 1}` : ""}`, us);
  add(byFile, url || frame.functionName, us);
}
const table = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${k}`)
    .join("\n");
process.stdout.write(`total ${(totalUs / 1000).toFixed(0)} ms\n\nby function:\n${table(byFunction)}\n\nby file:\n${table(byFile)}\n`);
