import { ApiProblem, type AnswerOf, client, ok, type Session } from "../api.js";
import { confirmAction } from "../confirm.js";
import { announce, count, field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { browserZone, fmtZoned, storeZones } from "../storeTime.js";
import { SUBSCRIBABLE_EVENT_TYPES } from "../../../cloud/src/domain/webhooks/webhookEvent.js";

type Endpoint = AnswerOf<"/v1/webhooks/endpoints/{endpointId}", "get">;
type Delivery = AnswerOf<"/v1/webhooks/deliveries/{deliveryId}", "get">;
type Policy = AnswerOf<"/v1/push/policy", "get">;

/** The event types an endpoint can ask for, as the cloud defines them; `*` is every one of them. */
const EVENT_TYPES = SUBSCRIBABLE_EVENT_TYPES;

/** Recent deliveries shown. */
const DELIVERY_PAGE = 50;

/**
 * Reaching retailers' systems and phones (admins: the routes of webhookRoutes.ts and the push
 * policy's writes): webhook endpoints, their secrets, tests and deliveries; push quiet hours, the
 * frequency cap and dead letters. Addresses: `#/webhooks`, `#/webhooks/new`,
 * `#/webhooks/endpoint/<id>`, `#/webhooks/push`.
 */
export function webhooksPage(root: HTMLElement, _session: Session, args: readonly string[]): void {
  const [view, id] = args;
  const push = view === "push";
  const sub = h(
    "nav",
    { class: "subnav", "aria-label": "Webhooks sections" },
    h("a", { href: "#/webhooks", ...(push ? {} : { "aria-current": "page" }) }, "Webhooks"),
    h("a", { href: "#/webhooks/push", ...(push ? { "aria-current": "page" } : {}) }, "Reaching phones"),
  );
  const body = h("div");
  mount(root, h("div", { class: "page-head" }, h("h1", {}, push ? "Reaching phones" : "Webhooks")), sub, body);
  if (push) void pushView(body);
  else if (view === "new") endpointForm(body, null);
  else if (view === "endpoint" && id) void editEndpoint(body, decodeURIComponent(id));
  else void endpointsView(body);
}

// ---- Endpoints ----

/** An endpoint fails when a message to it waits for a retry or was given up on. */
function failing(e: Endpoint, deliveries: readonly Delivery[]): string | null {
  const mine = deliveries.filter((d) => d.endpointId === e.id);
  const dead = mine.filter((d) => d.status === "dead").length;
  const retrying = mine.filter((d) => d.status === "pending" && d.attempts > 0).length;
  if (dead === 0 && retrying === 0) return null;
  return [dead > 0 ? `${count(dead, "dead message")}` : "", retrying > 0 ? `${count(retrying, "message")} retrying` : ""].filter(Boolean).join(", ");
}

async function endpointsView(root: HTMLElement, notice = ""): Promise<void> {
  mount(root, h("p", {}, "Loading…"));
  try {
    const [{ endpoints }, { deliveries }] = await Promise.all([
      ok(client.GET("/v1/webhooks/endpoints")),
      ok(client.GET("/v1/webhooks/deliveries", { params: { query: { limit: DELIVERY_PAGE } } })),
    ]);
    const reload = (message: string) => void endpointsView(root, message);
    const status = h("p", { class: "alert", role: "alert" });
    mount(
      root,
      h("p", { class: "notice", role: "status" }, notice),
      status,
      h(
        "section",
        { class: "card", "aria-labelledby": "endpoints-title" },
        h("h2", { id: "endpoints-title" }, "Endpoints"),
        h("p", {}, h("a", { href: "#/webhooks/new", class: "button primary" }, "New endpoint")),
        endpoints.length === 0
          ? h("p", { class: "empty" }, "No endpoints yet: events reach no other system.")
          : h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "endpoints stack" },
                h("caption", { class: "sr-only" }, "Webhook endpoints"),
                h("thead", {}, h("tr", {}, ...["URL", "Events", "Enabled", "State", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
                h("tbody", {}, ...endpoints.map((e) => endpointRow(e, failing(e, deliveries), status, reload))),
              ),
            ),
      ),
      deliveriesView(deliveries, endpoints, status, reload),
    );
  } catch (err) {
    mount(root, h("p", { class: "alert", role: "alert" }, messageOf(err)));
  }
}

function endpointRow(e: Endpoint, fails: string | null, status: HTMLElement, reload: (message: string) => void): HTMLElement {
  const path = { params: { path: { endpointId: e.id } } };
  const toggle = h("button", { type: "button" }, e.enabled ? "Disable" : "Enable");
  toggle.addEventListener("click", () => {
    void (async () => {
      if (e.enabled && !(await confirmAction(`Disable ${e.url}?`, "Its messages wait, undelivered, until it is enabled again.", "Disable"))) return;
      try {
        await ok(client.PATCH("/v1/webhooks/endpoints/{endpointId}", { ...path, body: { enabled: !e.enabled } }));
        reload(`${e.url} ${e.enabled ? "disabled" : "enabled"}.`);
      } catch (err) {
        status.textContent = messageOf(err);
      }
    })();
  });
  const test = h("button", { type: "button" }, "Send test");
  test.addEventListener("click", () => {
    void ok(client.POST("/v1/webhooks/endpoints/{endpointId}/test", path)).then(
      () => reload(`A webhook.test message is queued for ${e.url}.`),
      (err: unknown) => (status.textContent = messageOf(err)),
    );
  });
  return h(
    "tr",
    { "data-endpoint": e.id },
    h("td", { "data-label": "URL" }, h("a", { href: `#/webhooks/endpoint/${encodeURIComponent(e.id)}` }, e.url), e.description ? h("div", { class: "small" }, e.description) : null),
    h("td", { "data-label": "Events" }, e.events.join(", ")),
    h("td", { "data-label": "Enabled" }, e.enabled ? "yes" : "no"),
    h("td", { "data-label": "State" }, h("span", { class: `badge ${fails ? "offline" : "online"}` }, fails ? `failing: ${fails}` : "healthy")),
    h("td", { "data-label": "Actions" }, h("div", { class: "buttons" }, test, toggle)),
  );
}

function deliveriesView(deliveries: readonly Delivery[], endpoints: readonly Endpoint[], status: HTMLElement, reload: (message: string) => void): HTMLElement {
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));
  const zone = browserZone();
  const row = (d: Delivery) => {
    const replay = d.status === "dead" ? h("button", { type: "button" }, "Replay") : null;
    replay?.addEventListener("click", () => {
      void ok(client.POST("/v1/webhooks/deliveries/{deliveryId}/replay", { params: { path: { deliveryId: d.id } } })).then(
        () => reload(`Message ${d.id} queued again.`),
        (err: unknown) => (status.textContent = messageOf(err)),
      );
    });
    return h(
      "tr",
      { "data-delivery": d.id, "data-event": d.eventType },
      h("td", { "data-label": "Created" }, fmtZoned(d.createdAt, zone)),
      h("td", { "data-label": "Event" }, d.eventType),
      h("td", { "data-label": "Endpoint" }, urls.get(d.endpointId) ?? d.endpointId),
      h("td", { "data-label": "Status" }, h("span", { class: `badge ${d.status === "sent" ? "applied" : d.status === "dead" ? "rejected" : "pending"}` }, d.status)),
      h("td", { class: "num", "data-label": "Attempts" }, d.attempts),
      h("td", { "data-label": "Next retry" }, d.nextAttemptAt ? fmtZoned(d.nextAttemptAt, zone) : "—"),
      h("td", { "data-label": "Last error" }, d.lastError ? `${d.lastStatusCode ? `HTTP ${d.lastStatusCode}: ` : ""}${d.lastError}` : "—"),
      h("td", { "data-label": "Actions" }, replay),
    );
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "deliveries-title" },
    h("h2", { id: "deliveries-title" }, "Recent deliveries"),
    h("p", { class: "hint" }, `The newest ${DELIVERY_PAGE} messages, in this browser's time (${zone}). A dead message was given up on after its last attempt; Replay queues it again under the same id.`),
    deliveries.length === 0
      ? h("p", { class: "empty" }, "No messages yet.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "deliveries stack" },
            h("caption", { class: "sr-only" }, "Recent webhook deliveries, newest first"),
            h("thead", {}, h("tr", {}, ...["Created", "Event", "Endpoint", "Status", "Attempts", "Next retry", "Last error", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, ...deliveries.map(row)),
          ),
        ),
  );
}

