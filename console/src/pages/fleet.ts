import { ApiProblem, type BodyOf, client, ok, type Session } from "../api.js";
import { sparkline } from "../charts.js";
import { field, h, mount } from "../dom.js";
import { clearProblems, messageOf, showProblems } from "../errors.js";
import { dayIn, fmtZoned, storeZones } from "../storeTime.js";

interface Telemetry {
  at: string;
  version: string;
  uptimeS: number;
  advertsPerS: number;
  subjectsTracked: number;
  outboxDepth: number;
  cpuPercent: number;
}
interface Gateway {
  id: string;
  storeId: string;
  name: string;
  state: "online" | "degraded" | "offline" | "unknown";
  lastSeenAt: string | null;
  version: string | null;
  offlineSinceAt: string | null;
  offlineTooLong: boolean;
  telemetry: Telemetry | null;
  scan: { state: "scanning" | "interrupted"; lastAdvertAt: string | null } | null;
  update: { outcome: string; from: string | null; to: string | null; reason: string | null; at: string } | null;
  advertising: { state: "advertising" | "off" | "failed"; format?: "ibeacon" | "eddystone-eid"; slotStart?: string; error?: string } | null;
  config: { desiredRevision: number | null; reportedRevision: number | null; state: "pending" | "applied" | "rejected" | "none"; problems: { path: string; message: string }[] };
  calibration: {
    surveyedAt: string | null;
    samples: number | null;
    rssiOffsetDb: number;
    zones: { zoneId: string; edgeLossDb: number | null }[];
    /** Learned from members seen at the till; absent when the gateway does not learn. */
    learned?: {
      samples: number;
      refused: number;
      rssiOffsetDb: number | null;
      learnedAt: string | null;
      weeks: { weekStart: string; samples: number; medianDb: number }[];
    };
    /** A zone's threshold learned from inside labels; absent when the gateway does not learn it. */
    learnedZones?: {
      zoneId: string;
      labels: number;
      refused: number;
      edgeLossDb: number | null;
      targetDb: number | null;
      learnedAt: string | null;
      weeks: { weekStart: string; labels: number; thresholdDb: number }[];
    }[];
    /** The bound on its zones learned from the passers-by it hears; absent when it does not learn it. */
    learnedTraffic?: {
      tracks: number;
      counted: number;
      quantileDb: number | null;
      boundDb: number | null;
      days: { dayStart: string; tracks: number }[];
    };
  } | null;
  lan: {
    peers: { id: string; lastHeardAt: string | null; heardRecently: boolean; clockOffsetMs: number | null }[];
    silentPeers: string[];
    clockOffsetMs: number | null;
    recovery: { missed: number; requested: number; resent: number; recovered: number; givenUp: number } | null;
  } | null;
}

interface Rollout {
  storeId: string;
  release: string;
  canaryShare: number;
  healthGateS: number;
  paused: boolean;
  plan: { phase: string; canaries: string[]; done: string[]; failed: string[]; reason: string };
}

const CONFIG_EXAMPLE = JSON.stringify({ zones: [{ id: "z1", name: "Entrance", shape: "gateway-radius", gatewayId: "g1", radiusM: 3 }] }, null, 2);

