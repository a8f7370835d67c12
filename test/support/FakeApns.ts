import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { constants, createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";

export interface ApnsReceived {
  readonly deviceToken: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/**
 * A local APNs over HTTP/2 (cleartext h2c; the real one is TLS) that checks what Apple checks: the
 * provider token is an ES256 JWT with the key id as `kid`, the team id as `iss`, an `iat` within the
 * hour, signed by the team's key; apns-topic is the app's bundle id, apns-push-type `alert`,
 * apns-priority 10 or 5, apns-expiration a number; the body has `aps.alert`. Device tokens it does
 * not know get 400 BadDeviceToken, unregistered ones 410 Unregistered.
 */
export class FakeApns {
  readonly received: ApnsReceived[] = [];
  readonly errors: string[] = [];
  readonly devices = new Set<string>();
  readonly unregistered = new Set<string>();
  readonly script: { status: number; reason?: string; headers?: Record<string, string> }[] = [];
  /** Connections opened: the sender should reuse one. */
  sessions = 0;
  private server: Http2Server | null = null;
  private port = 0;
  private readonly publicKey: KeyObject;

  constructor(private readonly expected: { teamId: string; keyId: string; topic: string; signingKeyPem: string }) {
    this.publicKey = createPublicKey(expected.signingKeyPem);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer();
    this.server.on("session", () => this.sessions++);
    this.server.on("stream", (stream, headers) => this.handle(stream, headers));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const answer = (status: number, reason?: string, extra: Record<string, string> = {}) => {
        stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, "apns-id": "00000000-0000-0000-0000-000000000000", ...extra });
        stream.end(reason ? JSON.stringify({ reason, ...(status === 410 ? { timestamp: Date.now() } : {}) }) : undefined);
      };
      const refuse = (status: number, reason: string, why: string) => {
        this.errors.push(why);
        answer(status, reason);
      };
      const path = String(headers[constants.HTTP2_HEADER_PATH]);
      const token = /^\/3\/device\/([0-9a-f]+)$/i.exec(path)?.[1];
      if (headers[constants.HTTP2_HEADER_METHOD] !== "POST") return refuse(405, "MethodNotAllowed", "not POST");
      if (token === undefined) return refuse(404, "BadPath", `bad path ${path}`);
      const auth = this.checkToken(headers.authorization);
      if (auth !== null) return refuse(403, "InvalidProviderToken", auth);
      if (headers["apns-topic"] !== this.expected.topic) return refuse(400, "BadTopic", `apns-topic ${String(headers["apns-topic"])}`);
      if (headers["apns-push-type"] !== "alert") return refuse(400, "InvalidPushType", "apns-push-type is not alert");
      if (!["10", "5"].includes(String(headers["apns-priority"]))) return refuse(400, "BadPriority", "apns-priority");
      if (!/^\d+$/.test(String(headers["apns-expiration"]))) return refuse(400, "BadExpirationDate", "apns-expiration");
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return refuse(400, "PayloadEmpty", "body is not JSON");
      }
      if (typeof (body.aps as { alert?: unknown } | undefined)?.alert !== "object") return refuse(400, "PayloadEmpty", "no aps.alert");
      const scripted = this.script.shift();
      if (scripted) return answer(scripted.status, scripted.reason, scripted.headers);
      if (this.unregistered.has(token)) return answer(410, "Unregistered");
      if (!this.devices.has(token)) return answer(400, "BadDeviceToken");
      this.received.push({ deviceToken: token, headers, body });
      answer(200);
    });
  }

  private checkToken(header: string | string[] | undefined): string | null {
    const jwt = /^bearer (.+)$/.exec(String(header))?.[1];
    if (jwt === undefined) return "no bearer token";
    const [h = "", c = "", s = ""] = jwt.split(".");
    const head = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>;
    if (head.alg !== "ES256" || head.kid !== this.expected.keyId) return `bad JWT header ${JSON.stringify(head)}`;
    if (claims.iss !== this.expected.teamId) return `iss ${String(claims.iss)}`;
    const nowS = Date.now() / 1000;
    if (typeof claims.iat !== "number" || claims.iat > nowS + 60 || claims.iat < nowS - 3600) return "iat out of range";
    const ok = verify("sha256", Buffer.from(`${h}.${c}`), { key: this.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
    return ok ? null : "signature does not verify";
  }
}
