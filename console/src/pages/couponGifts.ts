import { type AnswerOf, client, ok } from "../api.js";
import { count, field, h, mount } from "../dom.js";
import { messageOf } from "../errors.js";
import { fmtZoned } from "../storeTime.js";

type Gift = AnswerOf<"/v1/coupon-batches/{batchId}/gifts", "get">["gifts"][number];
export type GiftCounts = AnswerOf<"/v1/coupon-batches/{batchId}", "get">["gifts"];

/** Each state in words, and the filter's choices (value: the API's `state` query). */
const STATE_WORDS: Record<Gift["state"], string> = {
  pending: "waiting for the friend",
  accepted: "accepted",
  declined: "declined",
  "timed-out": "timed out",
};
const FILTERS = {
  all: { label: "All gifts", query: undefined },
  pending: { label: "Waiting for the friend", query: "pending" },
  accepted: { label: "Accepted", query: "accepted" },
  declined: { label: "Declined", query: "declined" },
  "timed-out": { label: "Timed out", query: "timed-out" },
  ended: { label: "Answered or timed out", query: "accepted,declined,timed-out" },
} as const;
type Filter = keyof typeof FILTERS;

const PAGE = 50;

/** `4 gifts made: 1 waiting for the friend, 1 accepted, 1 declined, 1 timed out.` */
export function giftCountWords(c: GiftCounts): string {
  if (c.made === 0) return "No gifts made yet.";
  return `${count(c.made, "gift")} made: ${c.pending} ${STATE_WORDS.pending}, ${c.accepted} accepted, ${c.declined} declined, ${c.timedOut} timed out.`;
}

/**
 * A batch's gifts (`GET /v1/coupon-batches/{id}/gifts`, marketers and admins, as the Coupons page
 * is): how many were made and how they ended, and the gifts newest first with a state filter, a
 * page of 50 at a time. Times are on the batch's timezone's wall clock, named, as its validity
 * is. A member the API does not name (no analytics consent) is said to be so, not guessed at.
 */
export function giftsSection(batchId: string, counts: GiftCounts, timeZone: string): HTMLElement {
  const state = h("select", { name: "giftState" }, ...Object.entries(FILTERS).map(([value, f]) => h("option", { value }, f.label)));
  const out = h("div", { "aria-live": "polite", class: "gifts-out" });
  const form = h("form", { class: "filters gift-filter", "aria-label": "Which gifts" }, field("State", state), h("button", { type: "submit" }, "Show gifts"));
  const load = async (cursor: string | null, into: HTMLElement | null) => {
    const filter = FILTERS[state.value as Filter];
    const query = { limit: PAGE, ...(filter.query === undefined ? {} : { state: filter.query }), ...(cursor === null ? {} : { cursor }) };
    if (!into) mount(out, "Loading…");
    try {
      const page = await ok(client.GET("/v1/coupon-batches/{batchId}/gifts", { params: { path: { batchId }, query } }));
      if (into) {
        into.append(...page.gifts.map((g) => row(g, timeZone)));
        more(page.nextCursor, into);
        const shown = into.querySelectorAll("tr").length;
        const caption = out.querySelector("[data-gift-shown]");
        if (caption) caption.textContent = shownWords(shown, filter.label, page.nextCursor !== null);
      } else {
        mount(out, table(page.gifts, filter.label, page.nextCursor !== null, timeZone));
        more(page.nextCursor, out.querySelector("tbody"));
      }
    } catch (err) {
      mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err)));
    }
  };
  /** A "Show more" button while the API has another page; it appends that page to the table. */
  const more = (cursor: string | null, body: HTMLElement | null) => {
    out.querySelector("button[data-more]")?.remove();
    if (cursor === null || !body) return;
    const button = h("button", { type: "button", "data-more": "" }, `Show ${PAGE} more`);
    button.addEventListener("click", () => {
      button.disabled = true;
      void load(cursor, body);
    });
    out.append(button);
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load(null, null);
  });
  void load(null, null);
  return h(
    "section",
    { class: "card", "aria-labelledby": "gifts-title" },
    h("h2", { id: "gifts-title" }, "Gifts"),
    h("p", { "data-gift-counts": "" }, giftCountWords(counts)),
    h(
      "p",
      { class: "hint" },
      `Times are in ${timeZone}, the batch's timezone. A member who does not consent to analytics is not named: who gives to whom is theirs to share.`,
    ),
    form,
    out,
  );
}

const shownWords = (n: number, label: string, more: boolean) => `${label}: ${more ? `the newest ${count(n, "gift")}` : count(n, "gift")}`;

function table(gifts: readonly Gift[], label: string, more: boolean, timeZone: string): HTMLElement {
  if (gifts.length === 0) return h("p", { class: "empty" }, `No gifts: ${label.toLowerCase()}.`);
  return h(
    "div",
    {},
    h("p", { "data-gift-shown": "" }, shownWords(gifts.length, label, more)),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "gifts stack" },
        h("caption", { class: "sr-only" }, "Gifts of this batch's coupons, newest first"),
        h("thead", {}, h("tr", {}, ...["Made", "From", "To", "State", "Ended", "Times out", "Coupon"].map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, ...gifts.map((g) => row(g, timeZone))),
      ),
    ),
  );
}

/** A member the API named, linked to their page; else why there is no name. */
function member(id: string | null, unnamed: string): HTMLElement | string {
  return id === null ? unnamed : h("a", { href: `#/members/member/${encodeURIComponent(id)}` }, id);
}

function row(g: Gift, timeZone: string): HTMLElement {
  const answered = g.state === "accepted" || g.state === "declined";
  return h(
    "tr",
    { "data-gift": g.giftId, "data-state": g.state },
    h("td", { "data-label": "Made" }, fmtZoned(g.createdAt, timeZone)),
    h("td", { "data-label": "From" }, member(g.fromUserId, "not named")),
    h("td", { "data-label": "To" }, answered ? member(g.toUserId, "not named") : "—"),
    h("td", { "data-label": "State" }, h("span", { class: `badge ${g.state}` }, STATE_WORDS[g.state])),
    h("td", { "data-label": "Ended" }, g.state === "pending" ? "—" : fmtZoned(g.resolvedAt, timeZone)),
    h("td", { "data-label": "Times out" }, g.state === "pending" ? fmtZoned(g.expiresAt, timeZone) : "—"),
    h("td", { "data-label": "Coupon", class: "mono" }, g.couponId),
  );
}
