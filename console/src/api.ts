/** The cloud API as the console uses it: Bearer key from sessionStorage, problems with paths. */

const KEY = "arrival.apiKey";

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** An API error answer: `{ error: { code, message, details } }`. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly Problem[] = [],
  ) {
    super(message);
  }
}

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, key);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = apiKey();
  return { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

let onUnauthorized: () => void = () => undefined;

/** What to do when the cloud stops accepting the key (revoked meanwhile): main signs out. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

async function problemOf(res: Response): Promise<ApiProblem> {
  if (res.status === 401) onUnauthorized();
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: Problem[] } };
    return new ApiProblem(res.status, body.error?.code ?? "HTTP", body.error?.message ?? res.statusText, body.error?.details);
  } catch {
    return new ApiProblem(res.status, "HTTP", res.statusText || `HTTP ${res.status}`);
  }
}

/** `extra` headers go with the request, e.g. the `idempotency-key` of a write that must happen once. */
export async function api<T>(method: "GET" | "POST" | "PUT", path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: headers({ ...(body === undefined ? {} : { "content-type": "application/json" }), ...extra }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    cache: "no-store",
  });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

export const get = <T>(path: string) => api<T>("GET", path);

/** A GET whose answer is text (a CSV export), with the key; problems as for `api`. */
export async function getText(path: string): Promise<string> {
  const res = await fetch(path, { headers: headers(), cache: "no-store" });
  if (!res.ok) throw await problemOf(res);
  return res.text();
}

/**
 * Reads a server-sent-events stream with fetch, which can send the Bearer key (EventSource cannot).
 * Calls `onEvent` per event; resolves when the stream ends, rejects on an HTTP error.
 */
export async function stream(
  path: string,
  signal: AbortSignal,
  onEvent: (event: string, data: string) => void,
): Promise<void> {
  const res = await fetch(path, { headers: headers({ accept: "text/event-stream" }), signal, cache: "no-store" });
  if (!res.ok || !res.body) throw await problemOf(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    // Events are separated by a blank line (WHATWG HTML §9.2.6).
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0) onEvent(event, data.join("\n"));
    }
  }
}

export interface Session {
  readonly role: string;
  readonly orgId: string;
  readonly storeId: string | null;
}
