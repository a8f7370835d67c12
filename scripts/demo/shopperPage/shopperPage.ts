/**
 * The demo shopper page: what a retailer's app shows, built on the client library. It signs in
 * with the app token in the page's fragment (`#token=…`, never sent to a server), lists offers
 * as they arrive with a live countdown, the redemption code and its QR payload, and says whether
 * the phone is connected. Bundled for the browser with esbuild by the demo (bundleShopperPage.ts).
 *
 * The project compiles without the DOM library, so the few DOM calls used here are typed locally.
 */
import { ArrivalClient, type ClientOffer, OfferInbox } from "../../../sdk/src/index.js";

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
}
const page = globalThis as unknown as { document: Doc; location: { hash: string } };
const doc = page.document;

function el(tag: string, className: string, text?: string): El {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
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
          el("p", "qr", `QR: ${qrPayload}`),
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
}

main();
