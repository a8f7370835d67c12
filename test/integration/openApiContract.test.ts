/**
 * The API's OpenAPI document, as `/docs` serves it from the running app, checked by an OpenAPI
 * validator (the JSON Schemas of OpenAPI 3.0 and 3.1 as published by the OpenAPI Initiative), so a
 * client generator can read it, and checked for what a generated client needs beyond validity: the
 * shape of every success answer, a module (tag) and a method name (operationId) per operation, and
 * where the API is served.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudFixture, createCloudFixture } from "../cloud/cloudFixture.js";

interface Operation {
  readonly tags?: readonly string[];
  readonly operationId?: string;
  readonly summary?: string;
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }>;
}
interface Document {
  readonly openapi: string;
  readonly servers?: readonly { readonly url: string }[];
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
}


const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

function operationsOf(doc: Document): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ key: `${method} ${path}`, op })),
  );
}

describe("OpenAPI contract", () => {
  let f: CloudFixture;
  let doc: Document;
  beforeAll(async () => {
    f = await createCloudFixture();
    const res = await f.cloud.http.inject({ method: "GET", url: "/docs" });
    expect(res.statusCode).toBe(200);
    doc = res.json<Document>();
  });
  afterAll(async () => f.close());

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents a success answer with its schema for every operation", () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    const missing = operations
      .filter(({ op }) => {
        const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2(\d\d|XX)$/i.test(status));
        return !success.some(([, r]) => Object.values(r.content ?? {}).some((media) => media.schema !== undefined));
      })
      .map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it("gives every operation a declared tag and a unique operationId", () => {
    const declared = new Map((doc.tags ?? []).map((t) => [t.name, t.description ?? ""]));
    const problems: string[] = [];
    const ids = new Map<string, string>();
    for (const { key, op } of operationsOf(doc)) {
      if (!op.tags?.length) problems.push(`${key}: no tag`);
      for (const tag of op.tags ?? []) if (!declared.has(tag)) problems.push(`${key}: tag ${tag} is not declared`);
      if (!op.operationId) problems.push(`${key}: no operationId`);
      else if (!/^[a-z][A-Za-z0-9]*$/.test(op.operationId)) problems.push(`${key}: operationId ${op.operationId} is no identifier`);
      else if (ids.has(op.operationId)) problems.push(`${key}: operationId ${op.operationId} is also ${ids.get(op.operationId)}'s`);
      else ids.set(op.operationId, key);
    }
    expect(problems).toEqual([]);
    expect(ids.get("getRulesByRuleId")).toBe("get /v1/rules/{ruleId}");
    expect(doc.paths["/v1/rules"]?.post?.tags).toEqual(["rules"]);
  });

  it("says where the API is served and describes every tag", () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.servers?.every((s) => s.url.length > 0)).toBe(true);
    const tags = doc.tags ?? [];
    expect(tags.length).toBeGreaterThanOrEqual(8);
    expect(tags.filter((t) => !t.description?.trim()).map((t) => t.name)).toEqual([]);
    const used = new Set(operationsOf(doc).flatMap(({ op }) => op.tags ?? []));
    expect(tags.filter((t) => !used.has(t.name)).map((t) => t.name)).toEqual([]);
  });
});
