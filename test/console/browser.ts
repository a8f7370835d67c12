import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium package; playwright-core drives it, it downloads no browser of its own. */
export const CHROMIUM_PATH = process.env["ARRIVAL_CHROMIUM"] ?? "/usr/bin/chromium";

/**
 * Whether browser tests can run here. A machine without chromium skips them, unless
 * `ARRIVAL_TEST_REQUIRE_CHROMIUM=1` (CI) says a skip would hide a failure.
 */
export function chromiumAvailable(): boolean {
  const found = existsSync(CHROMIUM_PATH);
  if (!found && process.env["ARRIVAL_TEST_REQUIRE_CHROMIUM"] === "1") {
    throw new Error(`ARRIVAL_TEST_REQUIRE_CHROMIUM=1 but there is no chromium at ${CHROMIUM_PATH}`);
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
    ],
  });
}
