import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A TypeScript entry point of this repository run in a real child process with `node --import tsx`
 * (one process: the `tsx` binary would put a wrapper process in between, and a SIGKILL would hit
 * the wrapper, not the program). Keeps stdout lines so a test can wait for what the child reports.
 */
export class TsxChild {
  readonly lines: string[] = [];
  readonly exited: Promise<ChildExit>;
  private readonly child: ChildProcess;
  private stderr = "";
  private listeners: (() => void)[] = [];

  constructor(script: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    this.child = spawn(process.execPath, ["--import", "tsx", join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let partial = "";
    this.child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      this.lines.push(...parts.filter((line) => line.length > 0));
      for (const listener of this.listeners) listener();
    });
    this.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The last few kilobytes of the child's standard error, for failure messages. */
  get errorOutput(): string {
    return this.stderr;
  }

  /** Resolves with the first stdout line (seen so far or later) that `match` accepts. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let seen = 0;
      const check = (): boolean => {
        for (; seen < this.lines.length; seen++) {
          const line = this.lines[seen];
          if (line !== undefined && match(line)) {
            resolve(line);
            return true;
          }
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out waiting for ${what}; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
      void this.exited.then(() => {
        if (!this.listeners.includes(listener)) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        clearTimeout(timer);
        reject(new Error(`child exited while waiting for ${what}; stderr:\n${this.stderr}`));
      });
    });
  }

  /** Sends `signal` and resolves when the child is gone. */
  async kill(signal: NodeJS.Signals): Promise<ChildExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
