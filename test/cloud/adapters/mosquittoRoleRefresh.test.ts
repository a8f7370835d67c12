import { describe, expect, it } from "vitest";
import { EmbeddedBrokerAccess } from "../../../cloud/src/adapters/broker/EmbeddedBrokerAccess.js";
import {
  type DynsecAcl,
  type DynsecCommand,
  type DynsecResponse,
  dynsecAclsFor,
  dynsecRoleName,
  MosquittoDynsec,
} from "../../../cloud/src/adapters/mqtt/MosquittoDynsec.js";
import type { MqttIdentity } from "../../../cloud/src/domain/access/mqttAccess.js";
import {
  BrokerAccessError,
  type BrokerAccessProvisioner,
  UnmanagedBrokerAccess,
} from "../../../cloud/src/services/BrokerAccessProvisioner.js";
import type { MqttAccount } from "../../../cloud/src/services/repositories.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

/**
 * The dynsec plugin's role and client commands over an in-memory store, answering as mosquitto 2.0
 * does (errors as text, a role's ACLs with priority 0 when none was given), instead of a broker.
 */
class FakeDynsec extends MosquittoDynsec {
  readonly roles = new Map<string, DynsecAcl[]>();
  readonly clientRoles = new Map<string, string[]>();
  readonly messages: DynsecCommand[][] = [];
  /** Messages from this one on (0-based) are not answered. */
  unansweredFrom = Number.POSITIVE_INFINITY;
  /** Roles whose modifyRole the broker refuses. */
  readonly refuseModify = new Set<string>();

  constructor(readonly log = new RecordingLogger()) {
    super({ url: "mqtt://unused", username: "admin", log });
  }

  override async send(commands: readonly DynsecCommand[]): Promise<DynsecResponse[]> {
    if (this.messages.length >= this.unansweredFrom) {
      this.messages.push([...commands]);
      throw new BrokerAccessError("BROKER_UNAVAILABLE", "mosquitto did not answer");
    }
    this.messages.push([...commands]);
    return commands.map((c) => this.answer(c));
  }

  private answer(c: DynsecCommand): DynsecResponse {
    const rolename = String(c.rolename);
    switch (c.command) {
      case "getRole": {
        const acls = this.roles.get(rolename);
        if (!acls) return { command: c.command, error: "Role not found" };
        return { command: c.command, data: { role: { rolename, acls: acls.map((a) => ({ priority: 0, ...a })) } } };
      }
      case "createRole":
        if (this.roles.has(rolename)) return { command: c.command, error: "Role already exists" };
        this.roles.set(rolename, []);
        return { command: c.command };
      case "modifyRole":
        if (this.refuseModify.has(rolename)) return { command: c.command, error: "Internal error" };
        if (!this.roles.has(rolename)) return { command: c.command, error: "Role not found" };
        this.roles.set(rolename, [...(c.acls as DynsecAcl[])]);
        return { command: c.command };
      case "addClientRole": {
        const roles = this.clientRoles.get(String(c.username));
        if (!roles) return { command: c.command, error: "Client not found" };
        roles.push(rolename);
        return { command: c.command };
      }
      default:
        return { command: c.command, error: "Unknown command" };
    }
  }
}

const gateway = (n: number): MqttAccount => {
  const identity: MqttIdentity = { role: "gateway", storeId: "s1", gatewayId: `g${n}` };
  return { username: `gw.s1.g${n}`, identity };
};
const app = (n: number): MqttAccount => ({ username: `app.u${n}`, identity: { role: "app", userId: `u${n}` } });

/** The accounts in pages, counting how many pages were read. */
function paged(pages: readonly (readonly MqttAccount[])[]): { source: AsyncIterable<readonly MqttAccount[]>; read: () => number } {
  let read = 0;
  return {
    source: (async function* () {
      for (const page of pages) {
        read++;
        yield page;
      }
    })(),
    read: () => read,
  };
}

/** A gateway role as a release before the clock topics wrote it. */
const withoutClockTopics = (account: MqttAccount): DynsecAcl[] =>
  dynsecAclsFor(account.identity).filter((a) => !a.topic.endsWith("/time") && !a.topic.endsWith("/time-reply"));

