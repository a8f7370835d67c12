import { encodeQr, qrPath } from "../../../scripts/demo/shopperPage/qrCode.js";
import { ApiProblem, type BodyOf, client, ok, type Session } from "../api.js";
import { announce, count, field, h, mount, s } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { fmtMoney } from "../money.js";
import { browserZone, fmtZoned } from "../storeTime.js";
import { couponAnalytics } from "./couponAnalytics.js";
import { type GiftCounts, giftsSection } from "./couponGifts.js";
import { batchForm } from "./couponForm.js";
import {
  type BatchDetail,
  type BatchView,
  batchStatus,
  CHANNEL_NAMES,
  type CouponContext,
  couponContext,
  currencyOf,
  dailyWords,
  discountWords,
  giftWords,
  STATUS_WORDS,
  stockWords,
  storeWords,
  validityWords,
} from "./couponTerms.js";

/** Roles that create batches and send them (couponRoutes: POST /v1/coupon-batches, …/sends). */
const WRITERS = ["marketer", "admin"];

/**
 * Coupon batches: the list with their stock, a batch with its claim link and QR and a segment
 * send, the form for a new batch (or a copy of one), and the analytics. Addresses:
 * `#/coupons`, `#/coupons/new`, `#/coupons/new/<batchId>` (a copy), `#/coupons/batch/<batchId>`,
 * `#/coupons/analytics`.
 */
export function couponsPage(root: HTMLElement, session: Session, args: readonly string[]): () => void {
  const [view, batchId] = args;
  const gone = new AbortController();
  const ctx = couponContext();
  if (view === "new") void newBatch(root, session, ctx, batchId ?? null);
  else if (view === "batch" && batchId) void batchPage(root, session, ctx, batchId);
  else if (view === "analytics") void couponAnalytics(root, ctx, gone.signal);
  else void listBatches(root, session, ctx);
  return () => gone.abort();
}

const head = (title: string, ...extra: (HTMLElement | null)[]) =>
  h("div", { class: "page-head" }, h("h1", {}, title), h("div", { class: "buttons" }, ...extra));

async function detailsOf(batches: readonly BatchView[]): Promise<BatchDetail[]> {
  return Promise.all(
    batches.map((b) =>
      ok(client.GET("/v1/coupon-batches/{batchId}", { params: { path: { batchId: b.batchId } } })).catch(() => ({ batch: b, claimed: Number.NaN, claimedToday: Number.NaN })),
    ),
  );
}

async function listBatches(root: HTMLElement, session: Session, ctxP: Promise<CouponContext>): Promise<void> {
  const canWrite = WRITERS.includes(session.role);
  const status = h("p", { class: "alert", role: "alert" });
  const body = h("tbody", {}, h("tr", {}, h("td", { colspan: 10 }, "Loading…")));
  const columns = ["Batch", "Discount", "Validity", "Stock", "Daily stock", "Per member", "Stores", "Channels", "Giftable", "Status"];
  mount(
    root,
    head(
      "Coupons",
      h("a", { href: "#/coupons/analytics", class: "button" }, "Analytics"),
      canWrite ? h("a", { href: "#/coupons/new", class: "button primary" }, "New batch") : null,
    ),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "batches stack" },
        h("caption", { class: "sr-only" }, "Coupon batches, newest first"),
        h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
  );
  try {
    const [ctx, { batches }] = await Promise.all([ctxP, ok(client.GET("/v1/coupon-batches"))]);
    if (batches.length === 0) {
      mount(body, h("tr", {}, h("td", { colspan: 10 }, "No batches yet.")));
      return;
    }
    const details = await detailsOf(batches);
    const now = Date.now();
    mount(
      body,
      ...details.map((d) => {
        const { batchId, spec } = d.batch;
        const known = !Number.isNaN(d.claimed);
        const st = known ? batchStatus(d, now) : null;
        return h(
          "tr",
          { "data-batch": batchId },
          h("td", { "data-label": "Batch" }, h("a", { href: `#/coupons/batch/${encodeURIComponent(batchId)}` }, spec.title), h("div", { class: "small" }, batchId)),
          h("td", { "data-label": "Discount", "data-col": "discount" }, discountWords(spec.discount, ctx.currency)),
          h("td", { "data-label": "Validity" }, validityWords(spec)),
          h("td", { "data-label": "Stock", "data-col": "stock" }, known ? stockWords(d) : "—"),
          h("td", { "data-label": "Daily stock" }, known ? dailyWords(d) : "—"),
          h("td", { "data-label": "Per member" }, count(spec.perMemberLimit ?? 1, "coupon")),
          h("td", { "data-label": "Stores" }, storeWords(spec.storeIds, ctx.stores)),
          h("td", { "data-label": "Channels" }, spec.channels.map((c) => CHANNEL_NAMES[c] ?? c).join(", ")),
          h("td", { "data-label": "Giftable" }, giftWords(spec)),
          h("td", { "data-label": "Status" }, st ? h("span", { class: `badge ${st}` }, STATUS_WORDS[st]) : "—"),
        );
      }),
    );
  } catch (err) {
    mount(body);
    status.textContent = messageOf(err);
  }
}

