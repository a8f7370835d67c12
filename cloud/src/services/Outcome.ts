import type { Problem } from "../../../protocol/index.js";

/** Why a request was not carried out; the HTTP layer maps `kind` to a status and a stable code. */
export type Refusal =
  | { readonly kind: "not-found"; readonly message: string }
  | { readonly kind: "forbidden"; readonly message: string }
  | { readonly kind: "invalid"; readonly message: string; readonly problems: readonly Problem[] }
  | { readonly kind: "conflict"; readonly message: string };

/** An expected outcome as a value: the result, or why not. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & Refusal);

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const notFound = (message: string): { ok: false } & Refusal => ({ ok: false, kind: "not-found", message });
export const forbidden = (message: string): { ok: false } & Refusal => ({ ok: false, kind: "forbidden", message });
export const conflict = (message: string): { ok: false } & Refusal => ({ ok: false, kind: "conflict", message });
/**
 * An id in a namespace shared by every organisation (store, gateway, rule and user ids are global:
 * MQTT topic levels or keys in shared tables) that cannot be given out because it is held. One
 * answer, whichever organisation holds the id, so a refusal tells a caller nothing about another
 * organisation beyond "pick another id". An id the product reserves (the rule id `dry-run`) is not
 * this: it is invalid input (400) for everyone, which says nothing about anyone.
 */
export const idNotAvailable = (what: "store" | "gateway" | "rule", id: string): { ok: false } & Refusal =>
  conflict(`${what} id ${id} is not available; choose another`);
export const invalid = (problems: readonly Problem[]): { ok: false } & Refusal => ({
  ok: false,
  kind: "invalid",
  message: problems.map((p) => `${p.path || "/"}: ${p.message}`).join("\n"),
  problems,
});
