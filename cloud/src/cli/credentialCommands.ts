import { isValidId } from "../../../protocol/index.js";
import type { CredentialAdmin } from "../createCredentialAdmin.js";
import { BrokerAccessError } from "../services/BrokerAccessProvisioner.js";
import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { ApiRole } from "../services/repositories.js";

export const CREDENTIALS_USAGE = `Usage:
  arrival-cloud credentials issue-gateway --store STORE --gateway GATEWAY [--json]
  arrival-cloud credentials issue-app --user USER [--json]
  arrival-cloud credentials issue-store-device --store STORE --device DEVICE [--json]
  arrival-cloud credentials revoke USERNAME
  arrival-cloud api-keys issue --role ROLE --org ORG [--store STORE] [--user USER] [--label TEXT] [--json]
  arrival-cloud api-keys revoke ID

Issue and revoke MQTT credentials (gateways, app users, store devices such as a pick-up counter's
tablet, which may only read its store's pick-up arrivals) and API keys directly on the cloud's
database (the config's storage: SQLite under --data-dir, or PostgreSQL) and, with an external
mosquitto (mqtt.mode "external"), on the broker too. Secrets are printed once, on standard output,
and stored only as hashes. Every issue and revoke is written to the audit log.

Roles: admin, marketer, store-ops (with --store), pos (with --store), app (with --user).
Common options: --config FILE, --data-dir DIR, and the environment variables of arrival-cloud.
`;

/** Where a command writes: standard output carries the secret, standard error everything else. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  readonly admin: CredentialAdmin;
  /** Who runs the command, for the audit log (`cli:<os user>`). */
  readonly actor: string;
  readonly io: CommandIo;
}

export interface CommandOptions {
  readonly store?: string;
  readonly gateway?: string;
  readonly device?: string;
  readonly user?: string;
  readonly role?: string;
  readonly org?: string;
  readonly label?: string;
  readonly json?: boolean;
}

const ROLES: readonly ApiRole[] = ["admin", "marketer", "store-ops", "pos", "app"];

/** A usage mistake: the command prints it with the usage and exits 2. */
class UsageError extends Error {}

function requireId(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!isValidId(value)) throw new UsageError(`--${name} ${JSON.stringify(value)} is not a valid id`);
  return value;
}