async function newBatch(root: HTMLElement, session: Session, ctxP: Promise<CouponContext>, copyOf: string | null): Promise<void> {
  if (!WRITERS.includes(session.role)) {
    mount(root, head("New coupon batch"), h("p", { "data-refusal": "coupons" }, `A ${session.role} key does not create coupon batches.`));
    return;
  }
  mount(root, head(copyOf ? `New batch from ${copyOf}` : "New coupon batch"), h("p", {}, "Loading…"));
  const ctx = await ctxP;
  const bf = batchForm(ctx);
  const save = h("button", { type: "submit", class: "primary" }, "Create batch");
  bf.form.append(h("div", { class: "buttons" }, save, h("a", { href: "#/coupons", class: "button" }, "Back to coupons")));
  mount(root, head(copyOf ? `New batch from ${copyOf}` : "New coupon batch"), bf.form);
  if (copyOf) {
    try {
      const { batch } = await ok(client.GET("/v1/coupon-batches/{batchId}", { params: { path: { batchId: copyOf } } }));
      bf.fill(`${batch.batchId.slice(0, 60)}-2`, batch.spec);
    } catch (err) {
      bf.summary.textContent = messageOf(err);
    }
  }
  bf.form.querySelector<HTMLInputElement>("[name=batchId]")?.focus();
  bf.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(bf.form, bf.summary);
    const read = bf.read();
    if (!read.ok) {
      showProblems(bf.form, bf.summary, read.problem);
      return;
    }
    save.disabled = true;
    // The form reads what was typed; the cloud checks it and names each wrong field.
    ok(client.POST("/v1/coupon-batches", { body: { batchId: read.batchId, spec: read.spec as BodyOf<"/v1/coupon-batches", "post">["spec"] } }))
      .then(({ batch }) => {
        announce(`Batch ${batch.batchId} created`);
        location.hash = `#/coupons/batch/${encodeURIComponent(batch.batchId)}`;
      })
      .catch((err: unknown) => showProblems(bf.form, bf.summary, inMoney(err, currencyOf(read.spec, ctx.currency)), "/spec"))
      .finally(() => {
        save.disabled = false;
      });
  });
}

/**
 * The API states limits of amounts in minor units ("must be >= 1" for `amountMinor`); the form's
 * amounts are typed in the currency, so its messages are too ("must be >= 0.01 HKD").
 */
function inMoney(err: unknown, currency: string): unknown {
  if (!(err instanceof ApiProblem)) return err;
  const details = err.details.map((p) =>
    /Minor$/.test(p.path)
      ? { path: p.path, message: p.message.replace(/([<>]=?) (\d+)/, (_, op: string, n: string) => `${op} ${fmtMoney(Number(n), currency)}`).replace(/spendMinor/, "the tier's spend") }
      : p,
  );
  return new ApiProblem(err.status, err.code, err.message, details);
}

