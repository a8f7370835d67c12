import { ApiProblem, client, ok, type Session } from "../api.js";
import { announce, count, field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { browserZone, fmtZoned, storeZones } from "../storeTime.js";
import { programmeView } from "./loyaltyProgram.js";

/** `GET /v1/users/:id` (cloud/src/adapters/http/routes/userRoutes.ts). */
export interface Profile {
  readonly id: string;
  readonly displayName: string | null;
  readonly segments: readonly string[];
  readonly loyaltyTier: string | null;
  readonly consent: { readonly marketing: boolean; readonly analytics: boolean };
}
/** `GET /v1/users/:id/points` (membershipRoutes.ts): the API gives the next expiry, not every lot. */
export interface Balance {
  readonly balance: number;
  readonly owed: number;
  readonly nextExpiry: { readonly points: number; readonly at: string } | null;
  readonly tier: string | null;
}
export interface LedgerEntry {
  readonly seq: number;
  readonly id: string;
  readonly kind: string;
  readonly source: string;
  readonly points: number;
  readonly at: string;
  readonly reference: string | null;
  readonly reason: string | null;
  readonly expiresAt: string | null;
  readonly reverses: string | null;
}
export interface TierChange {
  readonly fromTier: string | null;
  readonly toTier: string | null;
  readonly reason: string;
  readonly at: string;
}

/** The role the route lets adjust points (membershipRoutes.ts: adjustments). */
const ADJUSTERS = ["admin"];
/** Ledger entries per page. */
const LEDGER_PAGE = 20;

/**
 * Members: look a member up by id (profile and consent, points, the ledger page by page, tier
 * changes), adjust points with a reason (admins), and read or write the loyalty programme.
 * Routes: `#/members`, `#/members/member/<id>`, `#/members/programme`.
 */
export function membersPage(root: HTMLElement, session: Session, args: readonly string[]): void {
  const [view, id] = args;
  const programme = view === "programme";
  const sub = h(
    "nav",
    { class: "subnav", "aria-label": "Members sections" },
    h("a", { href: "#/members", ...(programme ? {} : { "aria-current": "page" }) }, "Member lookup"),
    h("a", { href: "#/members/programme", ...(programme ? { "aria-current": "page" } : {}) }, "Loyalty programme"),
  );
  const body = h("div");
  mount(root, h("div", { class: "page-head" }, h("h1", {}, programme ? "Loyalty programme" : "Members")), sub, body);
  if (programme) void programmeView(body, session);
  else lookupView(body, session, view === "member" && id ? decodeURIComponent(id) : null);
}

// ---- Member lookup ----

function lookupView(root: HTMLElement, session: Session, memberId: string | null): void {
  const input = h("input", { type: "text", name: "memberId", required: true, autocomplete: "off", spellcheck: "false", pattern: "[A-Za-z0-9][A-Za-z0-9_\\-]{0,63}" });
  if (memberId) input.value = memberId;
  const form = h(
    "form",
    { class: "card inline", role: "search", "aria-label": "Look up a member" },
    h("div", { class: "row" }, field("Member id", input, { hint: "As the app and the CRM know the member." })),
    h("button", { type: "submit", class: "primary" }, "Look up"),
  );
  const out = h("div", { "aria-live": "polite" });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    const target = `#/members/member/${encodeURIComponent(value)}`;
    // The same address again (after an adjustment elsewhere, say) does not fire hashchange: load it.
    if (location.hash === target) void showMember(out, session, value);
    else location.hash = target;
  });
  mount(root, form, out);
  if (memberId) void showMember(out, session, memberId);
}

const yesNo = (b: boolean) => (b ? "yes" : "no");
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");

