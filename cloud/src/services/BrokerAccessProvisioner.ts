import type { MqttIdentity } from "../domain/access/mqttAccess.js";
import type { MqttAccount } from "./repositories.js";

/** What `refresh` did with the roles of a broker that keeps them. */
export interface RoleRefreshSummary {
  /** Roles already exactly as this release computes them (left untouched). */
  readonly unchanged: number;
  /** Roles created or rewritten with this release's rights. */
  readonly refreshed: number;
  /** Roles the broker refused to read or write, or that a batch in flight did not get to. */
  readonly failed: number;
  /**
   * Why the refresh stopped before the last account (the broker stopped answering, or the refresh
   * was aborted), or null when every account was seen.
   */
  readonly stoppedBy: Error | null;
}

/**
 * Where MQTT access control lives. With the embedded broker the cloud is the broker: aedes asks
 * the credential store at every CONNECT, so a grant needs nothing more and a revoke only has to cut
 * live connections. With an external broker (mosquitto) the broker keeps its own accounts and ACLs,
 * and the provisioner mirrors every grant and revoke into them.
 *
 * Both implementations honour the same contract (test/integration/brokerContract.ts):
 * - after `grant`, `username`/`password` connects with exactly the rights `canPublish` and
 *   `canSubscribe` give `identity`, with client id `username`, and nothing else;
 * - after `revoke`, every live connection of `username` is closed and new ones are refused;
 * - after `suspend`, every live connection of `username` is closed and new ones are refused until
 *   `resume`, after which the same password connects again;
 * - all are idempotent, so a failed call can simply be repeated.
 */
export interface BrokerAccessProvisioner {
  /** A short name for logs and the audit trail (`embedded`, `mosquitto-dynsec`). */
  readonly kind: string;
  /** Lets `username` connect with `password` and the rights of `identity` (replaces any earlier password). */
  grant(username: string, password: string, identity: MqttIdentity): Promise<void>;
  /** Refuses `username` from now on and disconnects its live connections. */
  revoke(username: string): Promise<void>;
  /**
   * Called once a new password of `username` is recorded: connections made with the old one are
   * cut, so re-issuing a leaked credential also ends the sessions opened with it.
   */
  replaced(username: string): Promise<void>;
  /**
   * Refuses `username` for now, keeping its account (its organisation is suspended), and
   * disconnects its live connections. Idempotent.
   */
  suspend(username: string): Promise<void>;
  /** Lifts `suspend`: `username` connects again with the password it had. Idempotent. */
  resume(username: string): Promise<void>;
  /**
   * Brings the rights of existing accounts to what this release computes (a release may add a
   * topic to a role), changing no password and cutting no connection. `accounts` are read page by
   * page only as they are needed; a broker whose rights follow the credential store at every
   * CONNECT (embedded) or that the cloud does not manage reads none and resolves to null.
   * Resolves to a summary rather than rejecting: a broker that stops answering ends the refresh,
   * and repeating it (at the next start) completes it. `signal` ends it between batches.
   */
  refresh(accounts: AsyncIterable<readonly MqttAccount[]>, signal?: AbortSignal): Promise<RoleRefreshSummary | null>;
}

export type BrokerAccessErrorCode =
  /** The broker's access-control API did not answer (down, unreachable, timed out). */
  | "BROKER_UNAVAILABLE"
  /** The broker answered with an error (its message is in the error's text). */
  | "BROKER_REFUSED"
  /** This deployment's broker is not managed by the cloud; provision accounts at the broker. */
  | "NOT_MANAGED";

/** A failure to change access at the broker; `code` is stable, the message says what to do. */
export class BrokerAccessError extends Error {
  readonly code: BrokerAccessErrorCode;

  constructor(code: BrokerAccessErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BrokerAccessError";
    this.code = code;
  }
}

/**
 * For an external broker the cloud does not manage (EMQX with its own auth back end, a hosted
 * broker): MQTT credentials are provisioned there, so issuing or revoking one here is refused
 * rather than recorded as if it had taken effect.
 */
export class UnmanagedBrokerAccess implements BrokerAccessProvisioner {
  readonly kind = "unmanaged";

  async grant(): Promise<void> {
    throw new BrokerAccessError(
      "NOT_MANAGED",
      "this cloud does not manage the external broker's accounts (mqtt.provisioning is \"none\"); create the account at the broker",
    );
  }

  async revoke(): Promise<void> {
    throw new BrokerAccessError(
      "NOT_MANAGED",
      "this cloud does not manage the external broker's accounts (mqtt.provisioning is \"none\"); disable the account at the broker",
    );
  }

  async replaced(): Promise<void> {
    // Never reached: grant refuses first.
  }

  async suspend(): Promise<void> {
    // Suspension must not fail for want of broker management: the organisation's API keys stop
    // at once, and docs/deploy.md tells the operator to disable its accounts at the broker.
  }

  async resume(): Promise<void> {
    // As for suspend: the accounts are the broker's to enable again.
  }

  async refresh(): Promise<null> {
    // The broker's roles are kept there, by whoever manages its accounts.
    return null;
  }
}
