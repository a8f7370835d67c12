import type { Repositories } from "../../services/repositories.js";
import { PostgresAnalyticsRepository } from "./PostgresAnalyticsRepository.js";
import { SqlAuditRepository } from "../sql/SqlAuditRepository.js";
import { SqlCouponRepository } from "../sql/SqlCouponRepository.js";
import { PostgresCouponDialect } from "./PostgresCouponDialect.js";
import { SqlCredentialRepository } from "../sql/SqlCredentialRepository.js";
import type { PostgresDatabase } from "./PostgresDatabase.js";
import { PostgresDeliveryRepository } from "./PostgresDeliveryRepository.js";
import { SqlDirectoryRepository } from "../sql/SqlDirectoryRepository.js";
import { PostgresEventRepository } from "./PostgresEventRepository.js";
import { PostgresFleetRepository } from "./PostgresFleetRepository.js";
import { SqlLedgerRepository } from "../sql/SqlLedgerRepository.js";
import { SqlMembershipRepository } from "../sql/SqlMembershipRepository.js";
import { PostgresOfferRepository } from "./PostgresOfferRepository.js";
import { SqlPickupRepository } from "../sql/SqlPickupRepository.js";
import { PostgresPrivacyRepository } from "./PostgresPrivacyRepository.js";
import { SqlPushRegistrationRepository } from "../sql/SqlPushRegistrationRepository.js";
import { SqlRuleRepository } from "../sql/SqlRuleRepository.js";
import { SqlUserRepository } from "../sql/SqlUserRepository.js";
import { SqlWebhookRepository } from "../sql/SqlWebhookRepository.js";
import { PostgresWebhookClaims } from "./PostgresWebhookClaims.js";

/** The PostgreSQL backend's repositories, on one pool, plus that pool (health, tests). */
export interface PostgresRepositories extends Repositories {
  readonly db: PostgresDatabase;
  readonly directory: SqlDirectoryRepository;
  readonly users: SqlUserRepository;
  readonly credentials: SqlCredentialRepository;
  readonly events: PostgresEventRepository;
  readonly rules: SqlRuleRepository;
  readonly offers: PostgresOfferRepository;
  readonly fleet: PostgresFleetRepository;
  readonly privacy: PostgresPrivacyRepository;
  readonly audit: SqlAuditRepository;
  readonly ledger: SqlLedgerRepository;
  readonly membership: SqlMembershipRepository;
  readonly analytics: PostgresAnalyticsRepository;
  readonly coupons: SqlCouponRepository;
  readonly pickups: SqlPickupRepository;
  readonly pushRegistrations: SqlPushRegistrationRepository;
  readonly delivery: PostgresDeliveryRepository;
  readonly webhooks: SqlWebhookRepository;
}

/** Every repository of the PostgreSQL backend over one open, migrated database (see migratePostgres). */
export function createPostgresRepositories(db: PostgresDatabase): PostgresRepositories {
  // The decision groups write their offers' push outbox rows through it, in their transactions.
  const delivery = new PostgresDeliveryRepository(db);
  return {
    db,
    directory: new SqlDirectoryRepository(db),
    users: new SqlUserRepository(db),
    credentials: new SqlCredentialRepository(db),
    events: new PostgresEventRepository(db),
    rules: new SqlRuleRepository(db),
    offers: new PostgresOfferRepository(db, { pushRows: delivery }),
    fleet: new PostgresFleetRepository(db),
    privacy: new PostgresPrivacyRepository(db),
    audit: new SqlAuditRepository(db),
    ledger: new SqlLedgerRepository(db),
    membership: new SqlMembershipRepository(db),
    analytics: new PostgresAnalyticsRepository(db),
    coupons: new SqlCouponRepository(db, new PostgresCouponDialect(db)),
    pickups: new SqlPickupRepository(db),
    pushRegistrations: new SqlPushRegistrationRepository(db),
    delivery,
    webhooks: new SqlWebhookRepository(db, new PostgresWebhookClaims(db)),
  };
}
