/**
 * The API's OpenAPI document, as `/docs` serves it from the running app, checked by an OpenAPI
 * validator (the JSON Schemas of OpenAPI 3.0 and 3.1 as published by the OpenAPI Initiative), so a
 * client generator can read it.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";

describe("OpenAPI contract", () => {
  let f: CloudFixture;
  beforeAll(async () => {
    f = await createCloudFixture();
  });
  afterAll(async () => f.close());

  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await f.cloud.http.inject({ method: "GET", url: "/docs" });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string }>();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });
});
