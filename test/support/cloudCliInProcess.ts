import { userInfo } from "node:os";
import { createLogger } from "../../cloud/src/adapters/log/createLogger.js";
import { runCloudCli } from "../../cloud/src/cli/cloudCli.js";

/** What one `arrival-cloud` command printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `arrival-cloud` in this process, as main.ts does in its own: same arguments, environment,
 * output streams and exit code, without paying a tsx start-up per command. The commands tested
 * this way never serve, so a stop is never requested.
 */
export async function cloudCliInProcess(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCloudCli(args, {
    env,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    user: userInfo().username,
    stopRequested: () => Promise.reject(new Error("this command never serves")),
    credentialLog: createLogger({ level: "silent", format: "json", name: "test" }),
  });
  return { code, stdout, stderr };
}