/** Runs a command; resolves to the exit code (0 done, 1 failed, 2 usage). */
export async function runCredentialCommand(
  group: "credentials" | "api-keys",
  sub: string | undefined,
  positionals: readonly string[],
  options: CommandOptions,
  context: CommandContext,
): Promise<number> {
  const { io } = context;
  try {
    if (group === "credentials") {
      switch (sub) {
        case "issue-gateway":
          return await issueGateway(options, context);
        case "issue-app":
          return await issueMqtt({ role: "app", userId: requireId("user", options.user) }, options, context);
        case "issue-store-device":
          return await issueMqtt(
            { role: "store", storeId: requireId("store", options.store), deviceId: requireId("device", options.device) },
            options,
            context,
          );
        case "revoke":
          return await revokeMqtt(positionals, context);
        default:
          throw new UsageError(sub === undefined ? "which credentials command?" : `unknown command ${sub}`);
      }
    }
    switch (sub) {
      case "issue":
        return await issueApiKey(options, context);
      case "revoke":
        return await revokeApiKey(positionals, context);
      default:
        throw new UsageError(sub === undefined ? "which api-keys command?" : `unknown command ${sub}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${CREDENTIALS_USAGE}`);
      return 2;
    }
    if (err instanceof BrokerAccessError) {
      io.err(`the broker did not apply it (${err.code}): ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function issueGateway(options: CommandOptions, context: CommandContext): Promise<number> {
  const storeId = requireId("store", options.store);
  const gatewayId = requireId("gateway", options.gateway);
  const gateway = await context.admin.repositories.directory.getGateway(gatewayId);
  if (gateway && gateway.storeId !== storeId) {
    context.io.err(`gateway ${gatewayId} belongs to store ${gateway.storeId}, not ${storeId}\n`);
    return 1;
  }
  if (!gateway) {
    context.io.err(
      `warning: gateway ${gatewayId} of store ${storeId} is not registered in this cloud's database; the cloud refuses its events until it is\n`,
    );
  }
  return issueMqtt({ role: "gateway", storeId, gatewayId }, options, context);
}

async function issueMqtt(identity: MqttIdentity, options: CommandOptions, context: CommandContext): Promise<number> {
  const { io, admin } = context;
  if (identity.role === "app" && !(await admin.repositories.users.getUser(identity.userId))) {
    io.err(`warning: user ${identity.userId} is not registered in this cloud's database\n`);
  }
  if (identity.role === "store" && !(await admin.repositories.directory.getStore(identity.storeId))) {
    io.err(`warning: store ${identity.storeId} is not registered in this cloud's database; no pick-up arrives there until it is\n`);
  }
  const issued = await admin.credentials.issueMqtt(identity, context.actor);
  if (options.json) {
    io.out(`${JSON.stringify(issued)}\n`);
  } else {
    io.out(
      [
        `username:  ${issued.username}`,
        `client id: ${issued.clientId}`,
        `password:  ${issued.password}`,
        "",
      ].join("\n"),
    );
    io.err(
      `Issued on ${admin.broker === "embedded" ? "the embedded broker's credential store" : "the cloud's store and mosquitto"}; the password is shown only this once. Issuing again replaces it.\n`,
    );
  }
  return 0;
}

async function revokeMqtt(positionals: readonly string[], context: CommandContext): Promise<number> {
  const { io, admin } = context;
  const [username, ...extra] = positionals;
  if (username === undefined || extra.length > 0) throw new UsageError("credentials revoke takes one USERNAME");
  const record = await admin.repositories.credentials.getMqttCredential(username);
  if (!record) {
    io.err(`no MQTT credential named ${username} was issued by this cloud\n`);
    return 1;
  }
  const revoked = await admin.credentials.revokeMqtt(username, context.actor);
  io.err(
    revoked
      ? admin.broker === "embedded"
        ? `Revoked ${username}. A running cloud refuses it from now on and disconnects it within seconds.\n`
        : `Revoked ${username} and disconnected it at the broker.\n`
      : `${username} was already revoked (enforced at the broker again).\n`,
  );
  return 0;
}

async function issueApiKey(options: CommandOptions, context: CommandContext): Promise<number> {
  const { io, admin } = context;
  const role = options.role as ApiRole | undefined;
  if (role === undefined || !ROLES.includes(role))
    throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const orgId = requireId("org", options.org);
  const storeId = options.store === undefined ? null : requireId("store", options.store);
  const userId = options.user === undefined ? null : requireId("user", options.user);
  if ((role === "pos" || role === "store-ops") !== (storeId !== null))
    throw new UsageError(storeId === null ? `a ${role} key needs --store` : `a ${role} key takes no --store`);
  if ((role === "app") !== (userId !== null))
    throw new UsageError(userId === null ? "an app key needs --user" : `a ${role} key takes no --user`);
  if (!(await admin.repositories.directory.getOrganisation(orgId))) {
    io.err(`no organisation ${orgId} in this cloud's database\n`);
    return 1;
  }
  if (storeId !== null && (await admin.repositories.directory.getStore(storeId))?.orgId !== orgId) {
    io.err(`no store ${storeId} in organisation ${orgId}\n`);
    return 1;
  }
  if (userId !== null && (await admin.repositories.users.getUser(userId))?.orgId !== orgId) {
    io.err(`no user ${userId} in organisation ${orgId}\n`);
    return 1;
  }
  const issued = await admin.credentials.issueApiKey(
    { role, orgId, storeId, userId, label: options.label ?? `issued by ${context.actor}` },
    context.actor,
  );
  if (options.json) {
    io.out(`${JSON.stringify({ ...issued, role, orgId, storeId, userId })}\n`);
  } else {
    io.out(`id:  ${issued.id}\nkey: ${issued.key}\n`);
    io.err("The key is shown only this once; send it as 'Authorization: Bearer <key>'.\n");
  }
  return 0;
}

async function revokeApiKey(positionals: readonly string[], context: CommandContext): Promise<number> {
  const { io, admin } = context;
  const [id, ...extra] = positionals;
  if (id === undefined || extra.length > 0) throw new UsageError("api-keys revoke takes one ID");
  if (!(await admin.credentials.describeApiKey(id))) {
    io.err(`no API key ${id}\n`);
    return 1;
  }
  const revoked = await admin.credentials.revokeApiKey(id, context.actor);
  io.err(
    revoked
      ? `Revoked API key ${id}. A running cloud stops accepting it within a minute (its verification cache).\n`
      : `API key ${id} was already revoked.\n`,
  );
  return 0;
}
