import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ERRORS } from "../../../cloud/src/adapters/http/refusals.js";
import { type CloudFixture, createCloudFixture } from "../cloudFixture.js";

/**
 * Every error leaves in the documented shape `{ error: { code, message } }` with a code from the
 * catalogue, fastify's own included (router, content-type parser, body limit): a client matches on
 * `code` and never meets another shape.
 */

let f: CloudFixture;
beforeAll(async () => {
  f = await createCloudFixture({ seedRule: false });
});
afterAll(async () => {
  await f?.close();
});

type Inject = InjectOptions;
const auth = () => ({ authorization: `Bearer ${f.keys.admin}` });

const CATALOGUE: readonly [string, () => Inject, number, string][] = [
  ["a 5 000-character path segment (router's param limit)", () => ({ method: "GET", url: `/v1/stores/${"x".repeat(5000)}`, headers: auth() }), 414, "URI_TOO_LONG"],
  ["a path that is not valid percent-encoding", () => ({ method: "GET", url: "/v1/stores/%E0%A4%A", headers: auth() }), 400, "BAD_URL"],
  ["a body above the limit", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/json" }, payload: `{"name":"${"x".repeat(70_000)}"}` }), 413, "PAYLOAD_TOO_LARGE"],
  ["a body that is not JSON", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/json" }, payload: "{not json" }), 400, "MALFORMED_JSON"],
  ["an empty JSON body", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/json" }, payload: "" }), 400, "MALFORMED_JSON"],
  ["text/plain", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "text/plain" }, payload: "hello" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["an unknown media type", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/x-whatever" }, payload: "{}" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["a malformed content-type header", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": ";;;" }, payload: "{}" }), 415, "UNSUPPORTED_MEDIA_TYPE"],
  // JSON is UTF-8 (RFC 8259 8.1): the charset parameter is ignored and the body judged as JSON.
  ["a JSON content-type with a bogus charset", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/json; charset=klingon" }, payload: "{}" }), 400, "VALIDATION_FAILED"],
  ["a wrong content-length", () => ({ method: "POST", url: "/v1/stores", headers: { ...auth(), "content-type": "application/json", "content-length": "999" }, payload: "{}" }), 400, "BAD_REQUEST"],
  ["a method the route does not have", () => ({ method: "DELETE", url: "/v1/health", headers: auth() }), 404, "NOT_FOUND"],
  ["an unknown route", () => ({ method: "GET", url: "/nowhere" }), 404, "NOT_FOUND"],
  ["no key", () => ({ method: "GET", url: "/v1/stores/s1" }), 401, "UNAUTHORIZED"],
  ["a query of the wrong type", () => ({ method: "GET", url: "/v1/stores/s1/visits?limit=lots", headers: auth() }), 400, "VALIDATION_FAILED"],
];

describe("every HTTP error in the documented shape", () => {
  it.each(CATALOGUE)("%s", async (_name, request, status, code) => {
    const res = await f.cloud.http.inject(request());
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const body = res.json<{ error: { code: string; message: string } }>();
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(API_ERRORS[code as keyof typeof API_ERRORS]).toBe(status);
  });
});
