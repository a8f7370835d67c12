import "./styles.css";
import { ApiProblem, apiKey, get, type Session, setApiKey, whenUnauthorized } from "./api.js";
import { announce, field, h, mount } from "./dom.js";
import { analyticsPage } from "./pages/analytics.js";
import { fleetPage } from "./pages/fleet.js";
import { livePage } from "./pages/live.js";
import { rulesPage } from "./pages/rules.js";
import { whyPage } from "./pages/why.js";

/** A page renders into `root` and returns what to stop when the user leaves it (streams, timers). */
export type Page = (root: HTMLElement, session: Session, args: readonly string[]) => (() => void) | void;

const PAGES: readonly { id: string; title: string; page: Page }[] = [
  { id: "rules", title: "Rules", page: rulesPage },
  { id: "live", title: "Live", page: livePage },
  { id: "analytics", title: "Analytics", page: analyticsPage },
  { id: "fleet", title: "Fleet", page: fleetPage },
  { id: "why", title: "Why not", page: whyPage },
];

const CONSOLE_ROLES = ["marketer", "store-ops", "admin"];

const main = (): HTMLElement => document.getElementById("main") as HTMLElement;
const nav = (): HTMLElement => document.getElementById("nav") as HTMLElement;
const who = (): HTMLElement => document.getElementById("who") as HTMLElement;

let session: Session | null = null;
let leave: (() => void) | null = null;

function signOut(message?: string): void {
  setApiKey(null);
  session = null;
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
    const s = await get<Session>("/v1/session");
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
      ...PAGES.map((p) =>
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
  const entry = PAGES.find((p) => p.id === id) ?? PAGES[0];
  if (!entry) return;
  leave?.();
  leave = null;
  showNav(session, entry.id);
  document.title = `${entry.title} · Arrival console`;
  const root = main();
  mount(root);
  leave = entry.page(root, session, args) ?? null;
  announce(`${entry.title} page`);
  // After a navigation, keyboard and screen-reader users start at the new page, not in the menu.
  if (moveFocus) root.focus();
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
