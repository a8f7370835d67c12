import type { AnalyticsRepository, ReplayRepository } from "./AnalyticsRepository.js";
import type { AuditRepository } from "./AuditRepository.js";
import type { CouponRepository } from "./CouponRepository.js";
import type { CredentialRepository } from "./CredentialRepository.js";
import type { DeliveryRepository } from "./DeliveryRepository.js";
import type { DirectoryRepository } from "./DirectoryRepository.js";
import type { ActivityRepository, EventRepository } from "./EventRepository.js";
import type { FleetRepository } from "./FleetRepository.js";
import type { LedgerRepository } from "./LedgerRepository.js";
import type { MembershipRepository } from "./MembershipRepository.js";
import type { DecisionRepository, OfferLifecycleRepository, OfferRepository } from "./OfferRepository.js";
import type { PickupRepository } from "./PickupRepository.js";
import type { PrivacyRepository } from "./PrivacyRepository.js";
import type { PushRegistrationRepository } from "./PushRegistrationRepository.js";
import type { RuleRepository } from "./RuleRepository.js";
import type { UserRepository } from "./UserRepository.js";
import type { WebhookRepository } from "./WebhookRepository.js";

/**
 * One repository per aggregate, as a storage backend provides them. `createCloud` builds the group
 * once (`openStorage`: `createSqliteRepositories` or `createPostgresRepositories`) and hands each service the narrowest port it needs; a new
 * backend is a folder under `adapters/` whose factory returns this shape and whose repositories pass
 * the contract suites under `test/cloud/contracts/`.
 */
export interface Repositories {
  readonly directory: DirectoryRepository;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly events: EventRepository & ActivityRepository;
  readonly rules: RuleRepository;
  readonly offers: OfferRepository & DecisionRepository & OfferLifecycleRepository;
  readonly fleet: FleetRepository;
  readonly privacy: PrivacyRepository;
  readonly audit: AuditRepository;
  /** The points ledger: entries, lots and what members owe. */
  readonly ledger: LedgerRepository;
  /** Loyalty programmes, member profiles and tiers, purchases, visit counters, the member-code secret. */
  readonly membership: MembershipRepository;
  /** Coupon batches, claims, wallets and gifts (coupons are redeemed through `offers`). */
  readonly coupons: CouponRepository;
  /** Click-and-collect orders and their pick-up codes. */
  readonly pickups: PickupRepository;
  /** Read models over several aggregates (funnel, dry-run replay); nothing here writes. */
  readonly analytics: AnalyticsRepository & ReplayRepository;
  /** Where each member's app installations are reached by OS push. */
  readonly pushRegistrations: PushRegistrationRepository;
  /** The durable push outbox, delivery receipts per channel, frequency-cap claims, push policies. */
  readonly delivery: DeliveryRepository;
  /** Webhook endpoints and the durable outbox of their deliveries. */
  readonly webhooks: WebhookRepository;
}
