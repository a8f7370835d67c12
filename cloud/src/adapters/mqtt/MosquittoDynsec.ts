import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { type GatewayChannel, gatewayTopic, storeTopic, TOPIC_ROOT, userTopic } from "../../../../protocol/index.js";
import type { MqttIdentity } from "../../domain/access/mqttAccess.js";
import {
  BrokerAccessError,
  type BrokerAccessProvisioner,
  type RoleRefreshSummary,
} from "../../services/BrokerAccessProvisioner.js";
import type { Logger } from "../../services/ports.js";
import type { MqttAccount } from "../../services/repositories.js";

/**
 * The mosquitto dynamic security plugin's control topics (mosquitto 2.0,
 * plugins/dynamic-security/README.md): commands are JSON published to the first, answers arrive
 * on the second, one per command, in order, echoing `correlationData`.
 */
export const DYNSEC_TOPIC = "$CONTROL/dynamic-security/v1";
export const DYNSEC_RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;

export type DynsecAclType =
  | "publishClientSend"
  | "publishClientReceive"
  | "subscribeLiteral"
  | "subscribePattern"
  | "unsubscribeLiteral"
  | "unsubscribePattern";

export interface DynsecAcl {
  readonly acltype: DynsecAclType;
  readonly topic: string;
  readonly allow: boolean;
  readonly priority?: number;
}

export interface DynsecCommand {
  readonly command: string;
  readonly [field: string]: unknown;
}

export interface DynsecResponse {
  readonly command: string;
  readonly error?: string;
  readonly data?: unknown;
  readonly correlationData?: string;
}

/** The dynsec role that carries one identity's rights; one role per identity, named after it. */
export function dynsecRoleName(username: string): string {
  return `arrival.${username}`;
}

/**
 * The mosquitto translation of `canPublish`/`canSubscribe` (cloud/src/domain/access/mqttAccess.ts)
 * for one identity, with concrete topics wherever the domain allows only concrete topics, so no
 * dynsec pattern can grant more than the embedded broker would:
 * - a gateway publishes exactly its events, status, telemetry and clock requests (`time`), and
 *   subscribes literally (no wildcard matches a literal ACL) to its config, ack, calibration labels
 *   and the cloud's clock replies (`time-reply`);
 * - an app user subscribes to anything inside `users/{id}/` (`subscribePattern` matches a filter only
 *   when every topic it can match is inside the pattern) and publishes only its own location reports;
 * - a store device subscribes literally to its own store's `pickups` and publishes nothing;
 * - the service identity publishes and subscribes under the contract root, plainly or through a
 *   shared subscription (`$share/<group>/arrival/v1/…`) of the cloud's workers.
 * `publishClientReceive` is granted on the same topics, so the rights hold even on a broker whose
 * default denies delivery. With the defaults of `dynsec init` (publish and subscribe denied, no
 * anonymous group) everything else, `$SYS` and `$CONTROL` included, is refused.
 */
export function dynsecAclsFor(identity: MqttIdentity): DynsecAcl[] {
  switch (identity.role) {
    case "gateway": {
      const topic = (channel: GatewayChannel) => gatewayTopic(identity.storeId, identity.gatewayId, channel);
      return [
        ...(["events", "status", "telemetry", "time"] as const).map(
          (c): DynsecAcl => ({ acltype: "publishClientSend", topic: topic(c), allow: true }),
        ),
        ...(["config", "ack", "labels", "time-reply"] as const).flatMap((c): DynsecAcl[] => [
          { acltype: "subscribeLiteral", topic: topic(c), allow: true },
          { acltype: "publishClientReceive", topic: topic(c), allow: true },
          { acltype: "unsubscribeLiteral", topic: topic(c), allow: true },
        ]),
      ];
    }
    case "app": {
      const subtree = `${TOPIC_ROOT}/users/${identity.userId}/#`;
      return [
        { acltype: "publishClientSend", topic: userTopic(identity.userId, "location"), allow: true },
        { acltype: "subscribePattern", topic: subtree, allow: true },
        { acltype: "publishClientReceive", topic: subtree, allow: true },
        { acltype: "unsubscribePattern", topic: subtree, allow: true },
      ];
    }
    case "store": {
      // Literal only: a store device reads its own store's pick-up arrivals and publishes nothing.
      const pickups = storeTopic(identity.storeId, "pickups");
      return [
        { acltype: "subscribeLiteral", topic: pickups, allow: true },
        { acltype: "publishClientReceive", topic: pickups, allow: true },
        { acltype: "unsubscribeLiteral", topic: pickups, allow: true },
      ];
    }
    case "service": {
      const root = `${TOPIC_ROOT}/#`;
      // mosquitto 2.0 checks a shared subscription's filter as sent, `$share/<group>/<filter>`, so
      // the workers' shared subscriptions need their own pattern (any group under the contract root).
      const shared = `$share/+/${root}`;
      return [
        { acltype: "publishClientSend", topic: root, allow: true },
        { acltype: "subscribePattern", topic: root, allow: true },
        { acltype: "subscribePattern", topic: shared, allow: true },
        { acltype: "publishClientReceive", topic: root, allow: true },
        { acltype: "unsubscribePattern", topic: root, allow: true },
        { acltype: "unsubscribePattern", topic: shared, allow: true },
      ];
    }
  }
}