async function batchPage(root: HTMLElement, session: Session, ctxP: Promise<CouponContext>, batchId: string): Promise<void> {
  const canWrite = WRITERS.includes(session.role);
  mount(root, head(`Batch ${batchId}`), h("p", {}, "Loading…"));
  let d: BatchDetail & { readonly gifts: GiftCounts };
  let ctx: CouponContext;
  try {
    [ctx, d] = await Promise.all([ctxP, ok(client.GET("/v1/coupon-batches/{batchId}", { params: { path: { batchId: batchId } } }))]);
  } catch (err) {
    mount(root, head(`Batch ${batchId}`), h("p", { class: "alert", role: "alert" }, messageOf(err)), h("a", { href: "#/coupons" }, "Back to coupons"));
    return;
  }
  const { spec } = d.batch;
  const st = batchStatus(d, Date.now());
  const terms: [string, string][] = [
    ["Batch id", batchId],
    ["Text", spec.text || "—"],
    ["Discount", discountWords(spec.discount, ctx.currency)],
    ["Validity", validityWords(spec)],
    ["Stock", stockWords(d)],
    ["Daily stock", `${dailyWords(d)} (days in ${spec.timezone})`],
    ["Per member", count(spec.perMemberLimit ?? 1, "coupon")],
    ["Stores", storeWords(spec.storeIds, ctx.stores)],
    ["Channels", spec.channels.map((c) => CHANNEL_NAMES[c] ?? c).join(", ")],
    ["Giftable", giftWords(spec)],
    ["Claim", spec.presenceWithinMin ? `only when seen in one of its stores within ${count(spec.presenceWithinMin, "minute")}` : "anywhere"],
    ["Reminder", spec.reminderLeadMin ? `${count(spec.reminderLeadMin, "minute")} before expiry` : "the cloud's default"],
    ...(spec.pointsPrice ? ([["Points price", count(spec.pointsPrice, "point")]] as [string, string][]) : []),
    ["Created", fmtZoned(d.batch.createdAt, browserZone())],
  ];
  mount(
    root,
    head(spec.title, h("a", { href: "#/coupons", class: "button" }, "All batches"), canWrite ? h("a", { href: `#/coupons/new/${encodeURIComponent(batchId)}`, class: "button" }, "Copy into a new batch") : null),
    h(
      "section",
      { class: "card", "aria-labelledby": "terms-title" },
      h("h2", { id: "terms-title" }, "Terms ", h("span", { class: `badge ${st}`, "data-status": st }, STATUS_WORDS[st])),
      h("dl", { class: "terms" }, ...terms.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-term": k }, v)])),
      h("p", { class: "hint" }, "A batch is not changed once created: coupons already claimed keep the terms they were claimed under. To change the terms, copy it into a new batch."),
    ),
    spec.channels.includes("online") ? claimLink(batchId) : h("p", { class: "hint" }, "This batch is not claimed online, so it has no claim link."),
    canWrite && spec.channels.includes("segment") ? segmentSend(d, ctx, () => void batchPage(root, session, ctxP, batchId)) : null,
    // Read by the roles that read the batch (couponRoutes: admin, marketer), as the page is.
    spec.giftable ? giftsSection(batchId, d.gifts, spec.timezone) : null,
  );
}

const TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const CLAIM_PAGE_KEY = "arrival.claimPage";

/**
 * A claim link for a batch with its channel tag, and the same link as a QR code for a poster or a
 * post. The link opens the retailer's own claim page (app or web shop), which claims with the SDK's
 * `claimCoupon(batchId, { channelTag })`; the console only writes the address. The QR encoder is the
 * shopper page's (byte mode, level M, up to 106 bytes).
 */
function claimLink(batchId: string): HTMLElement {
  const page = h("input", { type: "url", name: "claimPage", placeholder: "https://shop.example/claim", autocomplete: "url" });
  page.value = localStorage.getItem(CLAIM_PAGE_KEY) ?? "";
  const tag = h("input", { type: "text", name: "channelTag", maxlength: 64, autocomplete: "off", placeholder: "poster-mall-l2" });
  const out = h("div", { class: "claim-out", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "claim-title", novalidate: true },
    h("h2", { id: "claim-title" }, "Claim link and QR"),
    h("p", { class: "hint" }, "Each tag is counted apart in the analytics (a campaign, a social post, a LINE account, a poster in the mall)."),
    h("div", { class: "row" }, field("Claim page address", page, { path: "/claimPage", hint: "Your app's or web shop's claim page; the link adds batchId and channelTag." }), field("Channel tag", tag, { path: "/channelTag", hint: "Letters, digits and . _ : -" })),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Make link and QR")),
    out,
  );
  const summary = h("div", { class: "alert", role: "alert" });
  form.insertBefore(summary, out);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(form, summary);
    mount(out);
    const problems: { path: string; message: string }[] = [];
    let url: URL | null = null;
    try {
      url = new URL(page.value.trim());
      if (url.protocol !== "https:") problems.push({ path: "/claimPage", message: "must be an https address" });
    } catch {
      problems.push({ path: "/claimPage", message: "is not an address (https://…)" });
    }
    if (!TAG_PATTERN.test(tag.value.trim())) problems.push({ path: "/channelTag", message: "must start with a letter or digit and hold only letters, digits and . _ : - (at most 64)" });
    if (problems.length > 0 || !url) {
      showProblems(form, summary, new ApiProblem(400, "VALIDATION_FAILED", "invalid input", problems));
      return;
    }
    localStorage.setItem(CLAIM_PAGE_KEY, page.value.trim());
    url.searchParams.set("batchId", batchId);
    url.searchParams.set("channelTag", tag.value.trim());
    const link = url.toString();
    let qr: ReturnType<typeof encodeQr> | null;
    try {
      qr = encodeQr(link);
    } catch {
      qr = null; // longer than the encoder's largest version holds
    }
    mount(
      out,
      h("p", {}, "Link: ", h("a", { href: link, class: "mono claim-link", rel: "noopener noreferrer", target: "_blank" }, link)),
      qr ? qrFigure(qr, link, `${batchId}-${tag.value.trim()}`) : h("p", { class: "warn" }, `The link is ${new TextEncoder().encode(link).length} bytes, more than a QR code here holds (106): shorten the address or the tag.`),
    );
  });
  return form;
}