/** Gateways: state, last seen, version, telemetry, and config pushes with their applied/rejected result. */
export function fleetPage(root: HTMLElement, session: Session): () => void {
  const body = h("div", { class: "fleet" });
  const status = h("p", { class: "alert", role: "alert" });
  const notice = h("p", { class: "notice", role: "status" });
  const refresh = h("button", { type: "button" }, "Refresh");
  const rollouts = h("section", { class: "rollouts", "aria-label": "Software rollouts" });
  mount(root, h("div", { class: "page-head" }, h("h1", {}, "Fleet"), refresh), status, notice, rollouts, body);
  const canPush = ["admin", "store-ops"].includes(session.role);
  let timer: number | undefined;
  let stopped = false;
  const load = async () => {
    window.clearTimeout(timer);
    try {
      const query = session.storeId ? { storeId: session.storeId } : {};
      const [{ gateways }, zones] = await Promise.all([ok(client.GET("/v1/gateways", { params: { query } })), storeZones()]);
      status.textContent = "";
      const stores = [...new Set(gateways.map((g) => g.storeId))].sort();
      mount(rollouts, ...rolloutViews(await storeRollouts(stores), gateways, session.role === "admin", notice, load));
      if (!body.querySelector("form.push")) mount(body, gateways.length === 0 ? h("p", { class: "empty" }, "No gateways registered.") : table(gateways, zones, canPush, body, notice, load));
    } catch (err) {
      status.textContent = err instanceof ApiProblem && err.status === 404 ? "This cloud has no fleet API yet." : messageOf(err);
    }
    // Config results and telemetry arrive from the gateways on their own: look again shortly.
    if (!stopped) timer = window.setTimeout(() => void load(), 5000);
  };
  refresh.addEventListener("click", () => void load());
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

/** Each store's rollout, where it has one (404: none). */
async function storeRollouts(storeIds: readonly string[]): Promise<Rollout[]> {
  const found = await Promise.all(
    storeIds.map((id) =>
      ok(client.GET("/v1/stores/{storeId}/rollout", { params: { path: { storeId: id } } })).catch((err: unknown) => {
        if (err instanceof ApiProblem && (err.status === 404 || err.status === 403)) return null;
        throw err;
      }),
    ),
  );
  return found.filter((r) => r !== null);
}

/** A store's rollout: the release, where it is (canaries, then the rest), and pause or resume. */
function rolloutViews(
  list: readonly Rollout[],
  gateways: readonly Gateway[],
  canSteer: boolean,
  notice: HTMLElement,
  reload: () => Promise<void>,
): HTMLElement[] {
  if (list.length === 0) return [];
  return [
    h("h2", {}, "Software rollouts"),
    ...list.map((r) => {
      const total = gateways.filter((g) => g.storeId === r.storeId).length;
      const steer = h("button", { type: "button" }, r.paused ? `Resume rollout in ${r.storeId}` : `Pause rollout in ${r.storeId}`);
      steer.addEventListener("click", () => {
        steer.setAttribute("disabled", "");
        const path = { params: { path: { storeId: r.storeId } } };
        ok(r.paused ? client.POST("/v1/stores/{storeId}/rollout/resume", path) : client.POST("/v1/stores/{storeId}/rollout/pause", path))
          .then(() => {
            notice.textContent = `Rollout in ${r.storeId} ${r.paused ? "resumed" : "paused"}.`;
            return reload();
          })
          .catch((err: unknown) => {
            notice.textContent = messageOf(err);
            steer.removeAttribute("disabled");
          });
      });
      return h(
        "div",
        { class: "rollout", "data-rollout": r.storeId, "data-phase": r.plan.phase },
        h("p", {}, h("strong", {}, r.storeId), ` → ${r.release}: `, r.paused ? "paused" : r.plan.phase),
        h(
          "p",
          { "data-progress": "" },
          `${r.plan.done.length} of ${total} ${total === 1 ? "gateway runs" : "gateways run"} it`,
          r.plan.failed.length > 0 ? `, ${r.plan.failed.length} failed (${r.plan.failed.join(", ")})` : "",
          ` · canaries ${r.plan.canaries.join(", ") || "none"}, health gate ${r.healthGateS} s`,
        ),
        h("p", { class: "hint" }, r.plan.reason),
        ...(canSteer ? [steer] : []),
      );
    }),
  ];
}

function table(
  gateways: readonly Gateway[],
  zones: ReadonlyMap<string, string>,
  canPush: boolean,
  body: HTMLElement,
  notice: HTMLElement,
  reload: () => Promise<void>,
): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "gateways stack" },
      h("caption", { class: "sr-only" }, "Gateways"),
      h("thead", {}, h("tr", {}, ...["Gateway", "Store", "Status", "Last seen", "Version", "Adverts/s", "Presence", "Store beacon", "Config", ""].map((c) => h("th", { scope: "col" }, c)))),
      h(
        "tbody",
        {},
        ...gateways.map((g) => {
          const fmtTime = (iso: string | null) => fmtZoned(iso, zones.get(g.storeId));
          const spark = h("span", { class: "spark" });
          void ok(client.GET("/v1/gateways/{gatewayId}/telemetry", { params: { path: { gatewayId: g.id }, query: { limit: 30 } } }))
            .then(({ samples }) => mount(spark, sparkline(`Adverts per second, ${g.id}`, samples.map((s) => s.advertsPerS))))
            .catch(() => mount(spark, "—"));
          const push = h("button", { type: "button", "aria-label": `Push config to ${g.id}` }, "Push config");
          push.addEventListener("click", () => mount(body, pushForm(g, notice, () => void reload())));
          return h(
            "tr",
            { "data-gateway": g.id },
            h("th", { scope: "row" }, g.name || g.id, h("div", { class: "small" }, g.id)),
            h("td", { "data-label": "Store" }, g.storeId),
            h(
              "td",
              { "data-label": "Status" },
              h("span", { class: `badge ${g.state}` }, g.state),
              g.offlineTooLong ? h("div", { class: "warn small" }, `offline since ${fmtTime(g.offlineSinceAt)}`) : null,
              g.state === "degraded" ? h("div", { class: "warn small" }, `radio interrupted; last advert ${fmtTime(g.scan?.lastAdvertAt ?? null)}`) : null,
            ),
            h("td", { "data-label": "Last seen" }, fmtTime(g.lastSeenAt)),
            h(
              "td",
              { "data-label": "Version" },
              g.version ?? "—",
              g.update && g.update.outcome !== "updated" && g.update.outcome !== "unchanged"
                ? h("div", { class: "warn small" }, `update ${g.update.outcome}${g.update.to ? ` (${g.update.to})` : ""}: ${g.update.reason ?? ""}`)
                : null,
            ),
            h("td", { "data-label": "Adverts/s" }, spark),
            presenceCell(g, zones.get(g.storeId), fmtTime),
            h(
              "td",
              { "data-label": "Store beacon", "data-advertising": g.advertising?.state ?? "unknown" },
              g.advertising === null
                ? "—"
                : g.advertising.state === "advertising"
                  ? `${g.advertising.format === "eddystone-eid" ? "Eddystone-EID" : "iBeacon"} on air`
                  : g.advertising.state === "off"
                    ? "off"
                    : h("span", { class: "warn" }, "failed"),
              g.advertising?.state === "failed" && g.advertising.error ? h("div", { class: "warn small" }, g.advertising.error) : null,
            ),
            h(
              "td",
              { "data-config": g.config.state, "data-label": "Config" },
              h("span", { class: `badge ${g.config.state}` }, g.config.state),
              g.config.desiredRevision !== null ? h("div", { class: "small" }, `rev ${g.config.reportedRevision ?? "—"} / ${g.config.desiredRevision}`) : null,
              g.config.problems.length > 0 ? h("ul", { class: "small" }, ...g.config.problems.map((p) => h("li", {}, `${p.path}: ${p.message}`))) : null,
            ),
            h("td", { "data-label": "" }, canPush ? push : null),
          );
        }),
      ),
    ),
  );
}

