import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A subscription as a browser would hand it to the page (`PushSubscription.toJSON()`). */
export interface FakeSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/** A push the fake accepted: decrypted, with the headers that matter. */
export interface ReceivedPush {
  readonly subscriptionId: string;
  readonly payload: unknown;
  readonly ttl: string | undefined;
  readonly urgency: string | undefined;
  readonly topic: string | undefined;
  readonly jwtClaims: Record<string, unknown>;
  /** When the request arrived (its headers), epoch ms with sub-millisecond precision. */
  readonly receivedAt: number;
}

interface Subscriber {
  readonly ecdh: ReturnType<typeof createECDH>;
  /** The subscription's public key, uncompressed (`p256dh`). */
  readonly publicKey: Buffer;
  readonly auth: Buffer;
  /** Scripted answers, used one per push before the default 201. */
  readonly script: { status: number; headers?: Record<string, string> }[];
}

/**
 * A local Web Push service (RFC 8030) that checks the protocol as a real one would and more: every
 * push must carry a VAPID `Authorization` (RFC 8292) whose ES256 JWT verifies against the `k` key,
 * whose `k` is the application server key the subscription was made with, with `aud` this origin,
 * `exp` in the future and at most 24 h ahead, and `sub` a mailto: or https: URL; the body must be
 * `aes128gcm` (RFC 8291) and decrypt with the subscription's private key. A push that fails any of
 * this is answered 400/401/403 and its reason kept in `errors`.
 */
export class FakeWebPushService {
  readonly received: ReceivedPush[] = [];
  /** JWTs whose signature verified, with their claims (still checked on every push). */
  private readonly verifiedJwts = new Map<string, Record<string, unknown>>();
  private messages = 0;
  readonly errors: string[] = [];
  private readonly subscribers = new Map<string, Subscriber>();
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly applicationServerKey: string) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
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

  /** A new subscription, as `pushManager.subscribe` would make it in a browser. */
  subscribe(): FakeSubscription & { id: string } {
    const id = randomBytes(8).toString("hex");
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const publicKey = ecdh.getPublicKey();
    this.subscribers.set(id, { ecdh, publicKey, auth, script: [] });
    return {
      id,
      endpoint: `${this.origin}/push/${id}`,
      keys: { p256dh: publicKey.toString("base64url"), auth: auth.toString("base64url") },
    };
  }

  /** The subscription's next pushes get these answers (then 201 again). */
  script(id: string, ...answers: { status: number; headers?: Record<string, string> }[]): void {
    this.subscribers.get(id)?.script.push(...answers);
  }

  /** The browser unsubscribed: later pushes get 410 Gone. */
  unsubscribe(id: string): void {
    this.subscribers.delete(id);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const receivedAt = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        this.check(req, res, chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks), receivedAt);
      } catch (err) {
        // Whatever else is malformed (a JWT that is not JSON): refused, never a crash.
        const reason = `malformed push: ${err instanceof Error ? err.message : String(err)}`;
        this.errors.push(reason);
        res.writeHead(400).end(reason);
      }
    });
  }

  private check(req: IncomingMessage, res: ServerResponse, body: Buffer, receivedAt: number): void {
    const refuse = (status: number, reason: string) => {
      this.errors.push(reason);
      res.writeHead(status).end(reason);
    };
    const id = /^\/push\/([0-9a-f]+)$/.exec(req.url ?? "")?.[1];
    if (req.method !== "POST" || id === undefined) return refuse(404, `no such resource ${req.method} ${req.url}`);
    const subscriber = this.subscribers.get(id);
    if (subscriber === undefined) {
      res.writeHead(410).end();
      return;
    }
    const claims = this.checkVapid(req.headers.authorization);
    if (typeof claims === "string") return refuse(claims.startsWith("k ") ? 403 : 401, claims);
    if (req.headers["content-encoding"] !== "aes128gcm") return refuse(400, "content-encoding must be aes128gcm");
    if (req.headers.ttl === undefined || !/^\d+$/.test(String(req.headers.ttl))) return refuse(400, "TTL header missing");
    let payload: unknown;
    try {
      payload = JSON.parse(decrypt(body, subscriber).toString("utf8"));
    } catch (err) {
      return refuse(400, `payload does not decrypt: ${err instanceof Error ? err.message : String(err)}`);
    }
    const scripted = subscriber.script.shift();
    if (scripted !== undefined) {
      res.writeHead(scripted.status, scripted.headers ?? {}).end();
      return;
    }
    this.received.push({
      subscriptionId: id,
      payload,
      ttl: req.headers.ttl as string | undefined,
      urgency: req.headers.urgency as string | undefined,
      topic: req.headers.topic as string | undefined,
      jwtClaims: claims,
      receivedAt,
    });
    res.writeHead(201, { location: `${this.origin}/message/${++this.messages}` }).end();
  }

  /** The JWT's claims, or why the VAPID header is refused. */
  private checkVapid(header: string | undefined): Record<string, unknown> | string {
    const m = /^vapid t=([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
    if (!m?.[1] || !m[2]) return `authorization is not a VAPID header: ${header ?? "(none)"}`;
    const [jwt, k] = [m[1], m[2]];
    if (k !== this.applicationServerKey) return "k is not the key the subscription was made with";
    // A sender signs one JWT per audience for hours: its signature is checked once, as a push
    // service may; a JWT that does not verify is never remembered. Its claims are checked every time.
    let claims = this.verifiedJwts.get(jwt);
    if (claims === undefined) {
      const [h = "", c = "", s = ""] = jwt.split(".");
      const head = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
      if (head.alg !== "ES256") return `JWT alg ${String(head.alg)}`;
      const point = Buffer.from(k, "base64url");
      const key = createPublicKey({
        key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") },
        format: "jwk",
      });
      const ok = verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
      if (!ok) return "JWT signature does not verify";
      claims = JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>;
      this.verifiedJwts.set(jwt, claims);
    }
    const nowS = Date.now() / 1000;
    if (claims.aud !== this.origin) return `JWT aud ${String(claims.aud)} is not ${this.origin}`;
    if (typeof claims.exp !== "number" || claims.exp <= nowS || claims.exp > nowS + 86_400) return "JWT exp out of range";
    if (typeof claims.sub !== "string" || !/^(mailto:|https:)/.test(claims.sub)) return "JWT sub is not mailto: or https:";
    return claims;
  }
}

/** HKDF-SHA-256 (RFC 5869 §2.2, §2.3): extract with `salt`, then expand `info` to `length` bytes. */
function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac("sha256", salt).update(ikm).digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; 32 * blocks.length < length; i++) {
    previous = createHmac("sha256", prk).update(previous).update(info).update(Buffer.from([i])).digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** RFC 8291 decryption, the user agent's side, written apart from the cloud's encryption. */
function decrypt(body: Buffer, subscriber: Subscriber): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error(`keyid length ${idlen}`);
  if (record.length > rs) throw new Error("more than one record");
  const secret = subscriber.ecdh.computeSecret(asPublic);
  const prkKey = hkdf(subscriber.auth, secret, Buffer.concat([Buffer.from("WebPush: info\0"), subscriber.publicKey, asPublic]), 32);
  const cek = hkdf(salt, prkKey, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(salt, prkKey, Buffer.from("Content-Encoding: nonce\0"), 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // Strip padding back to the delimiter; 0x02 marks the last record (RFC 8188 §2).
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end);
}
