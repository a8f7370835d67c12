import { isValidId, type Problem } from "../../../protocol/index.js";
import type { CredentialService } from "./CredentialService.js";
import { conflict, done, invalid, notFound, type Outcome } from "./Outcome.js";
import type { Clock, Logger } from "./ports.js";
import type { AuditRepository, DirectoryRepository, OrganisationStatus } from "./repositories.js";

/** The daily offer cap of a new organisation unless given, offers per user per day. */
export const DEFAULT_MAX_OFFERS_PER_USER_PER_DAY = 3;

export interface OrganisationServiceOptions {
  readonly directory: Pick<
    DirectoryRepository,
    "createOrganisation" | "getOrganisationStatus" | "listOrganisationStatuses" | "setOrganisationSuspended"
  >;
  readonly credentials: Pick<
    CredentialService,
    "issueApiKey" | "issueOperatorKey" | "hasOperator" | "suspendOrganisationMqtt" | "resumeOrganisationMqtt"
  >;
  readonly audit: Pick<AuditRepository, "audit">;
  readonly clock: Clock;
  readonly log: Logger;
}

/** A new organisation as the operator asks for it. */
export interface OrganisationRequest {
  readonly id: string;
  readonly name: string;
  /** Offers per user per day across the organisation's rules; default {@link DEFAULT_MAX_OFFERS_PER_USER_PER_DAY}. */
  readonly maxOffersPerUserPerDay?: number;
}

/** A created organisation and the key of its first admin, shown this once. */
export interface CreatedOrganisation {
  readonly organisation: OrganisationStatus;
  readonly adminKey: { readonly id: string; readonly key: string };
}

/** What `init` did: each secret is present only when this call created it. */
export interface Bootstrap {
  /** False when the cloud already had an operator (nothing new was issued for it). */
  readonly operatorCreated: boolean;
  readonly operatorKey: { readonly id: string; readonly key: string } | null;
  /** The first organisation, when this call created it (null when it existed already). */
  readonly organisation: CreatedOrganisation | null;
}

function checkRequest(request: OrganisationRequest): Problem[] {
  const problems: Problem[] = [];
  if (!isValidId(request.id)) problems.push({ path: "/id", message: "must be an id: a letter or digit, then letters, digits, '-' or '_', at most 64" });
  if (request.name.trim() === "") problems.push({ path: "/name", message: "must not be blank" });
  return problems;
}

/**
 * The cloud's operator work: the organisations themselves. Creating one issues the key of its
 * first admin (who then does everything inside it through the ordinary API); suspending one makes
 * all its API keys fail at once and cuts its gateways' and app users' MQTT logins (live
 * connections closed, new ones refused), data kept; reinstating it makes them work again. `bootstrap` is
 * what `arrival-cloud init` runs on a fresh data directory.
 */
export class OrganisationService {
  constructor(private readonly o: OrganisationServiceOptions) {}

  list(): Promise<OrganisationStatus[]> {
    return this.o.directory.listOrganisationStatuses();
  }

  async create(request: OrganisationRequest, actor: string): Promise<Outcome<CreatedOrganisation>> {
    const problems = checkRequest(request);
    if (problems.length > 0) return invalid(problems);
    const now = this.o.clock.now();
    const created = await this.o.directory.createOrganisation(
      {
        id: request.id,
        name: request.name.trim(),
        maxOffersPerUserPerDay: request.maxOffersPerUserPerDay ?? DEFAULT_MAX_OFFERS_PER_USER_PER_DAY,
      },
      now,
    );
    if (!created) return conflict(`organisation id ${request.id} is taken; choose another`);
    await this.o.audit.audit({ at: now, actor, action: "organisation.create", target: `org:${request.id}` });
    const adminKey = await this.o.credentials.issueApiKey(
      { role: "admin", orgId: request.id, label: `first admin of ${request.id}` },
      actor,
    );
    this.o.log.info({ orgId: request.id, actor }, "organisation created");
    const organisation = await this.o.directory.getOrganisationStatus(request.id);
    if (!organisation) throw new Error(`organisation ${request.id} vanished after it was created`);
    return done({ organisation, adminKey });
  }

  /**
   * Suspends an organisation: its API keys are refused from the next request on and its MQTT
   * logins are cut at the broker; its data stays. A broker that cannot be reached rejects (the
   * suspension itself is recorded): suspending again completes the broker's part.
   */
  suspend(orgId: string, actor: string): Promise<Outcome<OrganisationStatus>> {
    return this.setSuspended(orgId, this.o.clock.now(), actor);
  }

  /** Lifts a suspension: the organisation's unrevoked keys work again. */
  reinstate(orgId: string, actor: string): Promise<Outcome<OrganisationStatus>> {
    return this.setSuspended(orgId, null, actor);
  }

  /**
   * Idempotent first start: issues an operator key if the cloud never had one, and creates the
   * first organisation (with its admin key) if it does not exist. Run again, it issues nothing.
   */
  async bootstrap(first: OrganisationRequest, actor: string): Promise<Outcome<Bootstrap>> {
    const problems = checkRequest(first);
    if (problems.length > 0) return invalid(problems);
    const operatorKey = (await this.o.credentials.hasOperator())
      ? null
      : await this.o.credentials.issueOperatorKey("first operator (init)", actor);
    let organisation: CreatedOrganisation | null = null;
    if (!(await this.o.directory.getOrganisationStatus(first.id))) {
      const created = await this.create(first, actor);
      // The id was free a moment ago; only a concurrent init can take it, and then it exists: fine.
      if (created.ok) organisation = created.value;
    }
    return done({ operatorCreated: operatorKey !== null, operatorKey, organisation });
  }

  private async setSuspended(orgId: string, suspendedAt: number | null, actor: string): Promise<Outcome<OrganisationStatus>> {
    const changed = await this.o.directory.setOrganisationSuspended(orgId, suspendedAt);
    const status = await this.o.directory.getOrganisationStatus(orgId);
    if (!status) return notFound("no such organisation");
    if (changed) {
      const action = suspendedAt === null ? "organisation.reinstate" : "organisation.suspend";
      await this.o.audit.audit({ at: this.o.clock.now(), actor, action, target: `org:${orgId}` });
      this.o.log.info({ orgId, actor }, suspendedAt === null ? "organisation reinstated" : "organisation suspended");
    }
    // Done on every call, not only on a change, so a repeat completes a broker step that failed.
    const mqtt =
      status.suspendedAt === null
        ? await this.o.credentials.resumeOrganisationMqtt(orgId)
        : await this.o.credentials.suspendOrganisationMqtt(orgId);
    if (changed) this.o.log.info({ orgId, logins: mqtt.length }, status.suspendedAt === null ? "organisation's mqtt logins enabled" : "organisation's mqtt logins cut");
    return done(status);
  }
}
