import type { paths } from "./generated/api.js";

/**
 * Types of the API's calls, read from the types generated from its OpenAPI document
 * (`generated/api.ts`, `npm run -s api-types`): the console and the SDK type their requests and
 * answers with these, so a change of the contract they do not follow fails the type-check.
 */

export type ApiMethod = "get" | "post" | "put" | "patch" | "delete";
export type ApiPath = keyof paths;
/** The operation of `method` on `path` (never when the path has no such method). */
type Operation<P extends ApiPath, M extends ApiMethod> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : never;

/** The JSON body of the operation's success answer (its 200, 201 or 202). */
export type ApiAnswer<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { responses: infer R } ? JsonOf<R[200 & keyof R]> | JsonOf<R[201 & keyof R]> | JsonOf<R[202 & keyof R]> : never;

/** The JSON body the operation takes. */
export type ApiBody<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** The operation's path parameters (`{ userId: string }` for `/v1/users/{userId}/points`). */
export type ApiPathParams<P extends ApiPath, M extends ApiMethod> =
  Operation<P, M> extends { parameters: { path: infer X } } ? (X extends Record<string, unknown> ? X : Record<string, never>) : Record<string, never>;

/**
 * `true` when the contract documents an answer (not `never`) and every answer it allows is a
 * `Declared`, else `false`: `const ok: Conforms<ApiAnswer<…>, MyType> = true` fails to compile once
 * the API drops, renames or retypes a field `MyType` relies on, or stops documenting the answer.
 */
export type Conforms<Generated, Declared> = [Generated] extends [never] ? false : [Generated] extends [Declared] ? true : false;

/** `path` with each `{name}` replaced by its parameter, percent-encoded. */
export function apiPath<P extends ApiPath>(path: P, params: Readonly<Record<string, string | number>>): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new RangeError(`no value for {${name}} in ${path}`);
    return encodeURIComponent(String(value));
  });
}