let qrFile: string | null = null;

function qrFigure(qr: ReturnType<typeof encodeQr>, payload: string, name: string): HTMLElement {
  const side = String(qr.size + 8);
  const image = s(
    "svg",
    { xmlns: "http://www.w3.org/2000/svg", viewBox: `0 0 ${side} ${side}`, role: "img", "aria-label": `QR code of the claim link ${payload}`, "shape-rendering": "crispEdges", class: "qr", "data-payload": payload },
    s("rect", { width: side, height: side, fill: "#fff" }),
    s("path", { d: qrPath(qr, 4), fill: "#000" }),
  );
  // One download at a time: the previous symbol's file is released when a new one is made.
  if (qrFile) URL.revokeObjectURL(qrFile);
  const file = (qrFile = URL.createObjectURL(new Blob([image.outerHTML], { type: "image/svg+xml" })));
  return h("figure", { class: "qr-figure" }, image, h("figcaption", {}, h("a", { href: file, download: `claim-${name}.svg` }, "Download the QR code (SVG)")));
}

/**
 * Segment send: members of a segment or tier, optionally seen lately in some stores, each get one
 * coupon while stock lasts. Asked once more before sending, with what the send reaches; answered
 * with how many got one and why the others did not.
 */
function segmentSend(d: BatchDetail, ctx: CouponContext, done: () => void): HTMLElement {
  const batchId = d.batch.batchId;
  const segment = h("input", { type: "text", name: "segment", maxlength: 64, autocomplete: "off" });
  const tier =
    ctx.tiers.length > 0
      ? h("select", { name: "tier" }, h("option", { value: "" }, "any tier"), ...ctx.tiers.map((t) => h("option", { value: t }, t)))
      : h("input", { type: "text", name: "tier", maxlength: 64, autocomplete: "off" });
  const stores = ctx.stores.map((st) => h("input", { type: "checkbox", name: "seenInStore", value: st.id }));
  const days = h("input", { type: "number", name: "seenWithinDays", min: 1, max: 365, value: 30, inputmode: "numeric" });
  const summary = h("div", { class: "alert", role: "alert" });
  const out = h("div", { "aria-live": "polite", class: "send-out" });
  const send = h("button", { type: "submit", class: "primary" }, "Send…");
  const storeSet = h(
    "fieldset",
    { class: "days", id: "f-seen", "data-path": "/audience/seenInStoreIds" },
    h("legend", {}, "Seen in these stores (optional)"),
    ...stores.map((b, i) => h("label", { class: "check" }, b, ctx.stores[i]?.name ?? b.value)),
    h("span", { class: "error", id: "f-seen-error" }),
  );
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "send-title", novalidate: true },
    h("h2", { id: "send-title" }, "Send to a segment"),
    h("p", { class: "hint" }, "Only members who consent to marketing get one; at most 1 000 per send, one coupon each while stock lasts."),
    summary,
    h("div", { class: "row" }, field("Segment", segment, { path: "/audience/segment", hint: "Empty: any segment." }), field("Tier", tier, ctx.tiers.length > 0 ? { path: "/audience/tier" } : { path: "/audience/tier", hint: "Empty: any tier." })),
    storeSet,
    field("Seen within (days)", days, { path: "/audience/seenWithinDays", hint: "With stores chosen." }),
    h("div", { class: "buttons" }, send),
    out,
  );
  let confirming = false;
  const audience = () => {
    const seen = stores.filter((b) => b.checked).map((b) => b.value);
    return {
      ...(segment.value.trim() ? { segment: segment.value.trim() } : {}),
      ...(tier.value.trim() ? { tier: tier.value.trim() } : {}),
      ...(seen.length > 0 ? { seenInStoreIds: seen, ...(days.value ? { seenWithinDays: Number(days.value) } : {}) } : {}),
    };
  };
  const describe = (a: ReturnType<typeof audience>) => {
    const who = [a.segment ? `of segment ${a.segment}` : "", a.tier ? `of tier ${a.tier}` : "", a.seenInStoreIds ? `seen in ${storeWords(a.seenInStoreIds, ctx.stores)} within ${count(a.seenWithinDays ?? 30, "day")}` : ""].filter(Boolean);
    return `every member ${who.length > 0 ? who.join(", ") : "of the organisation"} who consents to marketing`;
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (confirming) return;
    clearProblems(form, summary);
    const a = audience();
    confirming = true;
    send.disabled = true;
    const yes = h("button", { type: "button", class: "primary" }, "Send now");
    const no = h("button", { type: "button" }, "Cancel");
    mount(out, h("div", { class: "confirm", role: "group", "aria-label": "Confirm the send" }, h("p", {}, `Send one coupon of “${d.batch.spec.title}” to ${describe(a)}? ${stockWords(d)}.`), h("div", { class: "buttons" }, yes, no)));
    yes.focus();
    const close = () => {
      confirming = false;
      send.disabled = false;
    };
    no.addEventListener("click", () => {
      mount(out);
      close();
      send.focus();
    });
    yes.addEventListener("click", () => {
      yes.disabled = true;
      no.disabled = true;
      ok(client.POST("/v1/coupon-batches/{batchId}/sends", { params: { path: { batchId } }, body: { audience: a } }))
        .then(({ results }) => {
          const got = results.filter((r) => r.couponId !== null).length;
          const refused = new Map<string, number>();
          for (const r of results) if (r.refused) refused.set(r.refused, (refused.get(r.refused) ?? 0) + 1);
          const why = [...refused].map(([code, n]) => `${n} ${REFUSALS[code] ?? code}`).join(", ");
          const text = results.length === 0 ? "No member matched: nobody got a coupon." : `${count(got, "member")} got a coupon${why ? `; not sent: ${why}` : ""}.`;
          mount(out, h("p", { class: "notice", "data-sent": got }, text), h("button", { type: "button", class: "link" }, "Refresh the stock"));
          out.querySelector("button")?.addEventListener("click", done);
          announce(text);
        })
        .catch((err: unknown) => {
          mount(out);
          showProblems(form, summary, err);
        })
        .finally(close);
    });
  });
  return form;
}

const REFUSALS: Record<string, string> = {
  FORBIDDEN: "without marketing consent",
  OUT_OF_STOCK: "out of stock",
  LIMIT_REACHED: "at their limit",
  NOT_FOUND: "unknown",
  PRESENCE_REQUIRED: "not seen in a store lately",
};