async function showMember(out: HTMLElement, session: Session, memberId: string, notice = ""): Promise<void> {
  mount(out, h("p", {}, "Loading…"));
  const path = { params: { path: { userId: memberId } } };
  try {
    const [profile, balance, { changes }, zones] = await Promise.all([
      ok(client.GET("/v1/users/{userId}", path)),
      ok(client.GET("/v1/users/{userId}/points", path)),
      ok(client.GET("/v1/users/{userId}/tier-changes", path)),
      storeZones(),
    ]);
    const ledger = ledgerView(memberId, zones);
    // The first page before the rest is shown, so the member appears whole.
    await ledger.more();
    const reload = (message: string) => void showMember(out, session, memberId, message);
    mount(
      out,
      h("p", { class: "notice", role: "status" }, notice),
      h(
        "div",
        { class: "cols" },
        profileView(profile),
        pointsView(balance, ADJUSTERS.includes(session.role) ? adjustForm(profile, balance, reload) : null),
      ),
      ledger.section,
      tierChangesView(changes),
    );
    announce(`Member ${memberId}: ${count(balance.balance, "point")}`);
  } catch (err) {
    const text = err instanceof ApiProblem && err.status === 404 ? `No member ${memberId} in this organisation.` : messageOf(err);
    mount(out, h("p", { class: "alert", role: "alert" }, text));
  }
}

function dl(rows: readonly (readonly [string, Node | string, string?])[]): HTMLElement {
  return h("dl", { class: "facts" }, ...rows.flatMap(([k, v, stat]) => [h("dt", {}, k), h("dd", stat ? { "data-fact": stat } : {}, v)]));
}

function profileView(p: Profile): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "member-title", "data-member": p.id },
    h("h2", { id: "member-title" }, p.displayName ?? p.id),
    dl([
      ["Member id", p.id, "id"],
      ["Display name", p.displayName ?? "—", "displayName"],
      ["Segments", p.segments.length > 0 ? p.segments.join(", ") : "none", "segments"],
      ["Tier (what rules read)", p.loyaltyTier ?? "none", "tier"],
      ["Marketing consent", yesNo(p.consent.marketing), "marketing"],
      ["Analytics consent", yesNo(p.consent.analytics), "analytics"],
    ]),
    p.consent.marketing ? null : h("p", { class: "hint" }, "No marketing consent: no offers are sent to this member."),
    p.consent.analytics
      ? null
      : h("p", { class: "hint", "data-consent-note": "analytics" }, "No analytics consent: this member's presence in the stores is not linked to them, so store visits earn them no points."),
  );
}

function pointsView(b: Balance, adjust: HTMLElement | null): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "points-title" },
    h("h2", { id: "points-title" }, "Points"),
    h(
      "dl",
      { class: "stats" },
      h("dt", {}, "Balance"),
      h("dd", { "data-stat": "balance" }, b.balance),
      h("dt", {}, "Owed"),
      h("dd", { "data-stat": "owed" }, b.owed),
    ),
    b.owed > 0 ? h("p", { class: "hint" }, `${count(b.owed, "point")} reversed after they were spent; the next earnings settle them.`) : null,
    dl([
      [
        "Next expiry",
        b.nextExpiry ? `${count(b.nextExpiry.points, "point")} on ${fmtZoned(b.nextExpiry.at, browserZone())}` : "nothing expires",
        "nextExpiry",
      ],
      ["Tier by the programme", b.tier ?? "none", "programmeTier"],
    ]),
    adjust,
  );
}

