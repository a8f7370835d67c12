import type { CloudConfig } from "./config/schema.js";
import { createExternalProvisioner } from "./createMqtt.js";
import { type CloudRepositories, openStorage } from "./openStorage.js";
import { CredentialService } from "./services/CredentialService.js";
import type { Clock, Logger } from "./services/ports.js";

/** What the credential commands work on: the cloud's database and, in external mode, its broker. */
export interface CredentialAdmin {
  readonly credentials: CredentialService;
  readonly repositories: CloudRepositories;
  /** Where revocations take effect, for the command's message. */
  readonly broker: "embedded" | "mosquitto-dynsec" | "unmanaged";
  close(): Promise<void>;
}

/**
 * The credential service without the rest of the cloud, for the CLI: the configured storage
 * (migrated, so a fresh data directory or database works) and, with an external mosquitto,
 * the dynamic-security provisioner. With the embedded broker the running cloud (if any) reads the
 * same database: it refuses a revoked credential at the next CONNECT and its revocation sweep
 * disconnects live connections within seconds.
 */
export async function createCredentialAdmin(
  config: Readonly<CloudConfig>,
  deps: { readonly log: Logger; readonly clock: Clock },
): Promise<CredentialAdmin> {
  const storage = await openStorage(config, deps.clock.now(), deps.log);
  const repositories = storage.repositories;
  const provisioner = config.mqtt.mode === "external" ? createExternalProvisioner(config.mqtt, deps.log) : null;
  const credentials = new CredentialService({
    credentials: repositories.credentials,
    audit: repositories.audit,
    clock: deps.clock,
    log: deps.log.child({ component: "credentials" }),
    ...(provisioner ? { provisioner } : {}),
  });
  return {
    credentials,
    repositories,
    broker: provisioner ? (provisioner.kind === "mosquitto-dynsec" ? "mosquitto-dynsec" : "unmanaged") : "embedded",
    async close() {
      await provisioner?.close?.();
      await storage.close();
    },
  };
}
