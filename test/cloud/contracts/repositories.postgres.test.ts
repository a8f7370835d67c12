import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { createPostgresRepositories } from "../../../cloud/src/adapters/postgres/createPostgresRepositories.js";
import { migratePostgres } from "../../../cloud/src/adapters/postgres/migrations.js";
import { PostgresDatabase } from "../../../cloud/src/adapters/postgres/PostgresDatabase.js";
import { POSTGRES_AVAILABLE, type PostgresInstance, startPostgres } from "../../support/postgres.js";
import { describeAnalyticsRepositoryContract } from "./analyticsRepository.contract.js";
import { describeAuditRepositoryContract } from "./auditRepository.contract.js";
import { describeCredentialRepositoryContract } from "./credentialRepository.contract.js";
import { describeDirectoryRepositoryContract } from "./directoryRepository.contract.js";
import { describeEventRepositoryContract } from "./eventRepository.contract.js";
import { describeFleetRepositoryContract } from "./fleetRepository.contract.js";
import { describeLedgerRepositoryContract } from "./ledgerRepository.contract.js";
import { describeMembershipRepositoryContract } from "./membershipRepository.contract.js";
import { describeOfferRepositoryContract } from "./offerRepository.contract.js";
import { describePrivacyRepositoryContract } from "./privacyRepository.contract.js";
import type { MakeBackend } from "./repositoryContract.js";
import { describeRuleRepositoryContract } from "./ruleRepository.contract.js";
import { describeUserRepositoryContract } from "./userRepository.contract.js";

/**
 * Every repository contract against PostgreSQL: one private cluster for this file, one migrated
 * template database, and a copy of it (CREATE DATABASE … TEMPLATE, a file copy) per test, so each
 * test starts empty without running the migrations again.
 */
let server: PostgresInstance | null = null;
let template = "";
let copies = 0;

const postgres: MakeBackend = async () => {
  if (server === null) throw new Error("PostgreSQL is not started");
  const name = `contract_${++copies}`;
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  const db = await PostgresDatabase.open({ url: server.url(name), maxConnections: 4 });
  return {
    repos: createPostgresRepositories(db),
    async close() {
      await db.close();
    },
  };
};

describe.skipIf(!POSTGRES_AVAILABLE)("PostgreSQL repositories", () => {
  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase("template");
    template = new URL(url).pathname.slice(1);
    const db = await PostgresDatabase.open({ url });
    try {
      await migratePostgres(db, 0);
    } finally {
      await db.close();
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  describeDirectoryRepositoryContract("PostgreSQL", postgres);
  describeUserRepositoryContract("PostgreSQL", postgres);
  describeCredentialRepositoryContract("PostgreSQL", postgres);
  describeAuditRepositoryContract("PostgreSQL", postgres);
  describeEventRepositoryContract("PostgreSQL", postgres);
  describeRuleRepositoryContract("PostgreSQL", postgres);
  describeFleetRepositoryContract("PostgreSQL", postgres);
  describePrivacyRepositoryContract("PostgreSQL", postgres);
  describeOfferRepositoryContract("PostgreSQL", postgres);
  describeAnalyticsRepositoryContract("PostgreSQL", postgres);
  describeLedgerRepositoryContract("PostgreSQL", postgres);
  describeMembershipRepositoryContract("PostgreSQL", postgres);
});
