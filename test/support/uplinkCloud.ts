import { join } from "node:path";
import { parseCloudConfig } from "../../cloud/src/config/loadConfig.js";
import { type Cloud, createCloud } from "../../cloud/src/createCloud.js";
import { SqliteDatabase } from "../../cloud/src/adapters/sqlite/SqliteDatabase.js";
import type { Clock, Logger } from "../../cloud/src/services/ports.js";
import { GATEWAY_ID, STORE_ID } from "./uplinkEvents.js";
import { until } from "./until.js";

export interface CloudPorts {
  readonly mqttPort: number;
  readonly httpPort: number;
}

/**
 * A cloud over the SQLite data in `dir`, on fixed ports, so a restart lands where the gateways look.
 * Not started. On the system clock unless given another (a simulation's, which is then true time).
 */
export async function openCloud(dir: string, ports: CloudPorts, log: Logger, clock: Clock = { now: () => Date.now() }): Promise<Cloud> {
  const parsed = parseCloudConfig({
    dataDir: dir,
    http: { port: ports.httpPort },
    mqtt: { mode: "embedded", port: ports.mqttPort },
    log: { level: "silent" },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return createCloud(parsed.config, { log, clock });
}

/** Registers organisation o1, store s1 and gateway g1; idempotent. */
export async function seedUplinkStore(cloud: Cloud): Promise<void> {
  const repo = cloud.repositories;
  const now = Date.now();
  await repo.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 5 }, now);
  await repo.directory.upsertStore(
    { id: STORE_ID, orgId: "o1", name: "Store", timezone: "Europe/London", lat: null, lon: null, tags: [] },
    now,
  );
  await repo.directory.upsertZone({ id: "z1", storeId: STORE_ID, name: "Zone", tags: [], geometry: {} });
  await repo.directory.upsertGateway({ id: GATEWAY_ID, storeId: STORE_ID, name: "Gateway" }, now);
}

export interface Login {
  readonly username: string;
  readonly password: string;
}

/** Seeds a cloud data directory for a cloud that another process will run; returns the logins. */
export async function prepareCloudDir(dir: string, log: Logger): Promise<{ gateway: Login; service: Login }> {
  const cloud = await openCloud(dir, { mqttPort: 0, httpPort: 0 }, log);
  try {
    await seedUplinkStore(cloud);
    const gateway = await cloud.credentials.issueMqtt(
      { role: "gateway", storeId: STORE_ID, gatewayId: GATEWAY_ID },
      "test",
    );
    const service = await cloud.credentials.issueMqtt({ role: "service", name: "observer" }, "test");
    return { gateway, service };
  } finally {
    await cloud.stop();
  }
}

/**
 * Stops a started cloud that gateways are still connected to, as an operator's SIGTERM would. A
 * broker whose stop awaited its listening socket before closing its clients would never return here
 * (`net.Server.close` waits for every open connection), so a hang is turned into a clear failure.
 */
export async function stopCloud(cloud: Cloud, timeoutMs = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cloud.stop() did not return within ${timeoutMs} ms with clients connected`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([cloud.stop(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface EventRow {
  readonly seq: number;
  readonly id: string;
}

/** What a cloud data directory holds for gateway g1: every stored event and the acknowledged sequence. */
export async function readCloudDir(dir: string): Promise<{ rows: EventRow[]; ackedSeq: number }> {
  const db = await SqliteDatabase.open(join(dir, "cloud.db"));
  try {
    const rows = await db.all<EventRow>(
      "SELECT seq, id FROM presence_events WHERE gateway_id = ? ORDER BY seq",
      [GATEWAY_ID],
    );
    const gateway = await db.get<{ acked_seq: number }>(LATEST_ACK, [GATEWAY_ID]);
    return { rows, ackedSeq: gateway?.acked_seq ?? 0 };
  } finally {
    await db.close();
  }
}

/** The cloud's ack for the outbox of gateway g1 it heard from last (acks are kept per outbox). */
const LATEST_ACK =
  "SELECT acked_seq FROM gateway_outboxes WHERE gateway_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT 1";

/** Rows of gateway g1 in a running cloud. */
export function cloudRows(cloud: Cloud): Promise<EventRow[]> {
  return cloud.repositories.db.all<EventRow>(
    "SELECT seq, id FROM presence_events WHERE gateway_id = ? ORDER BY seq",
    [GATEWAY_ID],
  );
}

export async function cloudAckedSeq(cloud: Cloud): Promise<number> {
  const row = await cloud.repositories.db.get<{ acked_seq: number }>(LATEST_ACK, [GATEWAY_ID]);
  return row?.acked_seq ?? 0;
}

export interface SeqSummary {
  readonly rows: number;
  readonly distinctIds: number;
  readonly distinctSeqs: number;
  /** Up to 10 sequences of `expected` that are missing, and up to 10 stored more than once. */
  readonly missing: number[];
  readonly duplicated: number[];
  readonly unexpected: number[];
}

/**
 * Compares stored rows with the sequences that should be there, each exactly once. Summarised so a
 * failure prints what is wrong instead of a diff of ten thousand rows.
 */
export function summarise(rows: readonly EventRow[], expected: Iterable<number>): SeqSummary {
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.seq, (counts.get(row.seq) ?? 0) + 1);
  const want = new Set(expected);
  return {
    rows: rows.length,
    distinctIds: new Set(rows.map((r) => r.id)).size,
    distinctSeqs: counts.size,
    missing: [...want].filter((seq) => !counts.has(seq)).slice(0, 10),
    duplicated: [...counts].filter(([, n]) => n > 1).map(([seq]) => seq).slice(0, 10),
    unexpected: [...counts.keys()].filter((seq) => !want.has(seq)).slice(0, 10),
  };
}

/** The summary of a perfect store of `expected`: every sequence once, nothing else. */
export function perfect(expected: readonly number[]): SeqSummary {
  return {
    rows: expected.length,
    distinctIds: expected.length,
    distinctSeqs: expected.length,
    missing: [],
    duplicated: [],
    unexpected: [],
  };
}

export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);

/** Waits until a started cloud's MQTT port accepts the given gateway's events, via its stored count. */
export async function untilStored(cloud: Cloud, count: number, timeoutMs: number): Promise<void> {
  await until(async () => (await cloudRows(cloud)).length >= count, timeoutMs, `${count} events stored`);
}
