import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresDatabase } from "../../../../cloud/src/adapters/postgres/PostgresDatabase.js";
import { POSTGRES_AVAILABLE, POSTGRES_SKIP_REASON, type PostgresInstance, startPostgres } from "../../../support/postgres.js";

/**
 * The PostgreSQL pool's transactions when the server goes away under them: the transaction fails
 * (its caller retries, as ingest and decisions do), the process lives on, and the pool serves the
 * next one once the server is back.
 */
describe.skipIf(!POSTGRES_AVAILABLE)(
  `PostgresDatabase${POSTGRES_AVAILABLE ? "" : ` (skipped: ${POSTGRES_SKIP_REASON})`}`,
  () => {
    let server: PostgresInstance;
    let db: PostgresDatabase;

    beforeAll(async () => {
      server = await startPostgres();
      db = await PostgresDatabase.open({ url: await server.createDatabase("db"), maxConnections: 2, onIdleError: () => undefined });
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await server?.stop();
    });

    it("fails a transaction whose connection the server ends, without an uncaught error, and carries on", async () => {
      const uncaught: unknown[] = [];
      const record = (err: unknown): void => {
        uncaught.push(err);
      };
      process.on("uncaughtException", record);
      try {
        let inside!: () => void;
        const entered = new Promise<void>((resolve) => {
          inside = resolve;
        });
        // The server restarts while the transaction holds its connection between two statements.
        const doomed = db.transaction(async (tx) => {
          await tx.get("SELECT 1 AS n");
          inside();
          await new Promise((r) => setTimeout(r, 1500));
          return tx.get("SELECT 2 AS n");
        });
        const failed = expect(doomed).rejects.toThrow();
        await entered;
        await server.restart("fast");
        await failed;
        // Let the client's 'error' event, emitted when its socket closed, run its course.
        await new Promise((r) => setTimeout(r, 200));
        expect(uncaught).toEqual([]);
        expect(await db.transaction((tx) => tx.get<{ n: number }>("SELECT 3 AS n"))).toEqual({ n: 3 });
      } finally {
        process.off("uncaughtException", record);
      }
    }, 60_000);
  },
);
