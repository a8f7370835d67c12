import { describe, expect, it } from "vitest";
import { BrokerAccessError } from "../../../cloud/src/services/BrokerAccessProvisioner.js";
import { OrganisationService } from "../../../cloud/src/services/OrganisationService.js";
import type { OrganisationStatus } from "../../../cloud/src/services/repositories.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualClock } from "../manualClock.js";

/** Suspension's broker step with the broker down: recorded first, completed by repeating it. */
describe("OrganisationService suspension and the broker", () => {
  const setup = (brokerDownFor: number) => {
    const clock = new ManualClock("2026-12-07T06:00:00Z");
    let status: OrganisationStatus = { id: "acme", name: "Acme", createdAt: 0, suspendedAt: null };
    const calls: string[] = [];
    let failures = brokerDownFor;
    const service = new OrganisationService({
      directory: {
        createOrganisation: async () => false,
        getOrganisationStatus: async (id) => (id === status.id ? status : null),
        listOrganisationStatuses: async () => [status],
        setOrganisationSuspended: async (_id, suspendedAt) => {
          const changed = (status.suspendedAt === null) !== (suspendedAt === null);
          if (changed) status = { ...status, suspendedAt };
          return changed;
        },
      },
      credentials: {
        issueApiKey: async () => ({ id: "k", key: "ak" }),
        issueOperatorKey: async () => ({ id: "o", key: "op" }),
        hasOperator: async () => true,
        suspendOrganisationMqtt: async (orgId) => {
          calls.push(`suspend ${orgId}`);
          if (failures-- > 0) throw new BrokerAccessError("BROKER_UNAVAILABLE", "mosquitto did not answer");
          return ["gw.s1.g1", "app.u1"];
        },
        resumeOrganisationMqtt: async (orgId) => {
          calls.push(`resume ${orgId}`);
          return ["gw.s1.g1", "app.u1"];
        },
      },
      audit: { audit: async () => undefined },
      clock,
      log: new RecordingLogger(),
    });
    return { service, calls, status: () => status };
  };

  it("records the suspension even when the broker is down, and a repeat cuts the logins", async () => {
    const { service, calls, status } = setup(1);
    await expect(service.suspend("acme", "operator")).rejects.toMatchObject({ code: "BROKER_UNAVAILABLE" });
    // The API keys already stop: the suspension is recorded.
    expect(status().suspendedAt).not.toBeNull();
    const again = await service.suspend("acme", "operator");
    expect(again).toMatchObject({ ok: true, value: { suspendedAt: status().suspendedAt } });
    expect(calls).toEqual(["suspend acme", "suspend acme"]);
  });

  it("enables the logins again on reinstatement, and leaves an unknown organisation alone", async () => {
    const { service, calls } = setup(0);
    await service.suspend("acme", "operator");
    expect(await service.reinstate("acme", "operator")).toMatchObject({ ok: true, value: { suspendedAt: null } });
    expect(calls).toEqual(["suspend acme", "resume acme"]);
    expect(await service.suspend("nobody", "operator")).toMatchObject({ ok: false });
    expect(calls).toHaveLength(2);
  });
});
