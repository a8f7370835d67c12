import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isDelivered, isPrivateAddress } from "../../domain/webhooks/index.js";
import type { WebhookRequest, WebhookSender, WebhookSendResult } from "../../services/webhooks/WebhookSender.js";

export interface HttpWebhookSenderOptions {
  /** The whole attempt (connect, send, answer), ms; longer counts as a failure. */
  readonly timeoutMs: number;
  /** Most of the answer's body read, bytes; the rest is discarded (only the status matters). */
  readonly maxResponseBytes: number;
  /** Send to loopback and private addresses too (a receiver on the operator's own network, tests). */
  readonly allowPrivateNetworks: boolean;
  /** `User-Agent` of the requests. */
  readonly userAgent: string;
}

/** Raised by the lookup when a host name resolves to an address webhooks must not reach. */
class PrivateAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private or reserved address`);
  }
}

/**
 * Webhook requests over node:http and node:https. The host name is resolved by this sender's own
 * lookup, which refuses private addresses: the address checked is the one connected to, so a name
 * that resolves to a public address at creation and a private one later (DNS rebinding) is still
 * refused. Redirects are not followed (a 3xx is a failed attempt: the organisation fixes its URL),
 * the answer's body is read up to a cap and dropped, and each attempt has one deadline.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: HttpWebhookSenderOptions) {}

  send(request: WebhookRequest): Promise<WebhookSendResult> {
    const url = new URL(request.url);
    // An address literal is connected to without a lookup: checked here instead.
    const literal = url.hostname.replace(/^\[|\]$/g, "");
    if (!this.options.allowPrivateNetworks && isIP(literal) !== 0 && isPrivateAddress(literal))
      return Promise.resolve({ outcome: "failed", error: `${literal} is a loopback, private or reserved address`, statusCode: null });
    const controller = new AbortController();
    this.inFlight.add(controller);
    const lookup: LookupFunction = (host, lookupOptions, callback) => {
      dnsLookup(host, { ...lookupOptions, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, "", 0);
        const refused = this.options.allowPrivateNetworks ? undefined : addresses.find((a) => isPrivateAddress(a.address));
        if (refused !== undefined) return callback(new PrivateAddressError(host, refused.address), "", 0);
        const first = addresses[0];
        if (first === undefined) return callback(new Error(`${host} has no address`), "", 0);
        if (lookupOptions.all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, first.address, first.family);
      });
    };
    return new Promise<WebhookSendResult>((resolve) => {
      let done = false;
      const finish = (result: WebhookSendResult) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        this.inFlight.delete(controller);
        resolve(result);
      };
      // A timer of the adapter's own: it bounds real network I/O, which fake time does not drive.
      const deadline = setTimeout(() => {
        controller.abort();
        finish({ outcome: "failed", error: `timed out after ${this.options.timeoutMs} ms`, statusCode: null });
      }, this.options.timeoutMs);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: "POST",
          headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)), "user-agent": this.options.userAgent },
          lookup,
          signal: controller.signal,
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on("data", (chunk: Buffer) => {
            read += chunk.length;
            if (read > this.options.maxResponseBytes) res.destroy();
          });
          const settle = () => {
            if (isDelivered(status)) return finish({ outcome: "delivered", statusCode: status });
            const location = status >= 300 && status < 400 ? res.headers.location : undefined;
            finish({
              outcome: "failed",
              error: location === undefined ? `HTTP ${status}` : `HTTP ${status} redirect to ${location.slice(0, 200)} (redirects are not followed)`,
              statusCode: status,
            });
          };
          res.on("end", settle);
          res.on("close", settle);
          res.on("error", settle);
        },
      );
      req.on("error", (err) => {
        const reason = controller.signal.aborted && !done ? "aborted" : err.message;
        finish({ outcome: "failed", error: reason, statusCode: null });
      });
      req.end(request.body);
    });
  }

  async close(): Promise<void> {
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }
}
