import { describe, expect, it } from "vitest";
import { decodeGatewayMessage, encodeMessage, gatewayTopic } from "../../../protocol/index.js";
import { CloudClock } from "../../../gateway/src/services/CloudClock.js";
import { ManualClock } from "../../cloud/manualClock.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";
import { ManualScheduler } from "../../support/ManualScheduler.js";

const T = Date.parse("2026-12-08T10:00:00.000Z");

/** A gateway whose system clock is `skewMs` off true time (`truth`), and what it publishes. */
function kit(skewMs: number) {
  const truth = new ManualClock(T);
  const own = { now: () => truth.now() + skewMs, set: (at: number) => truth.set(at - skewMs) };
  const scheduler = new ManualScheduler(own);
  const sent: { topic: string; id: string; t0: number }[] = [];
  const connection = {
    connected: true,
    reconnects: 0,
    publish: async (topic: string, payload: Buffer) => {
      const decoded = decodeGatewayMessage("time", payload);
      if (!decoded.ok) throw new Error("not a time request");
      sent.push({ topic, id: decoded.value.id, t0: decoded.value.t0 });
    },
  };
  const clock = new CloudClock({ storeId: "s1", gatewayId: "g1", connection, clock: own, scheduler, log: new RecordingLogger() });
  /** The cloud's reply to the last request: received `upMs` after it was sent, sent back after `holdMs`. */
  const answer = (upMs: number, holdMs = 0) => {
    const req = sent.at(-1);
    if (!req) throw new Error("nothing asked");
    const t1 = truth.now() + upMs;
    return encodeMessage({ v: 1, id: req.id, t0: req.t0, t1, t2: t1 + holdMs });
  };
  return { truth, own, scheduler, sent, connection, clock, answer };
}

describe("CloudClock", () => {
  it("asks on connect, a burst then every poll, on the gateway's own time topic", async () => {
    const k = kit(0);
    k.clock.start();
    k.clock.online();
    expect(k.sent).toHaveLength(1);
    expect(k.sent[0]).toMatchObject({ topic: gatewayTopic("s1", "g1", "time"), t0: T });
    // Each burst request waits for none in flight: answered at once here.
    for (let i = 0; i < 3; i++) {
      k.clock.reply(k.answer(5));
      await k.scheduler.advance(2000);
    }
    expect(k.sent).toHaveLength(4);
    k.clock.reply(k.answer(5));
    await k.scheduler.advance(64_000 - 6000);
    expect(k.sent).toHaveLength(5);
    k.clock.stop();
    await k.scheduler.advance(200_000);
    expect(k.sent).toHaveLength(5);
  });

  it("reads the cloud's time once answered: a clock 3 s behind is moved 3 s on", async () => {
    const k = kit(-3000);
    k.clock.start();
    expect(k.clock.known).toBe(false);
    expect(k.clock.now()).toBe(T - 3000);
    k.clock.online();
    // 20 ms up, 2 ms in the cloud, 20 ms down.
    const reply = k.answer(20, 2);
    k.truth.advance(42);
    k.clock.reply(reply);
    expect(k.clock.known).toBe(true);
    expect(k.clock.correctionMs).toBe(3000);
    expect(k.clock.now()).toBe(k.truth.now());
    expect(k.clock.report()).toEqual({
      source: "cloud",
      offsetMs: 3000,
      roundTripMs: 40,
      sampleAgeS: 0,
      correctionMs: 3000,
      samples: 1,
      refused: 0,
      unanswered: 0,
    });
    // The link goes down for an hour: the correction holds, and the sample ages.
    k.connection.connected = false;
    await k.scheduler.advance(3_600_000);
    expect(k.sent).toHaveLength(1);
    expect(k.clock.now()).toBe(k.truth.now());
    expect(k.clock.report().sampleAgeS).toBe(3600);
  });

  it("leaves a clock NTP keeps right as it is", () => {
    const k = kit(8);
    k.clock.start();
    k.clock.online();
    const reply = k.answer(30);
    k.truth.advance(60);
    k.clock.reply(reply);
    expect(k.clock.known).toBe(true);
    expect(k.clock.report()).toMatchObject({ offsetMs: -8, roundTripMs: 60, correctionMs: 0 });
    expect(k.clock.now()).toBe(k.own.now());
  });

  it("takes only the reply to the request in flight", () => {
    const k = kit(5000);
    k.clock.start();
    k.clock.online();
    const req = k.sent[0];
    if (!req) throw new Error("nothing asked");
    // Another id, the right id with another t0, a malformed one: none is taken.
    k.clock.reply(encodeMessage({ v: 1, id: "other", t0: req.t0, t1: T, t2: T }));
    k.clock.reply(encodeMessage({ v: 1, id: req.id, t0: req.t0 - 1, t1: T, t2: T }));
    k.clock.reply(Buffer.from("{}"));
    expect(k.clock.known).toBe(false);
    k.clock.reply(k.answer(0));
    // Answered: the same reply again finds nothing in flight.
    k.clock.reply(k.answer(0));
    expect(k.clock.counters).toMatchObject({ answered: 1, unmatched: 4 });
    expect(k.clock.correctionMs).toBe(-5000);
  });

  it("gives an unanswered request up after its timeout, and never has two in flight", async () => {
    const k = kit(0);
    k.clock.start();
    k.clock.online();
    expect(k.clock.pending).toBe(true);
    // The burst's second request finds the first still in flight (2 s < 5 s): not sent.
    await k.scheduler.advance(2000);
    expect(k.sent).toHaveLength(1);
    await k.scheduler.advance(3500);
    // The third, at 4 s, still found it in flight; at 5.5 s it is given up.
    expect(k.sent).toHaveLength(1);
    expect(k.clock.pending).toBe(false);
    // The fourth, at 6 s, counts it unanswered and asks again.
    await k.scheduler.advance(500);
    expect(k.sent).toHaveLength(2);
    expect(k.clock.pending).toBe(true);
    expect(k.clock.report().unanswered).toBe(1);
  });

  it("asks nothing while the uplink is down", async () => {
    const k = kit(0);
    k.connection.connected = false;
    k.clock.start();
    k.clock.online();
    await k.scheduler.advance(200_000);
    expect(k.sent).toEqual([]);
  });

  // A cloud older than the clock topics refuses the subscription to the replies (online() is never
  // called) and its broker drops a client publishing on `time`: a poll then would cut the uplink.
  it("asks nothing on a connection whose replies were never subscribed", async () => {
    const k = kit(0);
    k.clock.start();
    await k.scheduler.advance(200_000);
    expect(k.sent).toEqual([]);
    // Subscribed on the first connection; the uplink reconnects and this time the subscription is
    // refused (the cloud was rolled back): nothing more is asked until online() says otherwise.
    k.clock.online();
    k.clock.reply(k.answer(5));
    expect(k.sent).toHaveLength(1);
    k.connection.reconnects = 1;
    await k.scheduler.advance(200_000);
    expect(k.sent).toHaveLength(1);
    k.clock.online();
    expect(k.sent).toHaveLength(2);
  });
});
