import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../../gateway/src/config/loadConfig.js";
import { createGateway, type Gateway } from "../../gateway/src/createGateway.js";
import { appSubjectId } from "../../protocol/index.js";
import { addShopperWithoutAnalytics, type CloudFixture, createCloudFixture, SUBJECT_U1, SUBJECT_U2, SUBJECT_U3 } from "../cloud/cloudFixture.js";
import { LIPSTICK_BATCH } from "../support/couponBatches.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { until } from "../support/until.js";
import { silentSource, uplinkGatewayDocument } from "../support/uplinkGateway.js";


/**
 * Calibration from the till through a real broker (the cloud's embedded aedes): a coupon redeemed
 * at the till for a member with analytics consent reaches the store's gateway on its labels topic,
 * and the gateway turns what it heard of the member then into a sample; a member without consent,
 * and an online order, produce none.
 */
describe("calibration from till redemptions", () => {
  let f: CloudFixture;
  let gateway: Gateway;
  let dir: string;
  let seq = 0;
  const logger = new RecordingLogger();

  const call = async (key: string, method: "GET" | "POST", url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await f.cloud.http.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const couponCode = async (userId: string): Promise<string> => {
    const batchId = `batch-${++seq}`;
    const batch = await call(f.keys.admin, "POST", "/v1/coupon-batches", { batchId, spec: LIPSTICK_BATCH });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    const claim = await call(f.keys.admin, "POST", `/v1/coupon-batches/${batchId}/claims`, { userId });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    return (claim.body.coupon as { code: string }).code;
  };
  const redeem = async (userId: string, channel: "till" | "online" = "till") => {
    const code = await couponCode(userId);
    const basket = { orderId: `order-${++seq}`, currency: "HKD", totalMinor: 20_000, lines: [{ sku: "lip-1", category: "lipstick", quantity: 1, unitPriceMinor: 20_000 }] };
    const res = await call(f.keys.pos, "POST", "/v1/redemptions", { code, basket, channel }, { "idempotency-key": `redeem-key-${String(++seq).padStart(4, "0")}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  /** The member's beacon heard at the till for the last 20 s: 6 dB weaker than the model (n 2.2) expects at 2 m. */
  const heardAtTill = (subjectId: string, weakerDb = 6) => {
    const now = Date.now();
    for (let i = 19; i >= 0; i--) gateway.learning?.heard(subjectId, now - i * 1000, -59 - 22 * Math.log10(2) - weakerDb, -59);
  };
  const learned = (residualDb: number) =>
    logger.entries.some((e) => e.msg === "till sample learned" && Math.abs(Number(e.obj.residualDb) - residualDb) < 0.01);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "arrival-till-"));
    f = await createCloudFixture({ seedRule: false });
    await addShopperWithoutAnalytics(f);
    const issued = await call(f.keys.admin, "POST", "/v1/gateways/g1/credentials");
    const login = issued.body as { username: string; password: string };
    const parsed = parseGatewayConfig({
      ...uplinkGatewayDocument({ dataDir: dir, url: `mqtt://127.0.0.1:${f.cloud.mqttPort()}`, ...login }),
      learning: { tillDistanceM: 2, minSamples: 3 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    gateway = await createGateway(parsed.config, { source: silentSource, log: logger, clock: { now: () => Date.now() } });
    await gateway.start();
    // Online is published after the gateway subscribed to its topics, its labels among them.
    await until(async () => (await call(f.keys.admin, "GET", "/v1/gateways/g1")).body.state === "online", 10_000, "g1 online");
  }, 60_000);
  afterEach(async () => {
    await gateway?.stop();
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("records a sample for a consenting member at the till, none without consent or online", async () => {
    heardAtTill(SUBJECT_U1);
    await redeem("u1");
    await until(() => (gateway.learning?.report().samples ?? 0) === 1, 10_000, "first till sample");
    const first = gateway.learning?.report();
    expect(first?.weeks[0]?.medianDb).toBe(6);

    // u3 gave no analytics consent; u1's online order is not at the till. Labels on one topic
    // arrive in order at QoS 1, so once u2's till redemption after them is counted (told apart by
    // a phone 8 dB weaker), a label for either before it would have been counted already.
    heardAtTill(SUBJECT_U3);
    heardAtTill(appSubjectId("u3"));
    await redeem("u3");
    await redeem("u1", "online");
    heardAtTill(SUBJECT_U2, 8);
    await redeem("u2");
    await until(() => learned(8), 10_000, "second till sample");
    expect(gateway.learning?.report()).toMatchObject({ samples: 2, refused: 0 });
  });
});
