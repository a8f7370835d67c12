#!/usr/bin/env node
/**
 * `arrival-cloud`: the entry point of the cloud, and the only file that touches process
 * arguments, environment, signals and exit codes.
 *
 *   arrival-cloud [serve] [--config FILE] [--data-dir DIR] [--http-port N] [--mqtt-port N]
 *   arrival-cloud credentials|api-keys … (see CREDENTIALS_USAGE)
 *
 * What the commands do is in cli/cloudCli.ts; this file hands it the process.
 */
import { userInfo } from "node:os";
import { runCloudCli } from "./cli/cloudCli.js";

void runCloudCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  user: userInfo().username,
  stopRequested: () =>
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }),
}).then((code) => {
  process.exitCode = code;
});