/** The secret, once: after create or rotation. It is never fetched again (the API cannot). */
function secretBox(secret: string): HTMLElement {
  const value = h("input", { type: "text", readonly: true, value: secret, spellcheck: "false", "data-secret": "" });
  const copy = h("button", { type: "button" }, "Copy secret");
  const copied = h("span", { role: "status" });
  copy.addEventListener("click", () => {
    value.select();
    void navigator.clipboard?.writeText(secret).then(
      () => (copied.textContent = "Copied."),
      () => (copied.textContent = "Select the secret and copy it."),
    );
  });
  return h(
    "section",
    { class: "card secret", "aria-labelledby": "secret-title" },
    h("h2", { id: "secret-title" }, "Signing secret"),
    h("p", {}, "Store it now in the receiver: it is shown only this once. The receiver verifies each message's webhook-signature with it (docs/webhooks.md)."),
    field("Secret", value),
    h("div", { class: "buttons" }, copy, copied),
  );
}

async function editEndpoint(root: HTMLElement, id: string): Promise<void> {
  mount(root, h("p", {}, "Loading…"));
  try {
    const endpoint = await ok(client.GET("/v1/webhooks/endpoints/{endpointId}", { params: { path: { endpointId: id } } }));
    endpointForm(root, endpoint);
  } catch (err) {
    mount(root, h("p", { class: "alert", role: "alert" }, err instanceof ApiProblem && err.status === 404 ? `No endpoint ${id}.` : messageOf(err)));
  }
}

