import { describe, expect, it } from "vitest";
import type {
  BrokerAccessProvisioner,
  RoleRefreshSummary,
} from "../../../cloud/src/services/BrokerAccessProvisioner.js";
import { BrokerAccessError } from "../../../cloud/src/services/BrokerAccessProvisioner.js";
import { CredentialService } from "../../../cloud/src/services/CredentialService.js";
import { MqttRoleRefresh } from "../../../cloud/src/services/MqttRoleRefresh.js";
import type { MqttAccount } from "../../../cloud/src/services/repositories.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { openTempSqlite } from "../../support/tempSqlite.js";
import { ManualClock } from "../manualClock.js";

type Refresh = BrokerAccessProvisioner["refresh"];

const noAccounts = async function* (): AsyncGenerator<MqttAccount[]> {};

describe("MqttRoleRefresh", () => {
  it("starts without waiting for the broker, and logs how many roles it refreshed", async () => {
    let finish: (summary: RoleRefreshSummary) => void = () => undefined;
    const refresh: Refresh = () => new Promise((resolve) => (finish = resolve));
    const log = new RecordingLogger();
    const roles = new MqttRoleRefresh({ provisioner: { kind: "mosquitto-dynsec", refresh }, accounts: noAccounts, log });
    roles.start();
    expect(log.entries).toEqual([]);
    finish({ unchanged: 7, refreshed: 3, failed: 0, stoppedBy: null });
    await roles.done();
    expect(log.entries).toEqual([
      {
        level: "info",
        msg: "mqtt roles refreshed",
        obj: { broker: "mosquitto-dynsec", refreshed: 3, unchanged: 7, failed: 0 },
      },
    ]);
  });

  it("warns with the counts and the cause when the broker stopped answering or refused some", async () => {
    const stoppedBy = new BrokerAccessError("BROKER_UNAVAILABLE", "mosquitto did not answer");
    const log = new RecordingLogger();
    const roles = new MqttRoleRefresh({
      provisioner: { kind: "mosquitto-dynsec", refresh: async () => ({ unchanged: 0, refreshed: 100, failed: 100, stoppedBy }) },
      accounts: noAccounts,
      log,
    });
    roles.start();
    await roles.done();
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({
      level: "warn",
      obj: { refreshed: 100, failed: 100, err: stoppedBy },
    });
    expect(log.entries[0]?.msg).toMatch(/next start/);
  });

  it("logs nothing for a broker that keeps no roles, and an unexpected rejection as an error, never throwing", async () => {
    const quiet = new RecordingLogger();
    const none = new MqttRoleRefresh({ provisioner: { kind: "embedded", refresh: async () => null }, accounts: noAccounts, log: quiet });
    none.start();
    expect(await none.done()).toBeNull();
    expect(quiet.entries).toEqual([]);
    const log = new RecordingLogger();
    const broken = new MqttRoleRefresh({
      provisioner: {
        kind: "mosquitto-dynsec",
        refresh: async () => {
          throw new Error("bug");
        },
      },
      accounts: noAccounts,
      log,
    });
    broken.start();
    expect(await broken.done()).toBeNull();
    expect(log.entries.map((e) => e.level)).toEqual(["error"]);
  });

  it("stop aborts the run and waits for it", async () => {
    let seen: AbortSignal | undefined;
    const refresh: Refresh = (_accounts, signal) =>
      new Promise((resolve) => {
        seen = signal;
        signal?.addEventListener("abort", () =>
          resolve({ unchanged: 0, refreshed: 1, failed: 0, stoppedBy: signal.reason as Error }),
        );
      });
    const log = new RecordingLogger();
    const roles = new MqttRoleRefresh({ provisioner: { kind: "mosquitto-dynsec", refresh }, accounts: noAccounts, log });
    roles.start();
    await roles.stop();
    expect(seen?.aborted).toBe(true);
    expect(log.entries).toMatchObject([{ level: "info", msg: expect.stringMatching(/stopped with the cloud/) }]);
  });
});

describe("CredentialService.liveMqttAccounts", () => {
  it("pages through the unrevoked logins to the end", async () => {
    const db = await openTempSqlite("arrival-live-accounts-");
    try {
      const credentials = new CredentialService({
        credentials: db.repos.credentials,
        audit: db.repos.audit,
        clock: new ManualClock("2026-12-08T00:00:00Z"),
        log: new RecordingLogger(),
      });
      const issued: string[] = [];
      for (let i = 0; i < 5; i++) {
        issued.push((await credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: `g${i}` }, "test")).username);
      }
      await credentials.revokeMqtt("gw.s1.g2", "test");
      const pages: string[][] = [];
      for await (const page of credentials.liveMqttAccounts(2)) pages.push(page.map((a) => a.username));
      expect(pages).toEqual([["gw.s1.g0", "gw.s1.g1"], ["gw.s1.g3", "gw.s1.g4"]]);
    } finally {
      await db.close();
    }
  });
});
