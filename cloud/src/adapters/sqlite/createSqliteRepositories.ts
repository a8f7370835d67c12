import type { Repositories } from "../../services/repositories.js";
import { SqliteAnalyticsRepository } from "./SqliteAnalyticsRepository.js";
import { SqlAuditRepository } from "../sql/SqlAuditRepository.js";
import { SqlCouponRepository } from "../sql/SqlCouponRepository.js";
import { SqliteCouponDialect } from "./SqliteCouponDialect.js";
import { SqlCredentialRepository } from "../sql/SqlCredentialRepository.js";
import type { SqliteDatabase } from "./SqliteDatabase.js";
import { SqliteDeliveryRepository } from "./SqliteDeliveryRepository.js";
import { SqlPushRegistrationRepository } from "../sql/SqlPushRegistrationRepository.js";
import { SqlDirectoryRepository } from "../sql/SqlDirectoryRepository.js";
import { SqliteEventRepository } from "./SqliteEventRepository.js";
import { SqliteFleetRepository } from "./SqliteFleetRepository.js";
import { SqlLedgerRepository } from "../sql/SqlLedgerRepository.js";
import { SqlMembershipRepository } from "../sql/SqlMembershipRepository.js";
import { SqliteOfferRepository } from "./SqliteOfferRepository.js";
import { SqlPickupRepository } from "../sql/SqlPickupRepository.js";
import { SqlitePrivacyRepository } from "./SqlitePrivacyRepository.js";
import { SqlRuleRepository } from "../sql/SqlRuleRepository.js";
import { SqlUserRepository } from "../sql/SqlUserRepository.js";
import { SqlWebhookRepository } from "../sql/SqlWebhookRepository.js";
import { SqliteWebhookClaims } from "./SqliteWebhookClaims.js";

/** The SQLite backend's repositories, on one connection, plus that connection (health, tests). */
export interface SqliteRepositories extends Repositories {
  readonly db: SqliteDatabase;
  readonly directory: SqlDirectoryRepository;
  readonly users: SqlUserRepository;
  readonly credentials: SqlCredentialRepository;
  readonly events: SqliteEventRepository;
  readonly rules: SqlRuleRepository;
  readonly offers: SqliteOfferRepository;
  readonly fleet: SqliteFleetRepository;
  readonly privacy: SqlitePrivacyRepository;
  readonly audit: SqlAuditRepository;
  readonly ledger: SqlLedgerRepository;
  readonly membership: SqlMembershipRepository;
  readonly analytics: SqliteAnalyticsRepository;
  readonly coupons: SqlCouponRepository;
  readonly pickups: SqlPickupRepository;
  readonly pushRegistrations: SqlPushRegistrationRepository;
  readonly delivery: SqliteDeliveryRepository;
  readonly webhooks: SqlWebhookRepository;
}

/** Every repository of the SQLite backend over one open, migrated database. */
export function createSqliteRepositories(db: SqliteDatabase): SqliteRepositories {
  // The decision groups write their offers' push outbox rows through it, in their transactions.
  const delivery = new SqliteDeliveryRepository(db);
  return {
    db,
    directory: new SqlDirectoryRepository(db),
    users: new SqlUserRepository(db),
    credentials: new SqlCredentialRepository(db),
    events: new SqliteEventRepository(db),
    rules: new SqlRuleRepository(db),
    offers: new SqliteOfferRepository(db, { pushRows: delivery }),
    fleet: new SqliteFleetRepository(db),
    privacy: new SqlitePrivacyRepository(db),
    audit: new SqlAuditRepository(db),
    ledger: new SqlLedgerRepository(db),
    membership: new SqlMembershipRepository(db),
    analytics: new SqliteAnalyticsRepository(db),
    coupons: new SqlCouponRepository(db, new SqliteCouponDialect(db)),
    pickups: new SqlPickupRepository(db),
    pushRegistrations: new SqlPushRegistrationRepository(db),
    delivery,
    webhooks: new SqlWebhookRepository(db, new SqliteWebhookClaims(db)),
  };
}