const MINUS = "\u2212";
const signedDb = (db: number): string => `${db > 0 ? "+" : db < 0 ? MINUS : ""}${Math.abs(db)} dB`;
const signedMs = (ms: number): string => `${ms > 0 ? "+" : ms < 0 ? MINUS : ""}${Math.abs(ms)} ms`;
/** A peer's clock this far from the gateway's is shown: nearer, the store keeps each gateway's own stamps (PeerClocks). */
const CLOCK_NOTED_MS = 250;

/**
 * What presence runs calibrated with and whether the store LAN reaches the gateway: a gateway never
 * surveyed judges its zones on their drawn radius and a nominal radio; one that does not hear its
 * peers decides alone, without their evidence.
 */
function presenceCell(g: Gateway, timeZone: string | undefined, fmtTime: (iso: string | null) => string): HTMLElement {
  const c = g.calibration;
  const calibration =
    c === null
      ? h("div", { "data-calibration": "unknown" }, "calibration not reported")
      : c.surveyedAt === null
        ? h("div", { class: "warn", "data-calibration": "not-surveyed" }, "not surveyed: run arrival-gateway calibrate")
        : h(
            "div",
            { "data-calibration": "surveyed" },
            `surveyed on ${dayIn(timeZone ?? "UTC", Date.parse(c.surveyedAt))}: offset ${signedDb(c.rssiOffsetDb)}`,
            ...c.zones.map((z) => `, zone ${z.zoneId} ${z.edgeLossDb === null ? "on its drawn radius" : `edge ${MINUS}${z.edgeLossDb} dB`}`),
          );
  const learned = c?.learned;
  // The weekly medians show drift: a radio or a shop that changes moves them week by week.
  const learning =
    learned === undefined
      ? null
      : h(
          "div",
          { class: "small", "data-calibration": "learned" },
          learned.rssiOffsetDb === null
            ? `learning at the till: ${learned.samples} sample${learned.samples === 1 ? "" : "s"}, not acting yet`
            : `learned at the till: offset ${signedDb(learned.rssiOffsetDb)} from ${learned.samples} samples${learned.learnedAt === null ? "" : `, moved on ${dayIn(timeZone ?? "UTC", Date.parse(learned.learnedAt))}`}`,
          learned.weeks.length === 0 ? "" : `; weekly medians ${learned.weeks.slice(-4).map((w) => signedDb(w.medianDb)).join(", ")}`,
        );
  // Beside the till's offset: each zone threshold learned from members known inside.
  const zones = (c?.learnedZones ?? []).map((z) =>
    h(
      "div",
      { class: "small", "data-calibration": "learned-zone" },
      z.edgeLossDb === null
        ? `learning zone ${z.zoneId} from inside labels: ${z.labels} label${z.labels === 1 ? "" : "s"}, not acting yet`
        : `learned zone ${z.zoneId} from inside labels: edge ${MINUS}${z.edgeLossDb} dB from ${z.labels} labels${z.targetDb === null || z.targetDb === z.edgeLossDb ? "" : `, moving to ${MINUS}${z.targetDb} dB`}${z.learnedAt === null ? "" : `, moved on ${dayIn(timeZone ?? "UTC", Date.parse(z.learnedAt))}`}`,
      z.weeks.length === 0 ? "" : `; weekly thresholds ${z.weeks.slice(-4).map((w) => `${MINUS}${w.thresholdDb} dB`).join(", ")}`,
    ),
  );
  // Beside them: how loud the pavement is at this gateway, the bound its zones are kept short of.
  const lt = c?.learnedTraffic;
  const traffic =
    lt === undefined
      ? null
      : h(
          "div",
          { class: "small", "data-calibration": "learned-traffic" },
          lt.boundDb === null
            ? `learning the pavement from passers-by: ${lt.tracks} track${lt.tracks === 1 ? "" : "s"}, not acting yet`
            : `zones kept short of the pavement: ${MINUS}${lt.boundDb} dB raw, from ${lt.tracks} passers-by`,
        );
  const heard = g.lan?.peers.filter((p) => p.heardRecently) ?? [];
  const silent = g.lan?.peers.filter((p) => !p.heardRecently) ?? [];
  const recovery = g.lan?.recovery ?? null;
  const storeOffsetMs = g.lan?.clockOffsetMs ?? 0;
  const peers = [
    heard.length > 0
      ? h(
          "div",
          { class: "small", "data-lan": "heard" },
          `LAN peers heard: ${heard.map((p) => (p.clockOffsetMs !== null && Math.abs(p.clockOffsetMs) >= CLOCK_NOTED_MS ? `${p.id} (clock ${signedMs(p.clockOffsetMs)})` : p.id)).join(", ")}`,
          storeOffsetMs === 0 ? "" : `; store time is its clock ${signedMs(storeOffsetMs)}`,
        )
      : null,
    // Lost datagrams asked for again: those given up on may have let the gateways decide apart.
    recovery === null || (recovery.missed === 0 && recovery.resent === 0)
      ? null
      : h(
          "div",
          { class: recovery.givenUp > 0 ? "warn small" : "small", "data-lan": "recovery" },
          `LAN datagrams lost: ${recovery.missed}, ${recovery.recovered} recovered, ${recovery.givenUp} given up (${recovery.requested} request${recovery.requested === 1 ? "" : "s"}); ${recovery.resent} sent again for peers`,
        ),
    silent.length > 0
      ? h(
          "div",
          { class: "warn small", "data-lan": "silent" },
          silent.map((p) => `peer ${p.id} ${p.lastHeardAt === null ? "never heard" : `not heard since ${fmtTime(p.lastHeardAt)}`}`).join("; "),
          `: without ${silent.length > 1 ? "them" : "it"} this gateway decides alone`,
        )
      : null,
  ];
  return h("td", { "data-label": "Presence" }, calibration, learning, ...zones, traffic, ...peers);
}

