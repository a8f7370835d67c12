import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MqttUplinkConnection } from "../../gateway/src/adapters/mqtt/MqttUplinkConnection.js";
import { encodeMessage, gatewayTopic } from "../../protocol/index.js";
import { RecordingLogger } from "../support/RecordingLogger.js";
import { until } from "../support/until.js";

/**
 * Stopping a gateway whose uplink is still connecting: a broker that accepts the TCP connection but
 * never answers the CONNECT (overloaded, half up) must not hold the stop for the connect timeout.
 */
describe("MqttUplinkConnection.stop while its CONNECT is unanswered", () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it("closes the socket at once and never waits for the CONNACK", async () => {
    let closed = 0;
    let received = 0;
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on("data", (chunk) => (received += chunk.length));
      socket.on("close", () => closed++);
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const log = new RecordingLogger();
    const connection = new MqttUplinkConnection({
      url: `mqtt://127.0.0.1:${port}`,
      username: "gw.s1.g1",
      password: "secret",
      keepaliveS: 30,
      backoff: { initialMs: 50, maxMs: 400 },
      will: { topic: gatewayTopic("s1", "g1", "status"), payload: encodeMessage({ v: 1, state: "offline" }) },
      log,
    });
    let connected = false;
    connection.start({ onConnect: () => (connected = true), onDisconnect: () => undefined, onMessage: () => undefined });
    await until(() => received > 0, 10_000, "the CONNECT packet at the silent broker");

    await connection.stop();
    // Ended by the stop itself: had it waited for the CONNACK, the connect timeout's error would
    // have been logged before it returned.
    expect(log.entries.map((e) => e.msg)).not.toContain("uplink error");
    await until(() => closed === 1, 5_000, "the socket closed by the stop");
    expect(connected).toBe(false);
    expect(sockets).toHaveLength(1);
  });
});
