import { readFile, rename, writeFile } from "node:fs/promises";
import type { Static, TSchema } from "typebox";
import type { Checker } from "../../../../protocol/index.js";

/**
 * A piece of learned state as JSON in the gateway's data directory: checked against its schema on
 * load (a missing, unreadable or malformed file reads as none, so a learner starts afresh rather
 * than from a bad state), written atomically (a temp file renamed over the old one).
 */
export class StateFile<S extends TSchema> {
  constructor(
    private readonly path: string,
    private readonly checker: Checker<S>,
  ) {}

  async load(): Promise<Static<S> | null> {
    const text = await readFile(this.path, "utf8").catch(() => null);
    if (text === null) return null;
    try {
      const checked = this.checker.check(JSON.parse(text));
      return checked.ok ? checked.value : null;
    } catch {
      return null;
    }
  }

  async save(state: Static<S>): Promise<void> {
    await writeFile(`${this.path}.tmp`, JSON.stringify(state));
    await rename(`${this.path}.tmp`, this.path);
  }
}
