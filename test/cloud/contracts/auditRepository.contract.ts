import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditRepository } from "../../../cloud/src/services/repositories.js";
import type { BackendUnderTest, MakeBackend } from "./repositoryContract.js";

/** What every backend's AuditRepository does: an append-only log read back per target. */
export function describeAuditRepositoryContract(name: string, makeBackend: MakeBackend): void {
  describe(`AuditRepository contract: ${name}`, () => {
    let backend: BackendUnderTest;
    let audit: AuditRepository;

    beforeEach(async () => {
      backend = await makeBackend();
      audit = backend.repos.audit;
    });
    afterEach(async () => {
      await backend.close();
    });

    it("reads a target's entries newest first, in writing order within the same time", async () => {
      await audit.audit({ at: 10, actor: "k1", action: "store.create", target: "store:s1", detail: { name: "A" } });
      await audit.audit({ at: 30, actor: "k1", action: "store.update", target: "store:s1", detail: { n: 1 } });
      await audit.audit({ at: 30, actor: "k2", action: "store.update", target: "store:s1", detail: { n: 2 } });
      await audit.audit({ at: 20, actor: "k1", action: "store.create", target: "store:s2" });
      expect(await audit.auditEntries("store:s1", 10)).toEqual([
        { at: 30, actor: "k2", action: "store.update", target: "store:s1", detail: { n: 2 } },
        { at: 30, actor: "k1", action: "store.update", target: "store:s1", detail: { n: 1 } },
        { at: 10, actor: "k1", action: "store.create", target: "store:s1", detail: { name: "A" } },
      ]);
      expect((await audit.auditEntries("store:s1", 1)).map((e) => e.detail)).toEqual([{ n: 2 }]);
    });

    it("stores an entry without detail as an empty detail, and knows nothing of other targets", async () => {
      await audit.audit({ at: 20, actor: "cli", action: "key.revoke", target: "key:k1" });
      expect(await audit.auditEntries("key:k1", 10)).toEqual([
        { at: 20, actor: "cli", action: "key.revoke", target: "key:k1", detail: {} },
      ]);
      expect(await audit.auditEntries("key:k2", 10)).toEqual([]);
    });
  });
}
