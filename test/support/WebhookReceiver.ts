import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** How the receiver answers: 204, 500, a redirect elsewhere, or never (the request hangs). */
export type ReceiverBehaviour = "ok" | "fail" | "redirect" | "hang";

/** One request as the receiver saw it. */
export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** The secrets (of those the receiver knows) whose `v1` signature the request carries. */
  readonly signedBy: readonly string[];
  /** What the receiver answered (null: it hung). */
  readonly answered: number | null;
}

/**
 * A webhook endpoint for tests, on 127.0.0.1 and a free port: it checks each request's Standard
 * Webhooks signature with its own HMAC from the secrets a test gives it (as a retailer's receiver
 * would, independently of the cloud's signing code), and answers as told.
 */
export class WebhookReceiver {
  behaviour: ReceiverBehaviour = "ok";
  /** The `whsec_` secrets this receiver verifies with. */
  secrets: string[] = [];
  readonly received: ReceivedWebhook[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves once `count` requests in all have arrived. */
  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = (name: string) => String(req.headers[name] ?? "");
      const id = header("webhook-id");
      const timestamp = header("webhook-timestamp");
      const signature = header("webhook-signature");
      const answered = this.behaviour === "ok" ? 204 : this.behaviour === "fail" ? 500 : this.behaviour === "redirect" ? 302 : null;
      this.received.push({
        id,
        timestamp,
        signature,
        body,
        payload: JSON.parse(body) as ReceivedWebhook["payload"],
        signedBy: this.secrets.filter((secret) => verifies(secret, id, timestamp, body, signature)),
        answered,
      });
      if (answered === 302) res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      else if (answered !== null) res.writeHead(answered).end();
      const ready = this.waiters.filter((w) => this.received.length >= w.count);
      this.waiters = this.waiters.filter((w) => this.received.length < w.count);
      for (const w of ready) w.resolve();
    });
  }
}

/** The Standard Webhooks check, written from the specification: HMAC-SHA256 of `id.timestamp.body` under the secret's base64 key. */
function verifies(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return header.split(" ").some((entry) => {
    const [version, sig] = entry.split(",");
    if (version !== "v1" || sig === undefined) return false;
    const given = Buffer.from(sig, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
