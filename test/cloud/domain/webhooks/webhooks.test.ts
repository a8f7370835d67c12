import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkWebhookUrl,
  formatSecret,
  invalidFilters,
  isPrivateAddress,
  secretKey,
  signatureHeader,
  signingSecrets,
  wantsEvent,
  webhookHeaders,
  webhookRetryDelayMs,
} from "../../../../cloud/src/domain/webhooks/index.js";

const hmac = (key: Uint8Array, data: string) => new Uint8Array(createHmac("sha256", key).update(data).digest());

describe("webhook signatures (Standard Webhooks)", () => {
  it("matches the specification's example", () => {
    // The example of the Standard Webhooks reference libraries.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    expect(signatureHeader(hmac, [secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("signs with both secrets during a rotation's grace, with the current one after", () => {
    const endpoint = { secret: formatSecret(new Uint8Array(32).fill(1)), previousSecret: formatSecret(new Uint8Array(32).fill(2)), previousSecretUntil: 2000 };
    expect(signingSecrets(endpoint, 1999)).toEqual([endpoint.secret, endpoint.previousSecret]);
    expect(signingSecrets(endpoint, 2000)).toEqual([endpoint.secret]);
    const headers = webhookHeaders(hmac, signingSecrets(endpoint, 1000), "m1", 1_700_000_000_999, "{}");
    expect(headers["webhook-timestamp"]).toBe("1700000000");
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
  });

  it("reads back only well-formed secrets", () => {
    expect(secretKey(formatSecret(new Uint8Array(32).fill(7)))).toEqual(new Uint8Array(32).fill(7));
    expect(secretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBeNull();
    expect(secretKey("whsec_short")).toBeNull();
  });
});

describe("webhook event filters", () => {
  it.each([
    [["offer.issued"], "offer.issued", true],
    [["offer.issued"], "offer.redeemed", false],
    [["offer.*"], "offer.redeemed", true],
    [["offer.*"], "coupon.claimed", false],
    [["*"], "gateway.offline", true],
    [[], "webhook.test", true],
  ] as const)("%j wants %s: %s", (filters, type, wanted) => {
    expect(wantsEvent(filters, type)).toBe(wanted);
  });

  it("names the entries that match no event", () => {
    expect(invalidFilters(["offer.issued", "offer.sent", "nope.*", "visit.*", "webhook.test"])).toEqual(["offer.sent", "nope.*", "webhook.test"]);
  });
});

describe("webhook retry schedule", () => {
  it("doubles from the base up to the cap", () => {
    const backoff = { baseMs: 1000, maxMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => webhookRetryDelayMs(n, backoff))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe("webhook URL policy", () => {
  it.each([
    "http://example.com/hook",
    "https://localhost/hook",
    "https://api.localhost/hook",
    "https://127.0.0.1/hook",
    "https://0x7f.1/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fd00::1]/hook",
    "https://[fe80::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:10.0.0.1]/hook",
    "https://user:pw@example.com/hook",
    "not a url",
  ])("refuses %s", (url) => {
    expect(checkWebhookUrl(url, false).ok).toBe(false);
  });

  it.each(["https://example.com/hook", "https://8.8.8.8/hook", "https://[2606:4700::1111]/hook", "https://crm.example.co.uk:8443/in?x=1"])(
    "accepts %s",
    (url) => {
      expect(checkWebhookUrl(url, false)).toEqual({ ok: true, url: new URL(url).toString() });
    },
  );

  it("accepts local receivers over http when private networks are allowed", () => {
    expect(checkWebhookUrl("http://127.0.0.1:8080/hook", true).ok).toBe(true);
    expect(checkWebhookUrl("ftp://127.0.0.1/hook", true).ok).toBe(false);
  });

  it.each([
    ["127.0.0.1", true],
    ["::1", true],
    ["::ffff:7f00:1", true],
    ["64:ff9b::a00:1", true],
    ["fc12::1", true],
    ["ff02::1", true],
    ["93.184.216.34", false],
    ["2606:4700::1111", false],
    ["::ffff:93.184.216.34", false],
    ["garbage", true],
  ])("resolved address %s is private: %s", (address, isPrivate) => {
    expect(isPrivateAddress(address)).toBe(isPrivate);
  });
});