function endpointForm(root: HTMLElement, existing: Endpoint | null): void {
  const url = h("input", { type: "url", name: "url", required: true, autocomplete: "off", spellcheck: "false", maxlength: 2048 });
  const description = h("input", { type: "text", name: "description", maxlength: 200, autocomplete: "off" });
  // `*` asks for every type and `offer.*` for the offer family: their members are ticked.
  const wanted = (t: string) => existing?.events.some((e) => e === "*" || e === t || e === `${t.slice(0, t.indexOf("."))}.*`) ?? false;
  const boxes = EVENT_TYPES.map((t) => h("input", { type: "checkbox", name: "events", value: t, ...(wanted(t) ? { checked: true } : {}) }));
  const enabled = h("input", { type: "checkbox", name: "enabled", ...(existing?.enabled ?? true ? { checked: true } : {}) });
  if (existing) {
    url.value = existing.url;
    description.value = existing.description;
  }
  const summary = h("div", { class: "alert", role: "alert" });
  const eventsError = h("span", { class: "error", id: "events-error" });
  const events = h(
    "fieldset",
    { id: "events", "data-path": "/events", "aria-describedby": "events-error" },
    h("legend", {}, "Events"),
    h("div", { class: "checks" }, ...boxes.map((b) => h("label", {}, b, ` ${b.value}`))),
    existing?.events.some((e) => e.endsWith(".*")) ? h("p", { class: "hint" }, `Now: ${existing.events.join(", ")}; saving writes the boxes ticked.`) : null,
    eventsError,
  );
  const form = h(
    "form",
    { class: "card endpoint-form", novalidate: true, "aria-labelledby": "endpoint-form-title" },
    h("h2", { id: "endpoint-form-title" }, existing ? `Endpoint ${existing.id}` : "New endpoint"),
    summary,
    field("URL", url, { path: "/url", hint: "HTTPS on a public address; messages are POSTed to it." }),
    field("Description", description, { path: "/description", hint: "For people: what the endpoint feeds." }),
    events,
    h("div", { class: "field" }, h("label", {}, enabled, " Enabled")),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, existing ? "Save endpoint" : "Create endpoint"), h("a", { href: "#/webhooks" }, "All endpoints")),
  );
  const after = h("div");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(form, summary);
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    const body = { url: url.value.trim(), events: chosen.length === EVENT_TYPES.length ? ["*"] : chosen, description: description.value.trim(), enabled: enabled.checked };
    if (chosen.length === 0) {
      showProblems(form, summary, new ApiProblem(400, "VALIDATION_FAILED", "invalid endpoint", [{ path: "/events", message: "tick at least one event" }]));
      return;
    }
    void (async () => {
      try {
        if (existing) {
          await ok(client.PATCH("/v1/webhooks/endpoints/{endpointId}", { params: { path: { endpointId: existing.id } }, body }));
          location.hash = "#/webhooks";
        } else {
          const { endpoint, secret } = await ok(client.POST("/v1/webhooks/endpoints", { body }));
          mount(root, h("p", { class: "notice", role: "status" }, `Endpoint created for ${endpoint.url}.`), secretBox(secret), h("p", {}, h("a", { href: "#/webhooks" }, "All endpoints")));
          announce("Endpoint created; its signing secret is shown once.");
        }
      } catch (err) {
        showProblems(form, summary, err);
      }
    })();
  });
  mount(root, form, existing ? rotateAndRemove(existing, after) : null, after);
}

