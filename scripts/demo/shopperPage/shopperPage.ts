/**
 * The demo shopper page: what a retailer's app shows, built on the client library. It signs in
 * with the app token in the page's fragment (`#token=…`, never sent to a server), lists offers
 * as they arrive with a live countdown, the redemption code and its QR code (drawn as SVG by the
 * page's own encoder, qrCode.ts), and says whether the phone is connected. Bundled for the browser with esbuild by the demo (bundleShopperPage.ts).
 *
 * The project compiles without the DOM library, so the few DOM calls used here are typed locally.
 */
import { ArrivalClient, type ClientOffer, OfferInbox } from "../../../sdk/src/index.js";
import { encodeQr, qrPath } from "./qrCode.js";

interface El {
  textContent: string | null;
  className: string;
  append(...nodes: El[]): void;
  replaceChildren(...nodes: El[]): void;
  setAttribute(name: string, value: string): void;
}
interface Doc {
  getElementById(id: string): El | null;
  createElement(tag: string): El;
  createElementNS(namespace: string, tag: string): El;
}
interface PushSubscriptionLike {
  toJSON(): { endpoint?: string; keys?: Record<string, string> };
}
interface ServiceWorkerRegistrationLike {
  readonly pushManager: {
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }): Promise<PushSubscriptionLike>;
  };
}
interface PageGlobals {
  document: Doc;
  location: { hash: string };
  navigator: {
    serviceWorker?: {
      register(url: string): Promise<ServiceWorkerRegistrationLike>;
      readonly ready: Promise<ServiceWorkerRegistrationLike>;
    };
  };
  Notification?: { requestPermission(): Promise<"granted" | "denied" | "default"> };
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  crypto: { randomUUID(): string };
  atob(data: string): string;
}
const page = globalThis as unknown as PageGlobals;
const doc = page.document;

function el(tag: string, className: string, text?: string): El {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4;
const qrCache = new Map<string, El>();

function svg(tag: string, attrs: Record<string, string>): El {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/**
 * The redemption payload as a QR code the till scans: an SVG of the symbol in module units with a
 * light quiet zone of four modules round it (ISO/IEC 18004 §6.3.8). Made once per payload: the
 * page redraws every second for the countdown.
 */
function qrFigure(payload: string): El {
  const cached = qrCache.get(payload);
  if (cached) return cached;
  const qr = encodeQr(payload);
  const side = String(qr.size + 2 * QUIET_ZONE);
  const image = svg("svg", {
    viewBox: `0 0 ${side} ${side}`,
    role: "img",
    "aria-label": "QR code to scan at the till",
    "shape-rendering": "crispEdges",
    "data-version": String(qr.version),
  });
  image.append(svg("rect", { width: side, height: side, fill: "#fff" }), svg("path", { d: qrPath(qr, QUIET_ZONE), fill: "#000" }));
  const figure = el("figure", "qr");
  figure.setAttribute("data-payload", payload);
  figure.append(image, el("figcaption", "qr-caption", "Scan at the till"));
  qrCache.set(payload, figure);
  return figure;
}

function discountText(offer: ClientOffer): string {
  const d = offer.discount;
  switch (d.kind) {
    case "percent":
      return `${d.percent}% off`;
    case "amount":
      return `${(d.amountMinor / 100).toFixed(2)} ${d.currency} off`;
    case "free-item":
      return `Free: ${d.item}`;
  }
}

function countdown(offer: ClientOffer): string {
  const left = OfferInbox.secondsLeft(offer, Date.now());
  const m = Math.floor(left / 60);
  const s = left % 60;
  return `${m}:${String(s).padStart(2, "0")} left`;
}

/** This browser's installation id for push registration: made once, kept in local storage. */
function installationId(): string {
  let id = page.localStorage.getItem("arrival.installationId");
  if (id === null) {
    id = `web-${page.crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
    page.localStorage.setItem("arrival.installationId", id);
  }
  return id;
}

/**
 * Registers the service worker, asks for permission to notify, subscribes with the cloud's VAPID
 * key and hands the subscription to the cloud. Each step leaves its state on #push-state
 * (`data-push`), so a test or a curious shopper can see where it stopped and why.
 */
async function enablePush(client: ArrivalClient, state: El): Promise<void> {
  const show = (value: string, text: string): void => {
    state.setAttribute("data-push", value);
    state.textContent = text;
  };
  const workers = page.navigator.serviceWorker;
  if (workers === undefined || page.Notification === undefined) return show("unsupported", "This browser cannot notify.");
  await workers.register("shopper-sw.js");
  const registration = await workers.ready;
  show("worker-ready", "…");
  if ((await page.Notification.requestPermission()) !== "granted") return show("denied", "Notifications are off.");
  try {
    const key = await client.webPushKey();
    const raw = page.atob(key.replace(/-/g, "+").replace(/_/g, "/"));
    const applicationServerKey = Uint8Array.from(raw, (c) => c.charCodeAt(0));
    const subscription = (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey })).toJSON();
    if (!subscription.endpoint || !subscription.keys?.p256dh || !subscription.keys.auth) throw new Error("the browser gave an incomplete subscription");
    await client.registerPush(installationId(), {
      provider: "webpush",
      subscription: { endpoint: subscription.endpoint, keys: { p256dh: subscription.keys.p256dh, auth: subscription.keys.auth } },
    });
    show("subscribed", "You will be notified of offers.");
  } catch (err) {
    state.setAttribute("data-push-error", (err as Error).message);
    show("subscribe-failed", `Cannot subscribe: ${(err as Error).message}`);
  }
}

function main(): void {
  const status = doc.getElementById("status");
  const list = doc.getElementById("offers");
  const token = /(?:^#|&)token=([^&]+)/.exec(page.location.hash)?.[1];
  if (!status || !list) return;
  if (!token) {
    status.textContent = "No app token: open this page with #token=… (the demo prints the link).";
    return;
  }
  let client: ArrivalClient;
  try {
    client = new ArrivalClient({ token: decodeURIComponent(token) });
  } catch (err) {
    status.textContent = `Cannot sign in: ${(err as Error).message}`;
    return;
  }
  const render = (): void => {
    const offers = client.offers();
    if (offers.length === 0) {
      list.replaceChildren(el("p", "empty", "No offers yet. Walk into the store…"));
      return;
    }
    list.replaceChildren(
      ...offers.map((offer) => {
        const card = el("article", "offer");
        card.setAttribute("data-offer-id", offer.offerId);
        const { code, qrPayload } = client.redemption(offer.offerId);
        card.append(
          el("h2", "title", offer.title),
          el("p", "text", offer.text),
          el("p", "discount", discountText(offer)),
          el("p", "countdown", countdown(offer)),
          el("p", "code", code),
          qrFigure(qrPayload),
        );
        return card;
      }),
    );
  };
  client.on("connection", (state) => {
    status.textContent = `Signed in as ${client.userId} · ${state}`;
    status.setAttribute("data-state", state);
  });
  client.on("offer", (offer) => {
    render();
    // Opening the page with the offer on screen is what "viewed" means here.
    client.acknowledge(offer.offerId, "viewed").catch(() => undefined);
  });
  client.on("offerExpired", () => render());
  client.on("error", (err) => {
    status.setAttribute("data-error", err.message);
  });
  setInterval(render, 1000);
  render();
  client.start();
  const toggle = doc.getElementById("push-toggle") as (El & { addEventListener(type: "click", f: () => void): void }) | null;
  const pushState = doc.getElementById("push-state");
  if (toggle && pushState) toggle.addEventListener("click", () => void enablePush(client, pushState));
}

main();
