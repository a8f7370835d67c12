/**
 * Polls `check` every `intervalMs` until it holds; rejects with `what` after `timeoutMs`. Tests wait
 * on outcomes this way instead of sleeping for a guessed time, so a slow shared machine only makes
 * them slower, not red.
 */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what = "condition",
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
