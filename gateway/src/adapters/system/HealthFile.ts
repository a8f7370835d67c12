import { readFile, rename, writeFile } from "node:fs/promises";

/**
 * What a running gateway says of itself in `<dataDir>/health.json`, for `arrival-gateway health`
 * (and so for install-release.sh's health check after an update): written every few seconds and
 * on every change, read by another process.
 */
export interface HealthSnapshot {
  readonly v: 1;
  readonly pid: number;
  readonly version: string;
  /** The directory of the running release (symlinks resolved): tells two builds of one version apart. */
  readonly packageDir: string;
  /** When this snapshot was written, epoch ms. */
  readonly at: number;
  readonly startedAt: number;
  /** Connected to the broker now. */
  readonly connected: boolean;
  readonly scan: { readonly state: "scanning" | "interrupted"; readonly lastAdvertAgeS: number | null };
  /** Each configured store LAN peer and the seconds since its last datagram (null: never); absent without LAN peers. */
  readonly lan?: { readonly peers: readonly { readonly id: string; readonly lastHeardAgeS: number | null }[] };
}

/**
 * Writes snapshots atomically (a temporary file renamed over the last), so a reader never sees half
 * of one, and one after another: two writes at once would share the temporary file.
 */
export class HealthFile {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  write(snapshot: HealthSnapshot): Promise<void> {
    const next = this.last.then(async () => {
      await writeFile(`${this.path}.tmp`, `${JSON.stringify(snapshot)}\n`, { mode: 0o644 });
      await rename(`${this.path}.tmp`, this.path);
    });
    this.last = next.catch(() => undefined);
    return next;
  }

  /** The last snapshot, or null when there is none or it is not one. */
  async read(): Promise<HealthSnapshot | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return null;
    }
    try {
      const value = JSON.parse(text) as Partial<HealthSnapshot>;
      return value.v === 1 && typeof value.pid === "number" && typeof value.at === "number" && typeof value.version === "string"
        ? (value as HealthSnapshot)
        : null;
    } catch {
      return null;
    }
  }
}