describe("MosquittoDynsec.refresh", () => {
  it("rewrites only the roles that differ from this release's, reading 100 and writing 10 roles a message, touching no client", async () => {
    const dynsec = new FakeDynsec();
    const accounts = [...Array.from({ length: 150 }, (_, i) => gateway(i)), ...Array.from({ length: 100 }, (_, i) => app(i))];
    for (const a of accounts) {
      const current = a.identity.role === "gateway" ? withoutClockTopics(a) : dynsecAclsFor(a.identity);
      dynsec.roles.set(dynsecRoleName(a.username), current);
    }
    // Pages that do not line up with messages.
    const summary = await dynsec.refresh(paged([accounts.slice(0, 120), accounts.slice(120)]).source);
    expect(summary).toEqual({ unchanged: 100, refreshed: 150, failed: 0, stoppedBy: null });
    for (const a of accounts) {
      expect(dynsec.roles.get(dynsecRoleName(a.username))).toEqual(dynsecAclsFor(a.identity));
    }
    for (const message of dynsec.messages) {
      const roles = new Set(message.map((c) => c.rolename));
      const writes = message.some((c) => c.command !== "getRole");
      // Reads 100 roles a message; writes, which mosquitto saves one by one, 10.
      expect(roles.size).toBeLessThanOrEqual(writes ? 10 : 100);
    }
    expect(dynsec.messages.filter((m) => m[0]?.command === "getRole")).toHaveLength(4); // 100 + 20, 100 + 30
    expect(dynsec.messages.filter((m) => m[0]?.command === "modifyRole")).toHaveLength(15);
    const commands = dynsec.messages.flat().map((c) => c.command);
    expect(new Set(commands)).toEqual(new Set(["getRole", "modifyRole"]));
    expect(commands.filter((c) => c === "modifyRole")).toHaveLength(150);
    // No password, client or connection is touched.
    expect(commands.some((c) => /Client/.test(c))).toBe(false);
  });

  it("writes nothing when every role is current (mosquitto rewrites its whole file per change)", async () => {
    const dynsec = new FakeDynsec();
    const accounts = Array.from({ length: 30 }, (_, i) => gateway(i));
    await dynsec.refresh(paged([accounts]).source);
    dynsec.messages.length = 0;
    const again = await dynsec.refresh(paged([accounts]).source);
    expect(again).toEqual({ unchanged: 30, refreshed: 0, failed: 0, stoppedBy: null });
    expect(dynsec.messages.flat().every((c) => c.command === "getRole")).toBe(true);
  });

  it("creates a missing role and gives it back to its client; an account unknown to the broker is no failure", async () => {
    const dynsec = new FakeDynsec();
    dynsec.clientRoles.set("gw.s1.g1", []);
    const summary = await dynsec.refresh(paged([[gateway(1), gateway(2)]]).source);
    expect(summary).toEqual({ unchanged: 0, refreshed: 2, failed: 0, stoppedBy: null });
    expect(dynsec.roles.get(dynsecRoleName("gw.s1.g1"))).toEqual(dynsecAclsFor(gateway(1).identity));
    expect(dynsec.clientRoles.get("gw.s1.g1")).toEqual([dynsecRoleName("gw.s1.g1")]);
  });

  it("counts and logs a refused role, without secrets, and goes on with the others", async () => {
    const dynsec = new FakeDynsec();
    const accounts = [gateway(1), gateway(2), gateway(3)];
    for (const a of accounts) dynsec.roles.set(dynsecRoleName(a.username), withoutClockTopics(a));
    dynsec.refuseModify.add(dynsecRoleName("gw.s1.g2"));
    const summary = await dynsec.refresh(paged([accounts]).source);
    expect(summary).toEqual({ unchanged: 0, refreshed: 2, failed: 1, stoppedBy: null });
    const warning = dynsec.log.entries.find((e) => e.level === "warn");
    expect(warning?.obj).toEqual({ refused: 1, first: "gw.s1.g2: modifyRole: Internal error" });
  });

  it("stops when the broker stops answering: the batch in flight counts as failed and no further page is read", async () => {
    const dynsec = new FakeDynsec();
    // The first batch's read and its 10 messages of writes are answered, the second's read is not.
    dynsec.unansweredFrom = 11;
    const accounts = Array.from({ length: 250 }, (_, i) => gateway(i));
    const pages = paged([accounts.slice(0, 100), accounts.slice(100, 200), accounts.slice(200)]);
    const summary = await dynsec.refresh(pages.source);
    expect(summary?.refreshed).toBe(100);
    expect(summary?.failed).toBe(100);
    expect(summary?.stoppedBy).toBeInstanceOf(BrokerAccessError);
    expect((summary?.stoppedBy as BrokerAccessError).code).toBe("BROKER_UNAVAILABLE");
    expect(pages.read()).toBe(2);
    // Repeating it (the next start) completes it, and finds the first batch current.
    dynsec.unansweredFrom = Number.POSITIVE_INFINITY;
    expect(await dynsec.refresh(paged([accounts]).source)).toEqual({ unchanged: 100, refreshed: 150, failed: 0, stoppedBy: null });
  });

  it("ends between messages once aborted", async () => {
    const dynsec = new FakeDynsec();
    const abort = new AbortController();
    const accounts = Array.from({ length: 300 }, (_, i) => gateway(i));
    const source = (async function* () {
      yield accounts.slice(0, 200);
      abort.abort(new Error("stopping"));
      yield accounts.slice(200);
    })();
    const summary = await dynsec.refresh(source, abort.signal);
    expect(summary).toMatchObject({ refreshed: 200, failed: 0 });
    expect(summary?.stoppedBy?.message).toBe("stopping");
  });
});

describe("refresh on brokers that keep no roles", () => {
  it.each([
    ["embedded", () => new EmbeddedBrokerAccess({ disconnect: () => 0, revokedSince: async () => [], now: () => 0, log: new RecordingLogger() })],
    ["unmanaged", () => new UnmanagedBrokerAccess()],
  ] as const)("%s: resolves to null without reading an account", async (_name, make) => {
    const pages = paged([[gateway(1)]]);
    const provisioner: BrokerAccessProvisioner = make();
    expect(await provisioner.refresh(pages.source)).toBeNull();
    expect(pages.read()).toBe(0);
  });
});
