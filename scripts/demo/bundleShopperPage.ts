import { build } from "esbuild";
import { join } from "node:path";

/** The shopper page's HTML; the script is served next to it. */
export const SHOPPER_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="theme-color" content="#1d3557">
<link rel="manifest" href="shopper.webmanifest">
<link rel="icon" href="shopper-icon.svg" type="image/svg+xml">
<title>Arrival · shopper</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f1ec; color: #222; }
  header { background: #1d3557; color: #fff; padding: 12px 16px; }
  header h1 { margin: 0; font-size: 1.2rem; }
  #status { font-size: 0.85rem; opacity: 0.85; }
  main { padding: 12px; max-width: 480px; margin: 0 auto; }
  .offer { background: #fff; border-radius: 12px; padding: 12px 16px; margin: 12px 0; box-shadow: 0 1px 4px #0002; }
  .offer h2 { margin: 0 0 4px; font-size: 1.1rem; }
  .countdown { color: #b5442b; font-weight: 600; }
  .code { font-family: ui-monospace, monospace; font-size: 1.3rem; letter-spacing: 0.08em; }
  .qr { margin: 8px 0 0; }
  .qr svg { display: block; width: 200px; height: 200px; }
  .qr-caption { font-size: 0.75rem; color: #555; }
  #push-toggle { margin-top: 6px; border: 0; border-radius: 6px; padding: 4px 10px; background: #f1c453; color: #222; }
</style>
</head>
<body>
<header><h1>Your offers</h1><div id="status">Connecting…</div>
<button id="push-toggle" type="button">Notify me of offers</button> <span id="push-state"></span></header>
<main id="offers"></main>
<script type="module" src="shopper.js"></script>
</body>
</html>
`;

/** Bundles one browser entry point of the shopper page (the page's script, its service worker). */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, "shopperPage", entry)],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no bundle of ${entry}`);
  return file.text;
}

/** The shopper page's service worker (shows a notification on push), bundled for the browser. */
export function bundleShopperServiceWorker(): Promise<string> {
  return bundle("shopperServiceWorker.ts");
}

/**
 * Bundles the shopper page's script with the client library for the browser (esbuild picks
 * MQTT.js's browser build through its package exports). Runs when the demo starts; no CDN.
 */
export function bundleShopperPage(): Promise<string> {
  return bundle("shopperPage.ts");
}
