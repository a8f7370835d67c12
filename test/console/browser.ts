import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

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

/**
 * A new page of `context` with the console at `url` (its address, a `#/page` included), signed
 * in with `key`, once the menu shows. What the page logs as an error (a script error, a CSP
 * violation) goes to `errors`; failed HTTP answers do not: the validation round trips expect them.
 */
export async function signedInPage(context: BrowserContext, url: string, key: string, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(url);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console sections" }).waitFor();
  return page;
}
