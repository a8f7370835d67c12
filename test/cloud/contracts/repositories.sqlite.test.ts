import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteRepositories } from "../../../cloud/src/adapters/sqlite/createSqliteRepositories.js";
import { migrate } from "../../../cloud/src/adapters/sqlite/migrations.js";
import { SqliteDatabase } from "../../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import { describeAnalyticsRepositoryContract } from "./analyticsRepository.contract.js";
import { describeAuditRepositoryContract } from "./auditRepository.contract.js";
import { describeCouponRepositoryContract } from "./couponRepository.contract.js";
import { describeCredentialRepositoryContract } from "./credentialRepository.contract.js";
import { describeDeliveryRepositoryContract } from "./deliveryRepository.contract.js";
import { describeDirectoryRepositoryContract } from "./directoryRepository.contract.js";
import { describeEventRepositoryContract } from "./eventRepository.contract.js";
import { describeFleetRepositoryContract } from "./fleetRepository.contract.js";
import { describeLedgerRepositoryContract } from "./ledgerRepository.contract.js";
import { describeMembershipRepositoryContract } from "./membershipRepository.contract.js";
import { describeOfferRepositoryContract } from "./offerRepository.contract.js";
import { describePickupRepositoryContract } from "./pickupRepository.contract.js";
import { describePrivacyRepositoryContract } from "./privacyRepository.contract.js";
import { describePushRegistrationRepositoryContract } from "./pushRegistrationRepository.contract.js";
import type { MakeBackend } from "./repositoryContract.js";
import { describeRuleRepositoryContract } from "./ruleRepository.contract.js";
import { describeUserRepositoryContract } from "./userRepository.contract.js";
import { describeWebhookRepositoryContract } from "./webhookRepository.contract.js";

/** Every repository contract against SQLite: a fresh, migrated database file in a temp dir per test. */
const sqlite: MakeBackend = async () => {
  const dir = await mkdtemp(join(tmpdir(), "arrival-contract-"));
  const db = await SqliteDatabase.open(join(dir, "cloud.db"));
  await migrate(db, 0);
  return {
    repos: createSqliteRepositories(db),
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

describeDirectoryRepositoryContract("SQLite", sqlite);
describeUserRepositoryContract("SQLite", sqlite);
describeCredentialRepositoryContract("SQLite", sqlite);
describeAuditRepositoryContract("SQLite", sqlite);
describeEventRepositoryContract("SQLite", sqlite);
describeRuleRepositoryContract("SQLite", sqlite);
describeFleetRepositoryContract("SQLite", sqlite);
describePrivacyRepositoryContract("SQLite", sqlite);
describeOfferRepositoryContract("SQLite", sqlite);
describeAnalyticsRepositoryContract("SQLite", sqlite);
describeLedgerRepositoryContract("SQLite", sqlite);
describeMembershipRepositoryContract("SQLite", sqlite);
describeCouponRepositoryContract("SQLite", sqlite);
describePickupRepositoryContract("SQLite", sqlite);
describePushRegistrationRepositoryContract("SQLite", sqlite);
describeDeliveryRepositoryContract("SQLite", sqlite);
describeWebhookRepositoryContract("SQLite", sqlite);
