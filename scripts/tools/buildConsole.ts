/**
 * `npm run build` step: bundles the browser console into `dist/console` (index.html, app.js,
 * app.css), which the compiled cloud serves without esbuild. Prints each file's size.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bundleConsole } from "../../cloud/src/adapters/http/console/consoleAssets.js";

const out = join(import.meta.dirname, "..", "..", "dist", "console");
await mkdir(out, { recursive: true });
for (const [name, asset] of await bundleConsole()) {
  await writeFile(join(out, name), asset.body);
  process.stdout.write(`dist/console/${name} ${asset.body.length} bytes\n`);
}