function rotateAndRemove(e: Endpoint, after: HTMLElement): HTMLElement {
  const path = { params: { path: { endpointId: e.id } } };
  const status = h("p", { class: "alert", role: "alert" });
  const rotate = h("button", { type: "button" }, "Rotate secret");
  rotate.addEventListener("click", () => {
    void (async () => {
      if (!(await confirmAction("Rotate the signing secret?", "A new secret signs from now on; the present one keeps signing beside it for a day, while you deploy the new one.", "Rotate"))) return;
      try {
        const { secret } = await ok(client.POST("/v1/webhooks/endpoints/{endpointId}/secret", { ...path, body: {} }));
        mount(after, secretBox(secret));
      } catch (err) {
        status.textContent = messageOf(err);
      }
    })();
  });
  const remove = h("button", { type: "button", class: "danger" }, "Remove endpoint");
  remove.addEventListener("click", () => {
    void (async () => {
      if (!(await confirmAction(`Remove ${e.url}?`, "The endpoint and every message to it, sent or waiting, are deleted.", "Remove"))) return;
      try {
        await ok(client.DELETE("/v1/webhooks/endpoints/{endpointId}", path));
        location.hash = "#/webhooks";
      } catch (err) {
        status.textContent = messageOf(err);
      }
    })();
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "secret-actions-title" },
    h("h2", { id: "secret-actions-title" }, "Secret and removal"),
    e.previousSecretUntil ? h("p", {}, `The previous secret signs too until ${fmtZoned(e.previousSecretUntil, browserZone())}.`) : null,
    status,
    h("div", { class: "buttons" }, rotate, remove),
  );
}

// ---- Reaching phones ----

async function pushView(root: HTMLElement, notice = ""): Promise<void> {
  mount(root, h("p", {}, "Loading…"));
  try {
    const [policy, zones, { deadLetters }] = await Promise.all([
      ok(client.GET("/v1/push/policy")),
      storeZones(),
      ok(client.GET("/v1/push/dead-letters", { params: { query: { limit: 100 } } })),
    ]);
    const reload = (message: string) => void pushView(root, message);
    mount(
      root,
      h("p", { class: "notice", role: "status" }, notice),
      policyForm(null, policy, zones, reload),
      storePolicy(zones, reload),
      deadLettersView(deadLetters, zones, reload),
    );
  } catch (err) {
    mount(root, h("p", { class: "alert", role: "alert" }, messageOf(err)));
  }
}

