import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger, Scheduler, TimerHandle } from "../../services/ports.js";
import { systemScheduler } from "../../services/ports.js";
import type { EncryptionAnswers, EncryptionRequest } from "./webPushEncryptionWorker.js";

/** The threads a pool starts by default: one fewer than the cores (the event loop keeps one), 1 to 4. */
export function defaultEncryptionThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** How a pool replaces threads that die, and what it tells the operator about them. */
export interface EncryptionPoolOptions {
  /** Timers of the respawn backoff (default the process's own). */
  readonly scheduler?: Scheduler;
  /** Told once when threads start dying and once when one answers again (default silent). */
  readonly log?: Logger;
  /**
   * The wait before a thread may be started again after one died, doubling with each death that
   * follows before any thread answers: `initialMs` (default 100) up to `maxMs` (default 30 000).
   */
  readonly respawnBackoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Starts one thread (default the encryption worker beside this file); tests start broken ones. */
  readonly startWorker?: () => Worker;
}

interface Thread {
  readonly worker: Worker;
  /** Whether it has answered a request: a thread that dies before that likely cannot start at all. */
  answered: boolean;
  /** Set once its loss is handled ("error" and "exit" both report one death). */
  gone: boolean;
  readonly pending: Map<number, { resolve: (body: Buffer) => void; reject: (err: Error) => void }>;
  /** Requests made in this turn of the event loop, posted together at its end. */
  queued: EncryptionRequest[];
}

/**
 * A small pool of `worker_threads` that encrypt Web Push messages (RFC 8291 aes128gcm). Each message
 * costs a fresh ECDH key pair and shared secret, three HKDFs and AES-GCM, about half of the sender's
 * CPU per notification; done here, the sender's event loop keeps to its HTTP requests and commits,
 * and the encryption runs on another core. Threads start on the first message, and each request
 * goes to the thread with the fewest in flight. A thread that dies fails the messages it held (the
 * outbox retries them) and is replaced on a later message, after a wait that doubles while threads
 * keep dying (a worker that cannot start must not be respawned in a tight loop); while no thread
 * may be started, messages fail at once and the outbox retries them.
 */