export interface MosquittoDynsecOptions {
  /** The broker, as for the bus: `mqtt://`, `mqtts://`, `ws://`, `wss://`. */
  readonly url: string;
  /** An account with the dynsec admin rights (`$CONTROL/dynamic-security/#`), e.g. from `dynsec init`. */
  readonly username: string;
  readonly password?: string;
  readonly passwordFile?: string;
  readonly caFile?: string;
  /** A command batch fails with BROKER_UNAVAILABLE if not answered within this time, ms. Default 5000. */
  readonly timeoutMs?: number;
  /** How many roles one message of `refresh` reads (reads are cheap). Default 100. */
  readonly rolesPerMessage?: number;
  /**
   * How many roles one message of `refresh` rewrites. mosquitto handles a message's commands in
   * one go, serving no client meanwhile, and saves its whole configuration file after each change
   * (36 ms a change with 2 000 accounts on the test VM, more with more): small messages keep each
   * pause short. Default 10.
   */
  readonly rolesPerWrite?: number;
  /** How long a message of role writes may take, ms (see `rolesPerWrite`). Default 60000. */
  readonly refreshWriteTimeoutMs?: number;
  readonly log: Logger;
}

interface Pending {
  readonly size: number;
  readonly responses: DynsecResponse[];
  readonly resolve: (responses: DynsecResponse[]) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

const EXISTS = /already exists/i;
const NOT_FOUND = /not found/i;

/** An ACL as mosquitto reports it (`getRole`), for comparing with what this release computes. */
function aclKey(acl: { acltype: string; topic: string; allow: boolean; priority?: number }): string {
  // mosquitto stores an ACL given without a priority with priority 0.
  return JSON.stringify([acl.acltype, acl.topic, acl.allow, acl.priority ?? 0]);
}

/** Whether a role's ACLs are exactly these, in any order (mosquitto keeps them sorted by priority). */
function sameAcls(stored: readonly DynsecAcl[], wanted: readonly DynsecAcl[]): boolean {
  if (stored.length !== wanted.length) return false;
  const a = stored.map(aclKey).sort();
  const b = wanted.map(aclKey).sort();
  return a.every((key, i) => key === b[i]);
}

/** The counts of one message of roles. */
interface BatchCounts {
  unchanged: number;
  refreshed: number;
  failed: number;
}

/**
 * Provisions MQTT accounts on mosquitto through its dynamic security plugin, so credentials the
 * cloud issues work on an external mosquitto with the same least privilege as on the embedded
 * broker. Each identity gets one client (username, password, and client id bound to the username,
 * so no identity can take over another's session) and one role with its ACLs.
 *
 * grant:  createRole (tolerates "already exists"), modifyRole with the ACLs (replaces them, so a
 *         role is always exactly what this release computes), createClient with the role; if the
 *         client exists: modifyClient (new password, client id, role) and enableClient.
 * revoke: disableClient (refuses it and disconnects every live connection of that username at
 *         once), then deleteClient and deleteRole; "not found" counts as done.
 * suspend: disableClient alone (the account and its password stay); resume: enableClient.
 * refresh: getRole for each live account (100 a message), then, only for a role that differs from
 *         what this release computes, modifyRole (and createRole plus addClientRole for a missing
 *         one), 10 roles a message. No password changes and nothing is disabled; mosquitto checks a role's ACLs at each publish
 *         and subscribe, so connected clients get the new rights at once. Reading first matters:
 *         mosquitto rewrites its whole configuration file after every changing command, so a
 *         restart with nothing new writes nothing, even for 100 000 accounts.
 *
 * The admin connection is opened on first use and kept; commands are matched to answers by
 * `correlationData`, so several callers can share it.
 */
export class MosquittoDynsec implements BrokerAccessProvisioner {
  readonly kind = "mosquitto-dynsec";
  private readonly o: MosquittoDynsecOptions;
  private client: Promise<MqttClient> | null = null;
  private readonly pending = new Map<string, Pending>();
  private sequence = 0;
  private readonly prefix = randomBytes(6).toString("hex");

