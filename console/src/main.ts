import "./styles.css";
import { ApiProblem, apiKey, client, ok, type Session, setApiKey, whenUnauthorized } from "./api.js";
import { announce, field, h, mount } from "./dom.js";
import { analyticsPage } from "./pages/analytics.js";
import { couponsPage } from "./pages/coupons.js";
import { fleetPage } from "./pages/fleet.js";
import { livePage } from "./pages/live.js";
import { membersPage } from "./pages/members.js";
import { rulesPage } from "./pages/rules.js";
import { pickupsPage } from "./pages/pickups.js";
import { webhooksPage } from "./pages/webhooks.js";
import { whyPage } from "./pages/why.js";
import { forgetStoreZones } from "./storeTime.js";

/** A page renders into `root` and returns what to stop when the user leaves it (streams, timers). */
export type Page = (root: HTMLElement, session: Session, args: readonly string[]) => (() => void) | void;

interface PageEntry {
  readonly id: string;
  readonly title: string;
  readonly page: Page;
  /**
   * The roles the cloud lets read this page's data: the `roles` of the routes it calls
   * (cloud/src/adapters/http/routes: ruleRoutes READ, liveRoutes READ, analyticsRoutes funnel,
   * gatewayRoutes ROLES, decisionRoutes, webhookRoutes, pushRoutes' policy writes and dead
   * letters). A tab a role cannot use would only show a refusal.
   */
  readonly roles: readonly string[];
  /** What a role outside `roles` is told when it reaches the page by its address anyway. */
  readonly refusal: string;
}

const PAGES: readonly PageEntry[] = [
  { id: "rules", title: "Rules", page: rulesPage, roles: ["marketer", "store-ops", "admin"], refusal: "does not read rules" },
  { id: "live", title: "Live", page: livePage, roles: ["marketer", "store-ops", "admin"], refusal: "does not watch the stores live" },
  { id: "analytics", title: "Analytics", page: analyticsPage, roles: ["marketer", "store-ops", "admin"], refusal: "does not read the funnel" },
  { id: "coupons", title: "Coupons", page: couponsPage, roles: ["marketer", "admin"], refusal: "does not manage coupon batches" },
  { id: "pickups", title: "Pick-ups", page: pickupsPage, roles: ["admin"], refusal: "does not read click-and-collect orders" },
  { id: "members", title: "Members", page: membersPage, roles: ["marketer", "admin"], refusal: "does not read members' points" },
  { id: "fleet", title: "Fleet", page: fleetPage, roles: ["store-ops", "admin"], refusal: "does not manage gateways" },
  { id: "webhooks", title: "Webhooks", page: webhooksPage, roles: ["admin"], refusal: "does not manage webhooks or push" },
  { id: "why", title: "Why not", page: whyPage, roles: ["marketer", "admin"], refusal: "does not read the engine's decisions" },
];

/** The pages a role may use, in menu order. */
function pagesFor(role: string): readonly PageEntry[] {
  return PAGES.filter((p) => p.roles.includes(role));
}

const CONSOLE_ROLES = ["marketer", "store-ops", "admin"];

const main = (): HTMLElement => document.getElementById("main") as HTMLElement;
const nav = (): HTMLElement => document.getElementById("nav") as HTMLElement;
const who = (): HTMLElement => document.getElementById("who") as HTMLElement;

let session: Session | null = null;
let leave: (() => void) | null = null;

function signOut(message?: string): void {
  setApiKey(null);
  session = null;
  forgetStoreZones();
  leave?.();
  leave = null;
  nav().hidden = true;
  mount(nav());
  mount(who());
  showSignIn(message);
}

