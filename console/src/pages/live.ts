import { type Session, stream } from "../api.js";
import { columnChart, type LiveChart } from "../charts.js";
import { h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { fmtClock, storeZones } from "../storeTime.js";

interface LiveOffer {
  offerId: string;
  ruleId: string;
  /** Null for a shopper without analytics consent: the offer is shown, its user is not. */
  userId: string | null;
  storeId: string;
  zoneId: string;
  title: string;
  issuedAt: string;
  redeemedAt: string | null;
}
interface LiveStore {
  storeId: string;
  zones: { zoneId: string; present: { subjectId: string; userId: string | null; since: string }[]; unlinked: number; arrivals: number }[];
  arrivalsPerMinute: { minute: string; count: number }[];
  offers: LiveOffer[];
  issuedCount: number;
  redeemedCount: number;
}
interface LiveSnapshot {
  at: string;
  stores: LiveStore[];
}


/**
 * A shopper as a marketer reads it: the member id when the beacon is linked to a member, else
 * "anonymous beacon" with the beacon's subject id (`ibeacon:…`, a rotating-MAC hash) kept for
 * whoever needs it in the title, never as the headline.
 */
function shopper(p: { subjectId: string; userId: string | null }): HTMLElement {
  if (p.userId !== null) return h("span", { class: "member" }, p.userId);
  return h("span", { class: "anonymous", title: p.subjectId }, "anonymous beacon");
}

/** Live view: the stream pushes a snapshot on every change; the page redraws, no reload. */
export function livePage(root: HTMLElement, session: Session): () => void {
  const status = h("p", { class: "stream-status", role: "status" }, "Connecting…");
  const body = h("div", { class: "live" });
  mount(
    root,
    h("div", { class: "page-head" }, h("h1", {}, "Live"), status),
    h("p", { class: "hint" }, session.storeId ? `Store ${session.storeId}, as it happens.` : "Every store of the organisation, as it happens. Shoppers appear by their member id; a beacon not linked to a member is an anonymous beacon."),
    body,
  );
  const controller = new AbortController();
  let retry: number | undefined;
  let zones: ReadonlyMap<string, string> = new Map();
  let last: LiveSnapshot | null = null;
  const cards = new Map<string, StoreCard>();
  void storeZones().then((z) => {
    zones = z;
    if (last) draw(body, cards, last, zones);
  });
  const connect = () => {
    stream(controller.signal, (event, data) => {
      if (event !== "snapshot") return;
      status.textContent = "Live: connected";
      status.className = "stream-status ok";
      last = JSON.parse(data) as LiveSnapshot;
      draw(body, cards, last, zones);
    })
      .then(() => reconnect("The stream ended; reconnecting…"))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        reconnect(`Disconnected (${messageOf(err)}); reconnecting…`);
      });
  };
  const reconnect = (message: string) => {
    if (controller.signal.aborted) return;
    status.textContent = message;
    status.className = "stream-status warn";
    retry = window.setTimeout(connect, 3000);
  };
  connect();
  return () => {
    controller.abort();
    window.clearTimeout(retry);
    for (const card of cards.values()) card.chart.destroy();
    cards.clear();
  };
}

/** A store's card, kept across snapshots so its chart is one canvas redrawn in place. */
interface StoreCard {
  readonly section: HTMLElement;
  readonly head: HTMLElement;
  readonly rest: HTMLElement;
  readonly chart: LiveChart;
}

