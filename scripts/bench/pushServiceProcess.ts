/**
 * The local Web Push service of the benchmarks (`pushService.ts`) in a process of its own, as a
 * real push service is elsewhere: its decryption takes its own core, not the sender's.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** A subscription as a browser hands it to the page. */
export interface BenchSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface PushServiceProcess {
  /** One per subscriber asked for, in order. */
  readonly subscriptions: readonly BenchSubscription[];
  /** What it accepted and refused so far, and the CPU it used, ms. */
  counts(): Promise<{ received: number; errors: number; cpuMs: number }>;
  /** The pushes accepted since the last call: offer id and arrival of the request (epoch ms). */
  receipts(): Promise<{ offerId: string; at: number }[]>;
  stop(): Promise<void>;
}

export async function startPushServiceProcess(subscribers: number, applicationServerKey: string): Promise<PushServiceProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "pushService.ts"), String(subscribers), applicationServerKey], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  // One question at a time: each answer is the next line.
  let queue: Promise<unknown> = Promise.resolve();
  const ask = <T>(question: string | null): Promise<T> => {
    const answer = queue.then(async () => {
      if (question !== null) child.stdin.write(`${question}\n`);
      return JSON.parse(String((await lines.next()).value)) as T;
    });
    queue = answer.catch(() => undefined);
    return answer;
  };
  const { subscriptions } = await ask<{ subscriptions: BenchSubscription[] }>(null);
  return {
    subscriptions,
    counts: () => ask("counts"),
    receipts: async () => (await ask<{ receipts: { offerId: string; at: number }[] }>("receipts")).receipts,
    stop: async () => {
      child.stdin.end();
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}
