/**
 * Which URLs a webhook may be sent to. The cloud must not become a way into its own network (SSRF):
 * loopback, private, link-local, unique-local, carrier-grade NAT, multicast and reserved addresses
 * are refused, as literals here and, for host names, once the sender has resolved them (the resolved
 * address is checked with `isPrivateAddress` before connecting). An operator who runs receivers on
 * its own network (and tests, with their local receiver) turns this off with
 * `webhooks.allowPrivateNetworks`, which also admits plain http.
 */

export type WebhookUrlCheck = { readonly ok: true; readonly url: string } | { readonly ok: false; readonly reason: string };

/** Longest URL accepted, characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Checks an endpoint URL as an organisation gives it; the normalised URL when it may be used. */
export function checkWebhookUrl(text: string, allowPrivateNetworks: boolean): WebhookUrlCheck {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "not an absolute URL" };
  }
  if (url.protocol !== "https:" && !(allowPrivateNetworks && url.protocol === "http:"))
    return { ok: false, reason: "the URL must use https" };
  if (url.username !== "" || url.password !== "")
    return { ok: false, reason: "the URL must not carry a user name or password (the signature authenticates the cloud)" };
  if (url.hash !== "") return { ok: false, reason: "the URL must not have a fragment" };
  if (!allowPrivateNetworks) {
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    if (host === "localhost" || host.endsWith(".localhost"))
      return { ok: false, reason: `${host} is a loopback host; webhooks go to public addresses` };
    const literal = host.startsWith("[") ? host.slice(1, -1) : host;
    if (isIpLiteral(literal) && isPrivateAddress(literal))
      return { ok: false, reason: `${literal} is a loopback, private or reserved address; webhooks go to public addresses` };
  }
  return { ok: true, url: url.toString() };
}

function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== null || parseIpv6(host) !== null;
}

/** Dotted-quad IPv4 as four octets, or null. */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** IPv6 text (RFC 4291 §2.2, with a trailing dotted quad allowed) as eight 16-bit groups, or null. */
function parseIpv6(text: string): number[] | null {
  const zoneless = text.split("%")[0] ?? "";
  if (!zoneless.includes(":")) return null;
  let tail: number[] = [];
  let head = zoneless;
  const lastColon = zoneless.lastIndexOf(":");
  const v4 = parseIpv4(zoneless.slice(lastColon + 1));
  if (v4 !== null) {
    tail = [((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0)];
    head = zoneless.slice(0, lastColon + 1) + "0";
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0] ?? "");
  const right = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (left === null || right === null) return null;
  if (v4 !== null) (halves.length === 2 ? right : left).pop();
  const fixed = [...left, ...right, ...tail].length;
  if (halves.length === 1 && fixed !== 8) return null;
  if (halves.length === 2 && fixed > 7) return null;
  const zeros = Array.from({ length: 8 - fixed }, () => 0);
  return halves.length === 2 ? [...left, ...zeros, ...right, ...tail] : [...left, ...tail];
}

function isPrivateIpv4(o: readonly number[]): boolean {
  const [a = 0, b = 0, c = 0] = o;
  return (
    a === 0 || // "this network" (RFC 791)
    a === 10 || // private (RFC 1918)
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT (RFC 6598)
    a === 127 || // loopback
    (a === 169 && b === 254) || // link-local (RFC 3927), cloud metadata services
    (a === 172 && b >= 16 && b <= 31) || // private
    (a === 192 && b === 0 && c === 0) || // IETF protocol assignments (RFC 6890)
    (a === 192 && b === 168) || // private
    (a === 198 && (b === 18 || b === 19)) || // benchmarking (RFC 2544)
    a >= 224 // multicast and reserved, broadcast
  );
}

/**
 * True for an address that is not on the public internet: the IPv4 ranges above; IPv6 unspecified,
 * loopback, unique-local (fc00::/7), link-local (fe80::/10), multicast, and IPv4-mapped or NAT64
 * forms of a private IPv4 address. Text that is no address counts as private (refused).
 */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== null) return isPrivateIpv4(v4);
  const g = parseIpv6(address);
  if (g === null) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    // ::, ::1, ::a.b.c.d (deprecated compatible) and ::ffff:a.b.c.d (mapped)
    if (g5 === 0 && g6 === 0 && g7 <= 1) return true;
    return isPrivateIpv4(embedded);
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateIpv4(embedded);
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xff00) === 0xff00 || g0 === 0x2001 && g1 === 0xdb8;
}