/** The organisation's policy (storeId null) or a store's override of its quiet hours. */
function policyForm(storeId: string | null, policy: Policy, zones: ReadonlyMap<string, string>, done: (message: string) => void): HTMLElement {
  const quiet = h("input", { type: "checkbox", name: "quiet", ...(policy.quietHours ? { checked: true } : {}) });
  const start = h("input", { type: "time", name: "quietStart", value: policy.quietHours?.start ?? "22:00" });
  const end = h("input", { type: "time", name: "quietEnd", value: policy.quietHours?.end ?? "08:00" });
  const cap = h("input", { type: "number", name: "frequencyCapMinutes", min: 0, max: 10080, step: 1, inputmode: "numeric", value: policy.frequencyCapMinutes ?? "" });
  const summary = h("div", { class: "alert", role: "alert" });
  const zoneText = storeId
    ? `in the store's timezone, ${zones.get(storeId) ?? "UTC"}`
    : `in each store's own timezone (${[...new Set(zones.values())].join(", ") || "none yet"})`;
  const title = storeId ? `Store ${storeId}: its own quiet hours` : "The organisation's quiet hours and frequency cap";
  const titleId = storeId ? "store-policy-title" : "policy-title";
  const form = h(
    "form",
    { class: "card policy-form", novalidate: true, "aria-labelledby": titleId, "data-policy": storeId ?? "organisation" },
    h("h2", { id: titleId }, title),
    summary,
    h("div", { class: "field" }, h("label", {}, quiet, storeId ? " This store has its own quiet hours" : " Quiet hours")),
    h("p", { class: "hint" }, `No push notification between start and end (end may be past midnight), ${zoneText}.${storeId ? " Without its own, the store keeps the organisation's." : ""}`),
    h("div", { class: "row" }, field("Quiet from", start, { path: "/quietHours/start" }), field("Quiet until", end, { path: "/quietHours/end" })),
    storeId ? null : field("Frequency cap (minutes)", cap, { path: "/frequencyCapMinutes", hint: "At most one offer notified per member in this many minutes; empty: the cloud's default." }),
    h("button", { type: "submit", class: "primary" }, storeId ? `Save store ${storeId}` : "Save policy"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(form, summary);
    const capText = cap.value.trim();
    const body = {
      quietHours: quiet.checked ? { start: start.value, end: end.value } : null,
      frequencyCapMinutes: storeId || capText === "" ? null : Number(capText),
    };
    void (async () => {
      try {
        if (storeId) await ok(client.PUT("/v1/stores/{storeId}/push-policy", { params: { path: { storeId } }, body }));
        else await ok(client.PUT("/v1/push/policy", { body }));
        done(storeId ? `Store ${storeId}'s quiet hours saved.` : "Policy saved.");
      } catch (err) {
        showProblems(form, summary, err);
      }
    })();
  });
  return form;
}

/** A store picked from the organisation's, then its override in the same form. */
function storePolicy(zones: ReadonlyMap<string, string>, done: (message: string) => void): HTMLElement {
  const pick = h("select", { name: "store" }, h("option", { value: "" }, "Choose a store"), ...[...zones].map(([id, tz]) => h("option", { value: id }, `${id} (${tz})`)));
  const out = h("div");
  pick.addEventListener("change", () => {
    const storeId = pick.value;
    if (!storeId) return mount(out);
    void ok(client.GET("/v1/stores/{storeId}/push-policy", { params: { path: { storeId } } })).then(
      (policy) => mount(out, policyForm(storeId, policy, zones, done)),
      (err: unknown) => mount(out, h("p", { class: "alert", role: "alert" }, messageOf(err))),
    );
  });
  return h(
    "section",
    { class: "card", "aria-labelledby": "store-override-title" },
    h("h2", { id: "store-override-title" }, "A store's own quiet hours"),
    field("Store", pick),
    out,
  );
}

function deadLettersView(items: AnswerOf<"/v1/push/dead-letters", "get">["deadLetters"], zones: ReadonlyMap<string, string>, done: (message: string) => void): HTMLElement {
  const status = h("p", { class: "alert", role: "alert" });
  const row = (i: (typeof items)[number]) => {
    const replay = h("button", { type: "button" }, "Replay");
    replay.addEventListener("click", () => {
      void ok(client.POST("/v1/push/dead-letters/{id}/replay", { params: { path: { id: i.id } } })).then(
        () => done(`Notification of offer ${i.offerId} queued again.`),
        (err: unknown) => (status.textContent = messageOf(err)),
      );
    });
    return h(
      "tr",
      { "data-dead-letter": i.id },
      h("td", { "data-label": "Given up" }, fmtZoned(i.deadAt, zones.get(i.storeId)), h("div", { class: "small" }, `store ${i.storeId}`)),
      h("td", { "data-label": "Offer" }, i.offerId),
      h("td", { "data-label": "Member" }, i.userId),
      h("td", { class: "num", "data-label": "Attempts" }, i.attempts),
      h("td", { "data-label": "Last error" }, i.lastError ?? "—"),
      h("td", { "data-label": "Actions" }, replay),
    );
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "dead-title" },
    h("h2", { id: "dead-title" }, "Push notifications given up on"),
    status,
    items.length === 0
      ? h("p", { class: "empty" }, "None: every notification reached its push service.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "dead-letters stack" },
            h("caption", { class: "sr-only" }, "Push dead letters, newest first, in each store's time"),
            h("thead", {}, h("tr", {}, ...["Given up", "Offer", "Member", "Attempts", "Last error", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
            h("tbody", {}, ...items.map(row)),
          ),
        ),
  );
}
