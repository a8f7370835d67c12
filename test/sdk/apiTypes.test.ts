import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API_TYPES_COMMAND, API_TYPES_PATH, openApiDocument, renderApiTypes } from "../../scripts/tools/apiTypes.js";
import { apiPath } from "../../sdk/src/apiTypes.js";

/**
 * The API types the console and the SDK are checked against are generated from the document the
 * cloud serves: the committed file must be what the code generates now, or the type-check would
 * check against a contract the API no longer has.
 */
describe("generated API types", () => {
  it(`are up to date with the API (regenerate with \`${API_TYPES_COMMAND}\`)`, async () => {
    const committed = await readFile(join(import.meta.dirname, "..", "..", API_TYPES_PATH), "utf8");
    const generated = await renderApiTypes(await openApiDocument());
    expect(generated === committed, `${API_TYPES_PATH} is out of date: run \`${API_TYPES_COMMAND}\``).toBe(true);
    // Paths as the document writes them, each operation typed.
    expect(committed).toContain('"/v1/users/{userId}/points": {');
    expect(committed).toContain(`get: operations["getUsersPoints"]`);
  }, 60_000);

  it("fills a path's parameters, percent-encoded, and refuses a missing one", () => {
    expect(apiPath("/v1/users/{userId}/coupons/{couponId}", { userId: "u 1", couponId: "c/2" })).toBe("/v1/users/u%201/coupons/c%2F2");
    expect(() => apiPath("/v1/users/{userId}/points", {})).toThrow("no value for {userId}");
  });
});
