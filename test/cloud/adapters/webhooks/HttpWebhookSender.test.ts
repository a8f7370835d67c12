import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpWebhookSender } from "../../../../cloud/src/adapters/webhooks/HttpWebhookSender.js";

/** The sender against a real local server: statuses, redirects, a body past the cap, a hang, private addresses. */
describe("HttpWebhookSender", () => {
  let server: Server;
  let port = 0;
  const seen: { path: string; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === "/ok") res.writeHead(200).end("thanks");
        else if (req.url === "/big") res.writeHead(200).end("x".repeat(1_000_000));
        else if (req.url === "/redirect") res.writeHead(307, { location: "/ok" }).end();
        else if (req.url === "/hang") return;
        else res.writeHead(503).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sender = (allowPrivateNetworks: boolean, timeoutMs = 5000) =>
    new HttpWebhookSender({ timeoutMs, maxResponseBytes: 1024, allowPrivateNetworks, userAgent: "test" });
  const request = (path: string, host = "127.0.0.1") => ({
    url: `http://${host}:${port}${path}`,
    headers: { "content-type": "application/json", "webhook-id": "msg_1" },
    body: '{"type":"webhook.test"}',
  });

  it("delivers on 2xx with the headers and body as given", async () => {
    expect(await sender(true).send(request("/ok"))).toEqual({ outcome: "delivered", statusCode: 200 });
    const last = seen.at(-1);
    expect(last?.headers["webhook-id"]).toBe("msg_1");
    expect(last?.body).toBe('{"type":"webhook.test"}');
  });

  it("reads no more than the cap of a long answer", async () => {
    expect(await sender(true).send(request("/big"))).toEqual({ outcome: "delivered", statusCode: 200 });
  });

  it("fails on another status and does not follow a redirect", async () => {
    expect(await sender(true).send(request("/fail"))).toEqual({ outcome: "failed", error: "HTTP 503", statusCode: 503 });
    const before = seen.length;
    const redirected = await sender(true).send(request("/redirect"));
    expect(redirected).toMatchObject({ outcome: "failed", statusCode: 307 });
    expect(seen.length).toBe(before + 1);
  });

  it("gives up on an endpoint that does not answer in time", async () => {
    expect(await sender(true, 200).send(request("/hang"))).toEqual({ outcome: "failed", error: "timed out after 200 ms", statusCode: null });
  });

  it("refuses a private address, as a literal or as what a host name resolves to", async () => {
    const strict = sender(false);
    const literal = await strict.send(request("/ok"));
    expect(literal).toMatchObject({ outcome: "failed", statusCode: null });
    expect(literal.outcome === "failed" && literal.error).toMatch(/127\.0\.0\.1 is a loopback/);
    const before = seen.length;
    const named = await strict.send(request("/ok", "localhost"));
    expect(named).toMatchObject({ outcome: "failed", statusCode: null });
    expect(named.outcome === "failed" && named.error).toMatch(/localhost resolves to .*(127\.0\.0\.1|::1)/);
    expect(seen.length).toBe(before);
  });
});