  constructor(options: MosquittoDynsecOptions) {
    this.o = options;
  }

  async grant(username: string, password: string, identity: MqttIdentity): Promise<void> {
    const rolename = dynsecRoleName(username);
    const acls = dynsecAclsFor(identity);
    const textname = `arrival ${identity.role}`;
    // Gateways, store devices and phones are bound to the client id of their username, so no
    // identity can take over another's session. The service account is shared by the cloud's
    // workers, each with its own client id (`<username>.<workerId>`): it is left unbound ("" clears
    // a binding).
    const clientid = identity.role === "service" ? "" : username;
    const [role, modified, created] = await this.send([
      { command: "createRole", rolename, textname },
      { command: "modifyRole", rolename, textname, acls },
      { command: "createClient", username, password, clientid, textname, roles: [{ rolename }] },
    ]);
    this.check(role, EXISTS);
    this.check(modified);
    if (created?.error !== undefined && EXISTS.test(created.error)) {
      // disableClient first: it disconnects the sessions opened with the old password, which a
      // password change alone leaves connected.
      const [disabled, client, enabled] = await this.send([
        { command: "disableClient", username },
        { command: "modifyClient", username, password, clientid, textname, roles: [{ rolename }] },
        { command: "enableClient", username },
      ]);
      this.check(disabled);
      this.check(client);
      this.check(enabled);
    } else {
      this.check(created);
    }
    this.o.log.info({ username, role: identity.role }, "mosquitto account provisioned");
  }

  async replaced(): Promise<void> {
    // grant already cut the old sessions (disableClient before modifyClient).
  }

  async revoke(username: string): Promise<void> {
    const responses = await this.send([
      { command: "disableClient", username },
      { command: "deleteClient", username },
      { command: "deleteRole", rolename: dynsecRoleName(username) },
    ]);
    for (const response of responses) this.check(response, NOT_FOUND);
    this.o.log.info({ username }, "mosquitto account revoked");
  }

  async suspend(username: string): Promise<void> {
    const [response] = await this.send([{ command: "disableClient", username }]);
    this.check(response);
    this.o.log.info({ username }, "mosquitto account disabled (organisation suspended)");
  }

  async resume(username: string): Promise<void> {
    const [response] = await this.send([{ command: "enableClient", username }]);
    this.check(response);
    this.o.log.info({ username }, "mosquitto account enabled (organisation reinstated)");
  }

  async refresh(accounts: AsyncIterable<readonly MqttAccount[]>, signal?: AbortSignal): Promise<RoleRefreshSummary> {
    const perMessage = Math.max(1, this.o.rolesPerMessage ?? 100);
    const total: BatchCounts = { unchanged: 0, refreshed: 0, failed: 0 };
    try {
      for await (const page of accounts) {
        for (let i = 0; i < page.length; i += perMessage) {
          signal?.throwIfAborted();
          const batch = page.slice(i, i + perMessage);
          try {
            const counts = await this.refreshBatch(batch, signal);
            total.unchanged += counts.unchanged;
            total.refreshed += counts.refreshed;
            total.failed += counts.failed;
          } catch (err) {
            // Unanswered: some of these may have been written; the next refresh finds out.
            total.failed += batch.length;
            throw err;
          }
        }
      }
    } catch (err) {
      return { ...total, stoppedBy: err instanceof Error ? err : new Error(String(err)) };
    }
    return { ...total, stoppedBy: null };
  }

