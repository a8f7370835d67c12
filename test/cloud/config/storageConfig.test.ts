import { describe, expect, it } from "vitest";
import { ENVIRONMENT, parseCloudConfig, setPath } from "../../../cloud/src/config/loadConfig.js";

const problemsOf = (document: unknown) => {
  const parsed = parseCloudConfig(document);
  return parsed.ok ? [] : parsed.problems;
};

/** The document the environment alone would give (as the CLI builds it). */
function fromEnvironment(env: Record<string, string>): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value !== undefined) setPath(document, path, value);
  }
  return document;
}

/** The `storage` section: SQLite by default, PostgreSQL by URL, secrets from a file or the environment. */
describe("cloud storage config", () => {
  it("stays on SQLite with no storage section", () => {
    const parsed = parseCloudConfig({});
    expect(parsed.ok && parsed.config.storage).toEqual({ kind: "sqlite" });
  });

  it("takes a section with a url and no kind as PostgreSQL, with its TLS options", () => {
    const parsed = parseCloudConfig({
      storage: {
        url: "postgres://arrival@db.internal:5432/arrival",
        passwordFile: "/run/secrets/pg",
        ssl: { caFile: "/etc/arrival/pg-ca.pem" },
        maxConnections: 20,
      },
    });
    expect(parsed.ok && parsed.config.storage).toEqual({
      kind: "postgres",
      url: "postgres://arrival@db.internal:5432/arrival",
      passwordFile: "/run/secrets/pg",
      ssl: { caFile: "/etc/arrival/pg-ca.pem" },
      maxConnections: 20,
    });
  });

  it("selects PostgreSQL from the environment, and keeps a password of digits as text", () => {
    for (const password of ["0123456789", "123456", "12345678901234567890"]) {
      const parsed = parseCloudConfig(
        fromEnvironment({ ARRIVAL_PG_URL: "postgres://arrival@127.0.0.1/arrival", ARRIVAL_PG_PASSWORD: password }),
      );
      expect(parsed.ok && parsed.config.storage).toEqual({
        kind: "postgres",
        url: "postgres://arrival@127.0.0.1/arrival",
        password,
      });
    }
  });

  it("refuses two password sources, a PostgreSQL section without a url, and an unknown kind", () => {
    expect(
      problemsOf({ storage: { kind: "postgres", url: "postgres://h/db", password: "x", passwordFile: "/f" } }),
    ).toEqual([{ path: "/storage", message: expect.stringContaining("not both") }]);
    // A missing field is named at its own path.
    expect(problemsOf({ storage: { kind: "postgres" } }).map((p) => p.path)).toContain("/storage/url");
    expect(problemsOf({ storage: { kind: "mysql" } }).length).toBeGreaterThan(0);
    expect(problemsOf({ storage: { kind: "sqlite", url: "postgres://h/db" } }).length).toBeGreaterThan(0);
  });
});
