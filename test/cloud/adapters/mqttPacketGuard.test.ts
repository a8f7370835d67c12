import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { guardedConnection } from "../../../cloud/src/adapters/broker/MqttPacketGuard.js";

const limits = { maxPacketBytes: 1024, maxConnectBytes: 64 };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("guardedConnection", () => {
  it("reports a packet over the limit, and ends the connection", async () => {
    const socket = new PassThrough();
    const violations: string[] = [];
    const connection = guardedConnection(socket, limits, (err) => violations.push(err.message));
    connection.on("error", () => undefined);
    connection.resume();
    // PUBLISH (type 3) announcing 2048 bytes: 0x30, remaining length 0x80 0x10.
    socket.write(Buffer.from([0x30, 0x80, 0x10]));
    await settle();
    expect(violations).toEqual(["packet of 2048 bytes exceeds 1024"]);
    expect(socket.destroyed).toBe(true);
  });

  it("reports nothing when a client just goes away", async () => {
    const socket = new PassThrough();
    const violations: string[] = [];
    const connection = guardedConnection(socket, limits, (err) => violations.push(err.message));
    connection.on("error", () => undefined);
    connection.resume();
    socket.write(Buffer.from([0xe0, 0x00])); // DISCONNECT
    socket.destroy();
    await settle();
    expect(violations).toEqual([]);
  });
});