/** The ledger, newest first, a page at a time (`beforeSeq` of the last entry shown). */
function ledgerView(memberId: string, zones: ReadonlyMap<string, string>): { section: HTMLElement; more: () => Promise<void> } {
  const body = h("tbody");
  const status = h("p", { class: "alert", role: "alert" });
  const older = h("button", { type: "button", hidden: true }, "Older entries");
  const caption = h("caption", {}, "Ledger, newest first");
  let last: number | null = null;
  let shown = 0;
  const more = async () => {
    older.disabled = true;
    try {
      const query = { limit: LEDGER_PAGE, ...(last === null ? {} : { beforeSeq: last }) };
      const { entries } = await ok(client.GET("/v1/users/{userId}/points/history", { params: { path: { userId: memberId }, query } }));
      if (shown === 0 && entries.length === 0) mount(body, h("tr", {}, h("td", { colspan: 7 }, "No ledger entries yet.")));
      else body.append(...entries.map((e) => entryRow(e, zones)));
      shown += entries.length;
      last = entries.at(-1)?.seq ?? last;
      caption.textContent = `Ledger, newest first: ${count(shown, "entry", "entries")} shown`;
      // A short page is the last one.
      older.hidden = entries.length < LEDGER_PAGE;
      status.textContent = "";
    } catch (err) {
      status.textContent = messageOf(err);
    } finally {
      older.disabled = false;
    }
  };
  older.addEventListener("click", () => void more());
  const section = h(
    "section",
    { class: "card", "aria-labelledby": "ledger-title" },
    h("h2", { id: "ledger-title" }, "Ledger"),
    h("p", { class: "hint" }, "Times of purchases and visits at a store are in that store's timezone; the others in this browser's."),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "ledger stack" },
        caption,
        h("thead", {}, h("tr", {}, ...["When", "Kind", "Source", "Points", "Reason", "Reference", "Expires"].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
    older,
  );
  return { section, more };
}

/**
 * The store an entry happened at: purchases at a till and store visits are referenced
 * `<storeId>:<order id or local day>` (MembershipService), and a store id never holds a colon.
 */
function storeOf(e: LedgerEntry, zones: ReadonlyMap<string, string>): string | null {
  if ((e.source !== "till-purchase" && e.source !== "store-visit") || !e.reference) return null;
  const storeId = e.reference.slice(0, e.reference.indexOf(":"));
  return zones.has(storeId) ? storeId : null;
}

function entryRow(e: LedgerEntry, zones: ReadonlyMap<string, string>): HTMLElement {
  const storeId = storeOf(e, zones);
  const zone = storeId ? zones.get(storeId) : browserZone();
  return h(
    "tr",
    { "data-seq": e.seq, "data-kind": e.kind },
    h("td", { class: "when", "data-label": "When" }, fmtZoned(e.at, zone), storeId ? h("div", { class: "small" }, `store ${storeId}`) : null),
    h("td", { "data-label": "Kind" }, h("span", { class: `badge ${e.points > 0 ? "credit" : "debit"}` }, e.kind)),
    h("td", { "data-label": "Source" }, e.source),
    h("td", { class: "num points", "data-label": "Points" }, signed(e.points)),
    h("td", { class: "reason", "data-label": "Reason" }, e.reason ?? "—", e.reverses ? h("div", { class: "small" }, `reverses ${e.reverses}`) : null),
    h("td", { class: "ref", "data-label": "Reference" }, e.reference ?? "—"),
    h("td", { "data-label": "Expires" }, e.expiresAt ? fmtZoned(e.expiresAt, zone) : "—"),
  );
}

function tierChangesView(changes: readonly TierChange[]): HTMLElement {
  const zone = browserZone();
  return h(
    "section",
    { class: "card", "aria-labelledby": "tiers-title" },
    h("h2", { id: "tiers-title" }, "Tier changes"),
    changes.length === 0
      ? h("p", { class: "empty" }, "No tier changes recorded.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "tier-changes stack" },
            h("caption", { class: "sr-only" }, "Tier changes, newest first"),
            h("thead", {}, h("tr", {}, ...["When", "From", "To", "Why"].map((c) => h("th", { scope: "col" }, c)))),
            h(
              "tbody",
              {},
              ...changes.map((c) =>
                h(
                  "tr",
                  { "data-tier-change": c.reason },
                  h("td", { "data-label": "When" }, fmtZoned(c.at, zone)),
                  h("td", { "data-label": "From" }, c.fromTier ?? "none"),
                  h("td", { "data-label": "To" }, c.toTier ?? "none"),
                  h("td", { "data-label": "Why" }, c.reason),
                ),
              ),
            ),
          ),
        ),
  );
}