export class WebPushEncryptionPool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;
  private readonly scheduler: Scheduler;
  private readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  private readonly startWorker: () => Worker;
  /** Threads lost since one last answered: the length of the current failure streak. */
  private deaths = 0;
  /** Set while a lost thread may not yet be replaced. */
  private respawnTimer: TimerHandle | null = null;

  constructor(
    private readonly size: number = defaultEncryptionThreads(),
    private readonly o: EncryptionPoolOptions = {},
  ) {
    this.scheduler = o.scheduler ?? systemScheduler;
    this.backoff = o.respawnBackoff ?? { initialMs: 100, maxMs: 30_000 };
    this.startWorker = o.startWorker ?? startEncryptionWorker;
  }

  /**
   * The body to POST for `plaintext` (UTF-8) to a subscription whose keys are base64url (as the
   * browser hands them over), as `encryptWebPush` would make it.
   */
  encrypt(
    plaintext: string,
    subscription: { readonly p256dh: string; readonly auth: string },
    fixed?: { readonly privateKey: Buffer; readonly salt: Buffer },
  ): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error("the encryption pool is closed"));
    const thread = this.pick();
    if (thread === null) return Promise.reject(new Error("web push encryption threads are restarting after a failure"));
    const id = this.nextId++;
    const request: EncryptionRequest = {
      id,
      plaintext,
      p256dh: subscription.p256dh,
      auth: subscription.auth,
      ...(fixed ? { fixed: { privateKey: new Uint8Array(fixed.privateKey), salt: new Uint8Array(fixed.salt) } } : {}),
    };
    return new Promise<Buffer>((resolve, reject) => {
      // Only a thread with work keeps the process alive; an idle pool does not hold up an exit.
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve, reject });
      // One message per turn rather than per request: posting and answering cost the event loop
      // about a sixth of what the encryption itself would.
      if (thread.queued.push(request) === 1)
        queueMicrotask(() => {
          const requests = thread.queued;
          thread.queued = [];
          if (requests.length > 0 && thread.pending.size > 0) thread.worker.postMessage(requests);
        });
    });
  }

  /** Stops every thread; messages still in flight fail. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.respawnTimer !== null) this.scheduler.clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    const threads = this.threads.splice(0);
    for (const thread of threads) this.fail(thread, new Error("the encryption pool is closed"));
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  /** Threads running now (they start on demand). */
  get running(): number {
    return this.threads.length;
  }

  /** The thread for the next request; null when none runs and none may be started yet. */
  private pick(): Thread | null {
    let best: Thread | undefined;
    for (const thread of this.threads) if (best === undefined || thread.pending.size < best.pending.size) best = thread;
    if (best !== undefined && (best.pending.size === 0 || this.threads.length >= this.size)) return best;
    if (this.respawnTimer !== null) return best ?? null;
    return this.spawn();
  }

  private spawn(): Thread {
    const thread: Thread = { worker: this.startWorker(), answered: false, gone: false, pending: new Map(), queued: [] };
    thread.worker.unref();
    thread.worker.on("message", (answers: EncryptionAnswers) => {
      if (!thread.answered) {
        thread.answered = true;
        if (this.deaths > 0) this.o.log?.info({ threadsLost: this.deaths }, "web push encryption thread answering again");
        this.deaths = 0;
      }
      answers.ids.forEach((id, i) => {
        const waiting = thread.pending.get(id);
        if (waiting === undefined) return;
        thread.pending.delete(id);
        const error = answers.errors[i];
        // Views of the one transferred buffer, no copies.
        const start = i === 0 ? 0 : (answers.ends[i - 1] ?? 0);
        if (error === null || error === undefined) waiting.resolve(Buffer.from(answers.bodies, start, (answers.ends[i] ?? start) - start));
        else waiting.reject(new Error(`web push encryption failed: ${error}`));
      });
      if (thread.pending.size === 0) thread.worker.unref();
    });
    const lost = (err: Error) => {
      if (thread.gone) return;
      thread.gone = true;
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
      this.fail(thread, err);
      if (!this.closed) this.holdRespawn(err);
    };
    thread.worker.on("error", (err) => lost(new Error(`web push encryption thread failed: ${err.message}`)));
    thread.worker.on("exit", (code) => lost(new Error(`web push encryption thread exited (code ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  /**
   * After a thread died, no thread starts until a wait that doubles with each death since a thread
   * last answered, capped; logged once per streak, not once per death.
   */
  private holdRespawn(err: Error): void {
    this.deaths += 1;
    const waitMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.deaths - 1, 30));
    if (this.deaths === 1) this.o.log?.warn({ err, respawnInMs: waitMs }, "web push encryption thread lost");
    else this.o.log?.debug({ err, threadsLost: this.deaths, respawnInMs: waitMs }, "web push encryption thread lost again");
    if (this.respawnTimer !== null) this.scheduler.clearTimeout(this.respawnTimer);
    this.respawnTimer = this.scheduler.setTimeout(() => {
      this.respawnTimer = null;
    }, waitMs);
  }

  private fail(thread: Thread, err: Error): void {
    thread.queued = [];
    const waiting = [...thread.pending.values()];
    thread.pending.clear();
    for (const w of waiting) w.reject(err);
  }
}

/**
 * Starts the worker from the compiled `.js` file beside this one; from the TypeScript sources (tests,
 * `tsx`), through tsx's loader, as Node 20 does not pass the parent's module hooks to a worker's entry.
 */
export function startEncryptionWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./webPushEncryptionWorker.js", here));
  const file = fileURLToPath(new URL("./webPushEncryptionWorker.ts", here));
  const tsx = createRequire(here).resolve("tsx/cjs/api");
  return new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, ${JSON.stringify(file)});`, { eval: true });
}
