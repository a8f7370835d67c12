import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../../sdk/src/generated/api.js";

/**
 * The cloud API as the console uses it: a client typed by the paths generated from the API's
 * OpenAPI document (`npm run -s api-types`), so a page reads only what the contract answers and
 * sends only what it accepts; Bearer key from sessionStorage; problems with paths.
 */

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

let onUnauthorized: () => void = () => undefined;

/** What to do when the cloud stops accepting the key (revoked meanwhile): main signs out. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Signs each request with the key in hand (none before sign-in); a 401 signs the console out. */
const signing: Middleware = {
  onRequest({ request }) {
    const key = apiKey();
    if (key) request.headers.set("authorization", `Bearer ${key}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

/**
 * The typed client: `client.GET("/v1/rules/{ruleId}", { params: { path: { ruleId } } })`. Answers
 * are never cached (a page shows what is true now). Wrap a call in `ok` to get its data or throw.
 */
export const client = createClient<paths>({ cache: "no-store" });
client.use(signing);

/** The JSON body an operation takes, as the contract declares it. */
export type BodyOf<P extends keyof paths, M extends "post" | "put"> = paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** The JSON a successful operation answers (its 200, else its 201), as the contract declares it. */
export type AnswerOf<P extends keyof paths, M extends "get" | "post" | "put" | "delete"> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { "application/json": infer A } } }
    ? A
    : R extends { 201: { content: { "application/json": infer A } } }
      ? A
      : never
  : never;

/** What an openapi-fetch call resolves to: the data of a success, or the error body. */
type Answer<D> = { data: D; error?: never; response: Response } | { data?: never; error: unknown; response: Response };

/** The data of a successful call; an error answer becomes an `ApiProblem` naming its fields. */
export async function ok<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok && error === undefined) return data as D;
  const body = (typeof error === "object" && error !== null ? error : {}) as { error?: { code?: string; message?: string; details?: Problem[] } };
  return Promise.reject(
    new ApiProblem(response.status, body.error?.code ?? "HTTP", body.error?.message ?? (response.statusText || `HTTP ${response.status}`), body.error?.details),
  );
}

/**
 * Reads a server-sent-events stream through the client (fetch, which can send the Bearer key;
 * EventSource cannot). Calls `onEvent` per event; resolves when the stream ends, rejects on an HTTP
 * error.
 */
export async function stream(signal: AbortSignal, onEvent: (event: string, data: string) => void): Promise<void> {
  const body = await ok(client.GET("/v1/live/stream", { parseAs: "stream", signal, headers: { accept: "text/event-stream" } }));
  if (!body) throw new ApiProblem(500, "HTTP", "the live stream has no body");
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
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