/** A key for one confirmed adjustment: a retry of it is answered, not applied twice. */
function idempotencyKey(): string {
  // getRandomValues, not randomUUID: the console may be served over plain HTTP on a store network,
  // where randomUUID (secure contexts only) is missing.
  return `console-${[...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Admins: points with a reason, confirmed before it is applied; the new balance shown after. */
function adjustForm(p: Profile, b: Balance, done: (message: string) => void): HTMLElement {
  const points = h("input", { type: "number", name: "points", step: 1, inputmode: "numeric" });
  const reason = h("input", { type: "text", name: "reason", maxlength: 500, autocomplete: "off" });
  const summary = h("div", { class: "alert", role: "alert" });
  const submit = h("button", { type: "submit" }, "Adjust points");
  const confirmText = h("p", { id: "adjust-confirm-text" });
  const apply = h("button", { type: "button", class: "primary" }, "Apply adjustment");
  const cancel = h("button", { type: "button" }, "Cancel");
  const confirmBox = h("div", { class: "confirm", role: "group", "aria-labelledby": "adjust-confirm-text", hidden: true }, confirmText, h("div", { class: "buttons" }, apply, cancel));
  const form = h(
    "form",
    { class: "adjust", novalidate: true, "aria-labelledby": "adjust-title" },
    h("h3", { id: "adjust-title" }, "Adjust points"),
    summary,
    h(
      "div",
      { class: "row" },
      field("Points", points, { path: "/points", hint: "Positive adds, negative takes (never below zero)." }),
      field("Reason", reason, { path: "/reason", hint: "Required; kept on the entry with your key's id." }),
    ),
    submit,
    confirmBox,
  );
  let pending: { points: number; reason: string; key: string } | null = null;
  const setPending = (next: typeof pending) => {
    pending = next;
    confirmBox.hidden = next === null;
    submit.hidden = next !== null;
    points.disabled = reason.disabled = next !== null;
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(form, summary);
    const n = Number(points.value);
    const why = reason.value.trim();
    // The API refuses these too; said here first so nothing is confirmed that cannot apply.
    const problems = [
      ...(points.value.trim() === "" || !Number.isSafeInteger(n) || n === 0 ? [{ path: "/points", message: "must be a non-zero whole number" }] : []),
      ...(n < 0 && -n > b.balance ? [{ path: "/points", message: `may take at most the balance, ${count(b.balance, "point")}` }] : []),
      ...(why === "" ? [{ path: "/reason", message: "must say why" }] : []),
    ];
    if (problems.length > 0) {
      showProblems(form, summary, new ApiProblem(400, "VALIDATION_FAILED", "invalid adjustment", problems));
      return;
    }
    // Points added settle what the member owes first (the ledger's rule), the rest is spendable.
    const settled = n > 0 ? Math.min(n, b.owed) : 0;
    confirmText.textContent =
      `${n > 0 ? `Add ${count(n, "point")} to` : `Take ${count(-n, "point")} from`} ${p.id} ` +
      `(balance ${b.balance} → ${b.balance + n - settled}${settled > 0 ? `, settling ${settled} owed` : ""}) for “${why}”?`;
    setPending({ points: n, reason: why, key: idempotencyKey() });
    apply.focus();
  });
  cancel.addEventListener("click", () => {
    setPending(null);
    points.focus();
  });
  apply.addEventListener("click", () => {
    if (!pending) return;
    const sent = pending;
    apply.disabled = cancel.disabled = true;
    ok(
      client.POST("/v1/users/{userId}/points/adjustments", {
        params: { path: { userId: p.id }, header: { "idempotency-key": sent.key } },
        body: { points: sent.points, reason: sent.reason },
      }),
    )
      .then((r) => done(`Adjusted by ${signed(r.entry.points)} points. New balance: ${r.balance}${r.owed > 0 ? ` (owed ${r.owed})` : ""}.`))
      .catch((err: unknown) => {
        setPending(null);
        showProblems(form, summary, err);
      })
      .finally(() => {
        apply.disabled = cancel.disabled = false;
      });
  });
  return form;
}