  /** Reads the roles of one message of accounts and rewrites those that differ. */
  private async refreshBatch(batch: readonly MqttAccount[], signal: AbortSignal | undefined): Promise<BatchCounts> {
    const counts: BatchCounts = { unchanged: 0, refreshed: 0, failed: 0 };
    const wanted = batch.map((account) => ({
      username: account.username,
      rolename: dynsecRoleName(account.username),
      textname: `arrival ${account.identity.role}`,
      acls: dynsecAclsFor(account.identity),
    }));
    const current = await this.send(wanted.map((w) => ({ command: "getRole", rolename: w.rolename })));
    // Per account to write: its commands, and what each of their answers may say and still count.
    const plans: { username: string; commands: DynsecCommand[]; tolerated: (RegExp | undefined)[] }[] = [];
    const refusals: string[] = [];
    wanted.forEach((w, i) => {
      const response = current[i];
      const stored = (response?.data as { role?: { acls?: DynsecAcl[] } } | undefined)?.role?.acls;
      if (response && response.error === undefined && stored && sameAcls(stored, w.acls)) {
        counts.unchanged++;
        return;
      }
      const modify: DynsecCommand = { command: "modifyRole", rolename: w.rolename, textname: w.textname, acls: w.acls };
      if (response && response.error === undefined) {
        plans.push({ username: w.username, commands: [modify], tolerated: [undefined] });
      } else if (response?.error !== undefined && NOT_FOUND.test(response.error)) {
        // The role is gone (deleted by hand, or a broker restored from an older file): the client
        // lost it with it. addClientRole gives it back (mosquitto then disconnects the client's
        // sessions, which had no rights without it, and they reconnect with them); an account
        // missing at this broker altogether ("Client not found") cannot connect anyway, and gets
        // its account at its next issue.
        plans.push({
          username: w.username,
          commands: [
            { command: "createRole", rolename: w.rolename, textname: w.textname },
            modify,
            { command: "addClientRole", username: w.username, rolename: w.rolename },
          ],
          tolerated: [EXISTS, undefined, NOT_FOUND],
        });
      } else {
        counts.failed++;
        refusals.push(`${w.username}: ${response?.error ?? "no answer"}`);
      }
    });
    const perWrite = Math.max(1, this.o.rolesPerWrite ?? 10);
    for (let i = 0; i < plans.length; i += perWrite) {
      signal?.throwIfAborted();
      const chunk = plans.slice(i, i + perWrite);
      const answers = await this.send(
        chunk.flatMap((plan) => plan.commands),
        this.o.refreshWriteTimeoutMs ?? 60_000,
      );
      let at = 0;
      for (const plan of chunk) {
        const refusal = plan.tolerated
          .map((tolerated, k) => {
            const answer = answers[at + k];
            if (!answer) return "no answer";
            return answer.error === undefined || tolerated?.test(answer.error) ? null : `${answer.command}: ${answer.error}`;
          })
          .find((r) => r !== null);
        at += plan.commands.length;
        if (refusal === undefined) {
          counts.refreshed++;
        } else {
          counts.failed++;
          refusals.push(`${plan.username}: ${refusal}`);
        }
      }
    }
    if (refusals.length > 0) {
      this.o.log.warn({ refused: refusals.length, first: refusals[0] }, "mosquitto refused to refresh some roles");
    }
    return counts;
  }

  /** The broker's default ACL access, for a start-up check that it denies what it should. */
  async defaultAccess(): Promise<Record<string, boolean>> {
    const [response] = await this.send([{ command: "getDefaultACLAccess" }]);
    this.check(response);
    const acls = (response?.data as { acls?: { acltype: string; allow: boolean }[] } | undefined)?.acls ?? [];
    return Object.fromEntries(acls.map((a) => [a.acltype, a.allow]));
  }