function draw(body: HTMLElement, cards: Map<string, StoreCard>, snapshot: LiveSnapshot, zones: ReadonlyMap<string, string>): void {
  const shown = new Set(snapshot.stores.map((s) => s.storeId));
  for (const [storeId, card] of cards) {
    if (shown.has(storeId)) continue;
    card.chart.destroy();
    cards.delete(storeId);
  }
  if (snapshot.stores.length === 0) {
    mount(body, h("p", { class: "empty" }, "Nothing has happened in the stores since the cloud started. Shoppers appear here when a gateway reports them."));
    return;
  }
  const sections = snapshot.stores.map((store) => {
    let card = cards.get(store.storeId);
    if (!card) {
      card = newCard(store.storeId);
      cards.set(store.storeId, card);
    }
    fillCard(card, store, zones.get(store.storeId));
    return card.section;
  });
  // Moved only when the stores' order changed: the canvases stay where they are.
  const same = sections.length === body.children.length && sections.every((s, i) => body.children[i] === s);
  if (!same) body.replaceChildren(...sections);
}

function newCard(storeId: string): StoreCard {
  const titleId = `store-${storeId}`;
  const head = h("div", {});
  const rest = h("div", { class: "cols" });
  const chart = columnChart(`Arrivals per minute at store ${storeId}`, "arrival");
  const section = h(
    "section",
    { class: "card store", "aria-labelledby": titleId, "data-store": storeId },
    h("h2", { id: titleId }, `Store ${storeId}`),
    head,
    h("h3", {}, "Arrivals per minute (last 30 min)"),
    chart.element,
    rest,
  );
  return { section, head, rest, chart };
}

function fillCard(card: StoreCard, store: LiveStore, zone: string | undefined): void {
  // Every time on the card is the store's wall clock; the zone is named once, under its title.
  const time = (iso: string) => fmtClock(iso, zone);
  // Shoppers without analytics consent are a head-count only: never listed, but present.
  const present = store.zones.reduce((n, z) => n + z.present.length + z.unlinked, 0);
  mount(
    card.head,
    h("p", { class: "hint zone" }, `Times in ${zone ?? "UTC"}, the store's time.`),
    h(
      "dl",
      { class: "stats" },
      h("dt", {}, "Present now"),
      h("dd", { "data-stat": "present" }, present),
      h("dt", {}, "Offers issued"),
      h("dd", { "data-stat": "issued" }, store.issuedCount),
      h("dt", {}, "Redeemed"),
      h("dd", { "data-stat": "redeemed" }, store.redeemedCount),
    ),
  );
  card.chart.update(store.arrivalsPerMinute.map((a) => ({ label: time(a.minute).slice(0, 5), value: a.count })));
  mount(
    card.rest,
      h(
        "div",
        {},
        h("h3", {}, "Who is where"),
        store.zones.length === 0
          ? h("p", { class: "empty" }, "Nobody yet.")
          : h(
              "ul",
              { class: "zones" },
              ...store.zones.map((z) =>
                h(
                  "li",
                  { "data-zone": z.zoneId },
                  h("strong", {}, `Zone ${z.zoneId}`),
                  ` · ${z.present.length + z.unlinked} present · ${z.arrivals} arrived in 30 min`,
                  z.present.length > 0
                    ? h("ul", { class: "subjects" }, ...z.present.map((p) => h("li", { "data-subject": p.subjectId }, shopper(p), ` since ${time(p.since)}`)))
                    : null,
                ),
              ),
            ),
      ),
      h(
        "div",
        {},
        h("h3", {}, "Offers as they happen"),
        store.offers.length === 0
          ? h("p", { class: "empty" }, "No offers yet.")
          : h(
              "ol",
              { class: "offers", "aria-label": `Offers at store ${store.storeId}, newest first` },
              ...store.offers.map((o) =>
                h(
                  "li",
                  { "data-offer": o.offerId, class: o.redeemedAt ? "redeemed" : "issued" },
                  h("span", { class: `badge ${o.redeemedAt ? "redeemed" : "issued"}` }, o.redeemedAt ? "redeemed" : "issued"),
                  ` ${time(o.redeemedAt ?? o.issuedAt)} “${o.title}” to ${o.userId ?? "a shopper (not named: no analytics consent)"} in ${o.zoneId} (rule ${o.ruleId})`,
                ),
              ),
            ),
      ),
  );
}
