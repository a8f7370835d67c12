import type { SoftwareTarget, UpdateReport } from "../../../protocol/index.js";
import type { Logger } from "./ports.js";

/**
 * Where a downloaded release goes for the privileged updater (arrival-gateway-update.path):
 * `put` downloads the tarball, its .sha256 and .sig, checks the tarball's SHA-256 and only then
 * asks for the update; `requested` names the release asked for and not yet taken, if any.
 */
export interface UpdateInbox {
  put(target: SoftwareTarget): Promise<void>;
  requested(): Promise<string | null>;
}

export interface SoftwareUpdaterOptions {
  /** The release this process runs (its directory's name, `VERSION-HASH`, under /opt/arrival-gateway). */
  readonly runningRelease: string;
  /**
   * The last update report (update-report.json), if any: a value, or a function for a report that
   * can change while the process runs (the updater writes it after restarting the gateway).
   */
  readonly lastReport: UpdateReport | null | (() => UpdateReport | null);
  readonly inbox: UpdateInbox;
  readonly log: Logger;
}

const FAILED: readonly UpdateReport["outcome"][] = ["rolled-back", "refused", "failed"];

/**
 * Acts on the `software` of a remote config: asks for the release unless it already runs, is
 * already asked for, or failed here before (a rollout halts on that; the same release is not
 * requested again in a loop). One download at a time; a failed download is logged and tried again
 * with the next config message or restart.
 */
export class SoftwareUpdater {
  private busy: Promise<void> | null = null;

  constructor(private readonly o: SoftwareUpdaterOptions) {}

  /** Resolves when the request (if any) is handed over or given up; never rejects. */
  desired(target: SoftwareTarget | undefined): Promise<void> {
    if (target === undefined || target.release === this.o.runningRelease) return Promise.resolve();
    const report = typeof this.o.lastReport === "function" ? this.o.lastReport() : this.o.lastReport;
    if (report !== null && report.to === target.release && FAILED.includes(report.outcome)) {
      this.o.log.warn(
        { release: target.release, outcome: report.outcome, reason: report.reason },
        "not asking for a release that failed here before",
      );
      return Promise.resolve();
    }
    if (this.busy !== null) return this.busy;
    this.busy = this.request(target).finally(() => {
      this.busy = null;
    });
    return this.busy;
  }

  private async request(target: SoftwareTarget): Promise<void> {
    const { log, inbox } = this.o;
    try {
      if ((await inbox.requested()) === target.release) return;
      log.info({ release: target.release, url: target.url }, "downloading release");
      await inbox.put(target);
      log.info({ release: target.release }, "release downloaded; update requested");
    } catch (err) {
      log.error({ err, release: target.release }, "release download failed; tried again with the next config or restart");
    }
  }
}
