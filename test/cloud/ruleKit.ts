import { expect } from "vitest";
import type { PresenceEvent } from "../../protocol/index.js";
import { type CloudFixture, presenceEvent } from "./cloudFixture.js";

/** Helpers for tests that drive rules, offers and analytics through the real cloud and its API. */

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** One HTTP request through fastify's `inject` (no socket), JSON in and out. */
export async function api<T = Record<string, unknown>>(
  f: CloudFixture,
  key: string,
  method: "GET" | "POST" | "PUT",
  url: string,
  payload?: unknown,
): Promise<ApiResponse<T>> {
  const res = await f.cloud.http.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json<T>() };
}

export const OFFER = {
  title: "10% off",
  text: "Today only",
  discount: { kind: "percent", percent: 10 },
  validityS: 600,
} as const;

/** Creates a rule through the API as the marketer and makes it live; fails the test otherwise. */
export async function liveRule(f: CloudFixture, id: string, spec: Record<string, unknown>): Promise<void> {
  const created = await api(f, f.keys.marketer, "POST", "/v1/rules", { id, spec: { offer: OFFER, ...spec } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const live = await api(f, f.keys.marketer, "POST", `/v1/rules/${id}/transitions`, { to: "live" });
  expect(live.status, JSON.stringify(live.body)).toBe(200);
}

/** A store with one gateway `gw-{storeId}` and zone `z1`, in organisation o1. */
export async function addStore(
  f: CloudFixture,
  id: string,
  timezone: string,
  tags: readonly string[] = [],
): Promise<void> {
  const repo = f.cloud.repositories;
  await repo.directory.upsertStore({ id, orgId: "o1", name: id, timezone, lat: null, lon: null, tags: [...tags] }, 0);
  await repo.directory.upsertZone({ id: "z1", storeId: id, name: "Zone", tags: [], geometry: {} });
  await repo.directory.upsertGateway({ id: `gw-${id}`, storeId: id, name: "Gateway" }, 0);
}

export function subjectOf(userId: string): string {
  const n = Number.parseInt(userId.replace(/\D/g, "") || "0", 10);
  return `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:2:${n}`;
}

/** App users `ids` of o1 with devices `subjectOf(id)`; consenting unless listed in `noConsent`. */
export async function addUsers(
  f: CloudFixture,
  ids: readonly string[],
  options: { segments?: readonly string[]; noConsent?: readonly string[] } = {},
): Promise<void> {
  const repo = f.cloud.repositories;
  for (const id of ids) {
    await repo.users.upsertUser(
      {
        id,
        orgId: "o1",
        displayName: id,
        segments: [...(options.segments ?? [])],
        loyaltyTier: null,
        marketingConsent: !(options.noConsent ?? []).includes(id),
        analyticsConsent: true,
      },
      0,
    );
    await repo.users.registerDevice(subjectOf(id), id, null, 0);
  }
}

let nextSeq = 1;
/** A fresh sequence number (the ack logic does not matter here; ids and seqs only must not repeat). */
export function seq(): number {
  return nextSeq++;
}

/** A presence event of `userId` at `storeId` (gateway `gw-{storeId}`, or g1 for s1) at `at`. */
export function eventOf(
  userId: string,
  at: number | string,
  overrides: Partial<PresenceEvent> & { visit?: string } = {},
): PresenceEvent {
  const n = seq();
  const { visit, ...rest } = overrides;
  const storeId = rest.storeId ?? "s1";
  return presenceEvent(n, {
    id: `ev-${String(n).padStart(10, "0")}`,
    storeId,
    gatewayId: storeId === "s1" ? "g1" : `gw-${storeId}`,
    subject: { kind: "ibeacon", id: subjectOf(userId) },
    at: typeof at === "string" ? at : new Date(at).toISOString(),
    visitId: visit ?? `visit-${String(n).padStart(10, "0")}`,
    ...rest,
  });
}

/** Ingests `events` through the gateway each names, waits until every decision is made. */
export async function arrive(f: CloudFixture, events: readonly PresenceEvent[]): Promise<void> {
  await Promise.all(events.map((e) => f.ingestAs(e.storeId, e.gatewayId, [e], e.seq)));
  await f.cloud.offers.idle();
}

export async function count(f: CloudFixture, sql: string, params: (string | number)[] = []): Promise<number> {
  const row = await f.cloud.repositories.db.get<{ n: number }>(sql, params);
  return row?.n ?? 0;
}

export interface DecisionView {
  eventId: string;
  ruleId: string;
  ruleVersion: number;
  userId: string | null;
  outcome: string;
  reason: string;
  text: string;
  offerId: string | null;
  decidedAt: string;
}

/** Every decision of `ruleId`, following the pages. */
export async function ruleDecisions(f: CloudFixture, ruleId: string): Promise<DecisionView[]> {
  const all: DecisionView[] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse<{ decisions: DecisionView[]; nextCursor: string | null }> = await api(
      f,
      f.keys.marketer,
      "GET",
      `/v1/rules/${ruleId}/decisions?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
    );
    expect(res.status).toBe(200);
    all.push(...res.body.decisions);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return all;
}

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
