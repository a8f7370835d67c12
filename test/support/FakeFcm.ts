import { generateKeyPairSync, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface FcmReceived {
  readonly message: Record<string, unknown>;
}

/**
 * A local Google OAuth token endpoint and FCM HTTP v1 endpoint. The token endpoint checks the
 * JWT-bearer grant (RFC 7523): grant_type, an RS256 assertion signed by the service account's key,
 * `iss` its client email, `scope` firebase.messaging, `aud` this token URI, at most an hour long.
 * The send endpoint checks the access token it issued, the project, and the message (a token, string
 * data values, a notification title). Tokens it does not know get 404 UNREGISTERED; malformed ones
 * 400 INVALID_ARGUMENT naming message.token, as FCM answers.
 */
export class FakeFcm {
  readonly received: FcmReceived[] = [];
  readonly errors: string[] = [];
  readonly devices = new Set<string>();
  readonly script: { status: number; errorCode?: string; status_?: string; headers?: Record<string, string> }[] = [];
  tokenExchanges = 0;
  readonly projectId = "arrival-test";
  readonly clientEmail = "push@arrival-test.iam.gserviceaccount.com";
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private readonly accessTokens = new Set<string>();
  private server: Server | null = null;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The service account key file's JSON, pointing at this fake's token endpoint. */
  serviceAccountJson(privateKeyPem?: string): string {
    return JSON.stringify({
      type: "service_account",
      project_id: this.projectId,
      client_email: this.clientEmail,
      private_key: privateKeyPem ?? this.keys.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      token_uri: `${this.url}/token`,
    });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Forgets every access token issued (as when they expire). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    const fcmError = (status: number, statusText: string, message: string, errorCode?: string, field?: string): void =>
      json(status, {
        error: {
          code: status,
          message,
          status: statusText,
          details: [
            ...(errorCode ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] : []),
            ...(field ? [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field, description: message }] }] : []),
          ],
        },
      });
    if (req.method === "POST" && req.url === "/token") {
      const why = this.checkGrant(req.headers["content-type"], text);
      if (why !== null) {
        this.errors.push(why);
        return json(400, { error: "invalid_grant", error_description: why });
      }
      this.tokenExchanges++;
      const token = `ya29.${randomBytes(24).toString("base64url")}`;
      this.accessTokens.add(token);
      return json(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
    }
    if (req.method === "POST" && req.url === `/v1/projects/${this.projectId}/messages:send`) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (bearer === undefined || !this.accessTokens.has(bearer))
        return fcmError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
      let message: Record<string, unknown>;
      try {
        message = (JSON.parse(text) as { message: Record<string, unknown> }).message;
      } catch {
        this.errors.push("body is not JSON");
        return fcmError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
      }
      const data = message.data as Record<string, unknown> | undefined;
      if (data && Object.values(data).some((v) => typeof v !== "string")) {
        this.errors.push("data values must be strings");
        return fcmError(400, "INVALID_ARGUMENT", "Invalid value at 'message.data'", "INVALID_ARGUMENT", "message.data");
      }
      if (typeof (message.notification as { title?: unknown } | undefined)?.title !== "string") {
        this.errors.push("no notification title");
        return fcmError(400, "INVALID_ARGUMENT", "no title", "INVALID_ARGUMENT", "message.notification");
      }
      const scripted = this.script.shift();
      if (scripted) {
        const details = scripted.errorCode
          ? [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: scripted.errorCode }]
          : [];
        return json(
          scripted.status,
          { error: { code: scripted.status, status: scripted.status_ ?? "UNAVAILABLE", message: "scripted", details } },
          scripted.headers,
        );
      }
      const token = String(message.token);
      if (!/^[A-Za-z0-9_:-]{20,}$/.test(token))
        return fcmError(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT", "message.token");
      if (!this.devices.has(token)) return fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
      this.received.push({ message });
      return json(200, { name: `projects/${this.projectId}/messages/${randomBytes(8).toString("hex")}` });
    }
    this.errors.push(`unexpected ${req.method} ${req.url}`);
    json(404, {});
  }

  private checkGrant(contentType: string | undefined, body: string): string | null {
    if (contentType !== "application/x-www-form-urlencoded") return `content-type ${contentType}`;
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return `grant_type ${form.get("grant_type")}`;
    const [h = "", c = "", s = ""] = (form.get("assertion") ?? "").split(".");
    const head = JSON.parse(Buffer.from(h, "base64url").toString() || "{}") as Record<string, unknown>;
    if (head.alg !== "RS256") return `alg ${String(head.alg)}`;
    const ok = verify("sha256", Buffer.from(`${h}.${c}`), this.keys.publicKey, Buffer.from(s, "base64url"));
    if (!ok) return "assertion signature does not verify";
    const claims = JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>;
    if (claims.iss !== this.clientEmail) return `iss ${String(claims.iss)}`;
    if (claims.scope !== "https://www.googleapis.com/auth/firebase.messaging") return `scope ${String(claims.scope)}`;
    if (claims.aud !== `${this.url}/token`) return `aud ${String(claims.aud)}`;
    const nowS = Date.now() / 1000;
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return "no iat/exp";
    if (claims.exp - claims.iat > 3600 || claims.exp < nowS || claims.iat > nowS + 60) return "iat/exp out of range";
    return null;
  }
}
