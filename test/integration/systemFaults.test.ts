import mqtt, { type MqttClient } from "mqtt";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkRuleSpec } from "../../cloud/src/domain/rules/index.js";
import {
  encodeMessage,
  gatewayTopic,
  type OfferMessage,
  type PresenceEvent,
  userTopic,
} from "../../protocol/index.js";
import { type CloudFixture, createCloudFixture, presenceEvent, SUBJECT_U1 } from "../cloud/cloudFixture.js";
import { audit, balanced } from "../support/accounting.js";
import { until } from "../support/until.js";

/**
 * Faults the uplink tests (uplink.test.ts, uplinkFaults.test.ts: link cuts through a TCP proxy,
 * broker restart, cloud and gateway SIGKILL) do not cover, with the whole books checked after each:
 * a gateway flooding duplicates of its batches, and a shopper's app that stops reading its socket.
 * `ARRIVAL_CHAOS_SCALE` (scripts/chaos) multiplies the volumes for the long form.
 */

const SCALE = Math.max(1, Number(process.env.ARRIVAL_CHAOS_SCALE ?? "1"));
const OUTBOX = "outbox-chaos-1";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connect(f: CloudFixture, login: { username: string; password: string; clientId: string }): Promise<MqttClient> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${f.cloud.mqttPort()}`, {
    clientId: login.clientId,
    username: login.username,
    password: login.password,
    reconnectPeriod: 0,
  });
  cleanups.push(() => client.endAsync(true));
  return client;
}

/**
 * A cloud with an uncapped enter rule next to the fixture's capped r1, so every enter of u1 issues;
 * arrivals up to a week old (the chaos form's many arrivals, 31 minutes apart) are still decided.
 */
async function floodCloud(): Promise<CloudFixture> {
  const f = await createCloudFixture({ offers: { maxEventAgeS: 7 * 86_400 } });
  cleanups.push(() => f.close());
  const now = Date.now();
  await f.cloud.repositories.directory.upsertOrganisation({ id: "o1", name: "Org", maxOffersPerUserPerDay: 1_000_000 }, now);
  const spec = checkRuleSpec({
    trigger: { type: "enter" },
    scope: { storeIds: ["s1"] },
    offer: { title: "Welcome", text: "Every visit", discount: { kind: "percent", percent: 5 }, validityS: 600 },
  });
  if (!spec.ok) throw new Error(JSON.stringify(spec.problems));
  await f.cloud.repositories.rules.putRule("o1", { id: "r-every", version: 1, status: "live", spec: spec.value }, now);
  await f.cloud.offers.reloadRules("o1");
  return f;
}

/** `eligible` enters of u1 (each its own visit) among `total` events; anonymous dwells otherwise. */
/**
 * u1's arrivals are apart by more than the store-visit gap (30 min: closer ones join one store visit,
 * which a rule rewards once), the last one now; the others' dwells share the timeline.
 */
const ARRIVAL_GAP_MS = 31 * 60_000;

function chaosEvents(total: number, eligible: number, now = Date.now()): PresenceEvent[] {
  const every = Math.floor(total / eligible);
  return Array.from({ length: total }, (_, k) => {
    const seq = k + 1;
    const mine = k % every === 0 && k / every < eligible;
    const arrival = Math.min(eligible - 1, Math.floor(k / every));
    return presenceEvent(seq, {
      id: `chaos-${String(seq).padStart(8, "0")}`,
      visitId: `visit-chaos-${seq}`,
      at: new Date(now - (eligible - 1 - arrival) * ARRIVAL_GAP_MS).toISOString(),
      type: mine ? "enter" : "dwell",
      subject: { kind: "ibeacon", id: mine ? SUBJECT_U1 : `ibeacon:0b5e2fd1-4cd6-4d22-8b0f-9bb3a1fa4e30:4:${seq}` },
      ...(mine ? {} : { dwellMs: 5000 }),
    });
  });
}

function batches(events: readonly PresenceEvent[], size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < events.length; i += size) {
    const slice = events.slice(i, i + size);
    out.push(encodeMessage({ v: 1, outbox: OUTBOX, fromSeq: slice[0]?.seq ?? 1, events: slice }));
  }
  return out;
}

describe("system under faults: the books balance", () => {
  it(
    "stores each event once, decides each arrival once and issues no offer twice under a duplicate flood, with an app that never reads",
    { timeout: 180_000 },
    async () => {
      const f = await floodCloud();
      const cloud = f.cloud;
      const gatewayLogin = await cloud.credentials.issueMqtt({ role: "gateway", storeId: "s1", gatewayId: "g1" }, "test");
      const appLogin = await cloud.credentials.issueMqtt({ role: "app", userId: "u1" }, "test");

      // The app subscribes, then stops reading its socket: the broker's writes to it back up.
      const app = await connect(f, appLogin);
      const received: OfferMessage[] = [];
      app.on("message", (_topic, payload) => received.push(JSON.parse(payload.toString("utf8")) as OfferMessage));
      await app.subscribeAsync(userTopic("u1", "offers"), { qos: 1 });
      const appSocket = app.stream as Socket;
      appSocket.pause();

      const gateway = await connect(f, gatewayLogin);
      let acked = 0;
      gateway.on("message", (_topic, payload) => {
        const ack = JSON.parse(payload.toString("utf8")) as { upToSeq: number };
        acked = Math.max(acked, ack.upToSeq);
      });
      await gateway.subscribeAsync(gatewayTopic("s1", "g1", "ack"), { qos: 1 });

      const total = 1000 * SCALE;
      const eligible = 30 * SCALE;
      const events = chaosEvents(total, eligible);
      const payloads = batches(events, 50);
      // Every batch five times, the copies interleaved out of order, all at once: a gateway that
      // re-sends on every reconnect of a flapping link, or a replay attack with valid credentials.
      const flood = [...payloads, ...[...payloads].reverse(), ...payloads, ...payloads.slice(3), ...payloads];
      await Promise.all(flood.map((payload) => gateway.publishAsync(gatewayTopic("s1", "g1", "events"), payload, { qos: 1 })));

      await until(() => acked >= total, 120_000, `ack up to ${total}`);
      await cloud.ingest.idle();
      await cloud.offers.idle();

      expect(cloud.ingest.counters.eventsStored).toBe(total);
      expect(cloud.ingest.counters.duplicates).toBe(total * 4 - 3 * 50);
      // The app never read a byte, and the cloud's publishing did not wait for it.
      expect(cloud.offers.counters.offersPublished).toBe(cloud.offers.counters.offersIssued);
      expect(await audit(cloud.repositories.db, events.map((e) => e.id))).toEqual(balanced(total, eligible));

      // Once it reads again, the app gets every offer; QoS 1 may repeat one, never lose one.
      appSocket.resume();
      await until(() => new Set(received.map((m) => m.offerId)).size >= eligible, 60_000, `${eligible} offers at the app`);
      expect(new Set(received.map((m) => m.offerId)).size).toBe(eligible);

      // Two tills redeem the same codes at once: one wins per code.
      const codes = [...new Set(received.map((m) => m.code))].slice(0, 5);
      const results = await Promise.all(
        codes.flatMap((code, k) =>
          ["a", "b"].map((till) =>
            cloud.http.inject({
              method: "POST",
              url: "/v1/redemptions",
              headers: { authorization: `Bearer ${f.keys.pos}`, "idempotency-key": `chaos-${k}-${till}` },
              payload: { code },
            }),
          ),
        ),
      );
      const accepted = results.filter((r) => r.statusCode === 201).length;
      expect(accepted).toBe(codes.length);
      expect(results.filter((r) => r.statusCode === 409).length).toBe(codes.length);
      const after = await audit(cloud.repositories.db, events.map((e) => e.id));
      expect(after.doubleRedemptions).toBe(0);
    },
  );
});