  /**
   * Sends one batch of commands (executed by the plugin in order) and resolves to the answers in
   * the same order. Rejects with BROKER_UNAVAILABLE when the broker cannot be reached or does not
   * answer within `timeoutMs` (default the provisioner's).
   */
  async send(commands: readonly DynsecCommand[], timeoutMs = this.o.timeoutMs ?? 5000): Promise<DynsecResponse[]> {
    const client = await this.connection();
    const id = `${this.prefix}-${++this.sequence}`;
    const tagged = commands.map((c, i) => ({ ...c, correlationData: `${id}:${i}` }));
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new BrokerAccessError(
            "BROKER_UNAVAILABLE",
            `mosquitto did not answer dynamic-security commands within ${timeoutMs} ms (is the plugin loaded, and may ${this.o.username} use ${DYNSEC_TOPIC}?)`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { size: commands.length, responses: [], resolve, reject, timer });
    });
    try {
      await client.publishAsync(DYNSEC_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
    } catch (err) {
      const pending = this.pending.get(id);
      if (pending) {
        clearTimeout(pending.timer);
        this.pending.delete(id);
      }
      throw new BrokerAccessError("BROKER_UNAVAILABLE", `cannot send dynamic-security commands: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return answered;
  }

  async close(): Promise<void> {
    const connecting = this.client;
    this.client = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new BrokerAccessError("BROKER_UNAVAILABLE", "the provisioner was closed"));
      this.pending.delete(id);
    }
    const client = await connecting?.catch(() => null);
    if (client) await client.endAsync().catch(() => undefined);
  }

  /** Throws BROKER_REFUSED for an error answer, unless its text matches `tolerated`. */
  private check(response: DynsecResponse | undefined, tolerated?: RegExp): void {
    if (!response) throw new BrokerAccessError("BROKER_REFUSED", "mosquitto sent fewer answers than commands");
    if (response.error === undefined || tolerated?.test(response.error)) return;
    throw new BrokerAccessError("BROKER_REFUSED", `mosquitto refused ${response.command}: ${response.error}`);
  }

  private connection(): Promise<MqttClient> {
    this.client ??= this.open().catch((err: unknown) => {
      this.client = null;
      throw err instanceof BrokerAccessError
        ? err
        : new BrokerAccessError("BROKER_UNAVAILABLE", `cannot reach mosquitto: ${(err as Error).message}`, {
            cause: err,
          });
    });
    return this.client;
  }

  private async open(): Promise<MqttClient> {
    const o = this.o;
    const password = o.passwordFile ? (await readFile(o.passwordFile, "utf8")).trim() : o.password;
    const options: IClientOptions = {
      // A per-process suffix: the CLI and the running cloud may administer at the same time.
      clientId: `${o.username}-dynsec-${this.prefix}`,
      username: o.username,
      ...(password === undefined ? {} : { password }),
      ...(o.caFile ? { ca: await readFile(o.caFile) } : {}),
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: o.timeoutMs ?? 5000,
    };
    const client = await mqtt.connectAsync(o.url, options);
    client.on("message", (topic, payload) => {
      if (topic === DYNSEC_RESPONSE_TOPIC) this.onResponse(payload);
    });
    client.on("error", (err) => o.log.warn({ err: err.message }, "mosquitto admin connection error"));
    client.on("close", () => {
      // The next command opens a new connection; commands in flight fail now rather than time out.
      if (this.client) this.client = null;
      for (const [id, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(new BrokerAccessError("BROKER_UNAVAILABLE", "the connection to mosquitto closed"));
        this.pending.delete(id);
      }
      client.end(true);
    });
    const [grant] = await client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 }).catch((err: unknown) => {
      client.end(true);
      throw err;
    });
    if (!grant || grant.qos >= 0x80) {
      client.end(true);
      throw new BrokerAccessError(
        "BROKER_REFUSED",
        `mosquitto refused ${o.username} the dynamic-security response topic: give it the dynsec admin role`,
      );
    }
    return client;
  }

  private onResponse(payload: Buffer): void {
    let responses: DynsecResponse[];
    try {
      responses = (JSON.parse(payload.toString("utf8")) as { responses?: DynsecResponse[] }).responses ?? [];
    } catch {
      this.o.log.warn({}, "unreadable dynamic-security response");
      return;
    }
    for (const response of responses) {
      const [id, index] = (response.correlationData ?? "").split(":");
      const pending = id === undefined ? undefined : this.pending.get(id);
      if (!pending) continue; // Another administrator's answer, or one that already timed out.
      pending.responses[Number(index)] = response;
      if (pending.responses.filter(Boolean).length === pending.size) {
        clearTimeout(pending.timer);
        this.pending.delete(id as string);
        pending.resolve(pending.responses);
      }
    }
  }
}