function pushForm(g: Gateway, notice: HTMLElement, done: () => void): HTMLElement {
  const config = h("textarea", { name: "config", rows: 12, spellcheck: "false", class: "mono" });
  config.value = CONFIG_EXAMPLE.replaceAll('"g1"', JSON.stringify(g.id));
  const summary = h("div", { class: "alert", role: "alert" });
  const form = h(
    "form",
    { class: "card push", "aria-labelledby": "push-title" },
    h("h2", { id: "push-title" }, `Push config to ${g.name || g.id}`),
    summary,
    field("Config (JSON: zones, presence)", config, { path: "", hint: "The gateway applies it and reports applied or rejected." }),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Push"), h("button", { type: "button", class: "cancel" }, "Cancel")),
  );
  config.dataset["path"] = "/zones";
  form.querySelector(".cancel")?.addEventListener("click", () => {
    form.remove();
    done();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearProblems(form, summary);
    let body: unknown;
    try {
      body = JSON.parse(config.value) as unknown;
    } catch {
      summary.textContent = "The config is not valid JSON.";
      return;
    }
    // The operator's JSON goes as typed: the cloud validates it and names what is wrong.
    ok(client.POST("/v1/gateways/{gatewayId}/config", { params: { path: { gatewayId: g.id } }, body: body as BodyOf<"/v1/gateways/{gatewayId}/config", "post"> }))
      .then(({ revision }) => {
        form.remove();
        notice.textContent = `Config revision ${revision} sent to ${g.id}; its result (applied or rejected) appears in the Config column.`;
        done();
      })
      .catch((err: unknown) => showProblems(form, summary, err));
  });
  return form;
}