function showSignIn(message?: string): void {
  const input = h("input", { type: "password", name: "apiKey", autocomplete: "off", required: true, spellcheck: "false" });
  const error = h("p", { class: "alert", role: "alert", id: "signin-error" }, message ?? "");
  const form = h(
    "form",
    { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to the Arrival console"),
    h("p", {}, "Use an API key of a marketer, store-ops or admin. It is kept in this tab only and forgotten when the tab closes."),
    field("API key", input),
    error,
    h("button", { type: "submit", class: "primary" }, "Sign in"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void signIn(input.value.trim(), error);
  });
  mount(main(), form);
  input.focus();
}

async function signIn(key: string, error: HTMLElement): Promise<void> {
  setApiKey(key);
  const result = await checkSession();
  if (result === true) {
    if (!location.hash || location.hash === "#/") location.hash = "#/rules";
    route();
  } else {
    setApiKey(null);
    error.textContent = result;
  }
}

/** True when the stored key may use the console; else the message to show. */
async function checkSession(): Promise<true | string> {
  try {
    const s: Session = await ok(client.GET("/v1/session"));
    if (!CONSOLE_ROLES.includes(s.role)) return `A ${s.role} key cannot use the console.`;
    session = s;
    return true;
  } catch (err) {
    if (err instanceof ApiProblem && err.status === 401) return "This API key is not valid.";
    if (err instanceof ApiProblem && err.status === 403)
      return `This key's role cannot use the console (${err.message}). Use a marketer, store-ops or admin key.`;
    return `The cloud did not answer: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function showNav(s: Session, current: string): void {
  nav().hidden = false;
  mount(
    nav(),
    h(
      "ul",
      {},
      ...pagesFor(s.role).map((p) =>
        h("li", {}, h("a", { href: `#/${p.id}`, ...(p.id === current ? { "aria-current": "page" } : {}) }, p.title)),
      ),
    ),
  );
  const out = h("button", { type: "button", class: "link" }, "Sign out");
  out.addEventListener("click", () => signOut());
  mount(who(), h("span", {}, `${s.role} · ${s.orgId}${s.storeId ? ` · store ${s.storeId}` : ""}`), out);
}

function route(moveFocus = false): void {
  if (!session) return;
  const [id = "rules", ...args] = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const allowed = pagesFor(session.role);
  const entry = PAGES.find((p) => p.id === id) ?? allowed[0];
  if (!entry) return;
  leave?.();
  leave = null;
  showNav(session, entry.id);
  document.title = `${entry.title} · Arrival console`;
  const root = main();
  mount(root);
  if (entry.roles.includes(session.role)) leave = entry.page(root, session, args) ?? null;
  else mount(root, refusal(entry, session, allowed));
  announce(`${entry.title} page`);
  // After a navigation, keyboard and screen-reader users start at the new page, not in the menu.
  if (moveFocus) root.focus();
}

/** A page this role cannot use, reached by its address: say so plainly and point to the others. */
function refusal(entry: PageEntry, s: Session, allowed: readonly PageEntry[]): HTMLElement {
  const roles = entry.roles.join(", ").replace(/, ([^,]*)$/, " or $1");
  return h(
    "section",
    { class: "card refusal", "aria-labelledby": "refusal-title" },
    h("h1", { id: "refusal-title" }, entry.title),
    h("p", { "data-refusal": entry.id }, `A ${s.role} key ${entry.refusal}: the ${entry.title} page is for ${roles} keys.`),
    allowed.length > 0
      ? h("p", {}, "Your key can use: ", ...allowed.flatMap((p, i) => [i > 0 ? ", " : "", h("a", { href: `#/${p.id}` }, p.title)]), ".")
      : null,
  );
}

// A call answered 401 while signed in means the key was revoked meanwhile: back to sign-in, and
// the page's data goes with it.
whenUnauthorized(() => {
  if (session) signOut("Your key is no longer valid; sign in again.");
});

window.addEventListener("hashchange", () => route(true));

async function start(): Promise<void> {
  if (!apiKey()) return showSignIn();
  const result = await checkSession();
  if (result !== true) return signOut(result);
  route();
}

void start();
