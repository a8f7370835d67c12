import { formatProblems } from "../../../protocol/index.js";
import { loadGatewayConfig } from "../config/loadConfig.js";

/** Help text for `arrival-gateway check-config`. */
export const CHECK_CONFIG_USAGE = `Usage: arrival-gateway check-config FILE...

Validates gateway config files and lists every problem with its JSON path (/mqtt/url,
/zones/2/radiusM). The schema is firmware-config/gateway.schema.json.

Exit codes: 0 every file is valid, 1 a file has problems, 2 no FILE given.`;

/** Checks each file; resolves to the exit code. */
export async function runCheckConfig(files: readonly string[], output: NodeJS.WritableStream): Promise<number> {
  let invalid = 0;
  for (const file of files) {
    const loaded = await loadGatewayConfig(file);
    if (loaded.ok) {
      output.write(`${file}: ok\n`);
    } else {
      invalid++;
      const lines = formatProblems(loaded.problems).split("\n").map((line) => `  ${line}`);
      output.write(`${file}: ${loaded.problems.length} problem(s)\n${lines.join("\n")}\n`);
    }
  }
  return invalid === 0 ? 0 : 1;
}
