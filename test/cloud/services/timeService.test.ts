import { describe, expect, it } from "vitest";
import { decodeGatewayMessage, encodeMessage, gatewayTopic } from "../../../protocol/index.js";
import { TimeService } from "../../../cloud/src/services/TimeService.js";
import { ManualClock } from "../manualClock.js";
import { RecordingLogger } from "../../support/RecordingLogger.js";

function kit() {
  const clock = new ManualClock("2026-12-08T10:00:00.000Z");
  const published: { topic: string; payload: Buffer; qos: number; retain: boolean }[] = [];
  const bus = {
    subscribe: async () => undefined,
    publish: async (topic: string, payload: Buffer, o: { qos: 0 | 1; retain: boolean }) => {
      // The reply is sent some ms after the request was taken: t2 is read just before.
      published.push({ topic, payload, ...o });
    },
  };
  const time = new TimeService({ bus, clock, log: new RecordingLogger() });
  return { clock, published, time };
}

describe("TimeService", () => {
  it("answers a gateway's request on its own reply topic with when it received it and when it replied", async () => {
    const { clock, published, time } = kit();
    const t1 = clock.now();
    clock.advance(3);
    await time.handleRequest(gatewayTopic("s1", "g1", "time"), encodeMessage({ v: 1, id: "7", t0: 1_000 }), t1);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ topic: gatewayTopic("s1", "g1", "time-reply"), qos: 0, retain: false });
    const reply = decodeGatewayMessage("time-reply", published[0]?.payload ?? Buffer.alloc(0));
    expect(reply.ok && reply.value).toEqual({ v: 1, id: "7", t0: 1_000, t1, t2: t1 + 3 });
    expect(time.counters).toEqual({ answered: 1, refused: 0 });
  });

  it.each([
    ["another channel's topic", gatewayTopic("s1", "g1", "telemetry"), { v: 1, id: "7", t0: 1 }],
    ["a reply topic", gatewayTopic("s1", "g1", "time-reply"), { v: 1, id: "7", t0: 1 }],
    ["no t0", gatewayTopic("s1", "g1", "time"), { v: 1, id: "7" }],
    ["an id that is not one", gatewayTopic("s1", "g1", "time"), { v: 1, id: "a/b", t0: 1 }],
    ["an unknown field", gatewayTopic("s1", "g1", "time"), { v: 1, id: "7", t0: 1, t1: 2 }],
  ])("refuses %s and answers nothing", async (_what, topic, body) => {
    const { clock, published, time } = kit();
    await time.handleRequest(topic, encodeMessage(body), clock.now());
    expect(published).toEqual([]);
    expect(time.counters).toEqual({ answered: 0, refused: 1 });
  });
});
