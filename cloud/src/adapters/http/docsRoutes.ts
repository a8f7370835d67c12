import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";

/** The OpenAPI document as far as the page reads it. */
interface OpenApiDocument {
  readonly info?: { readonly title?: string; readonly version?: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly paths?: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  readonly summary?: string;
  readonly description?: string;
  readonly operationId?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses?: Record<string, { readonly content?: Record<string, unknown> }>;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#1b1b1b}
h1{margin-bottom:0}h2{margin-top:2rem;border-bottom:1px solid #ccc}p.tag{color:#444;margin-top:0}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #eee;padding:.35rem .5rem;vertical-align:top}
code{font:13px ui-monospace,monospace;overflow-wrap:anywhere}.m{font-weight:700;width:4.5rem}.get{color:#0a6b2e}.post{color:#0b4f9c}
.put,.patch{color:#8a5a00}.delete{color:#a31515}.r{color:#555;width:12rem}details{color:#333}
summary{cursor:pointer}`;

/** The page's only style, allowed by its hash: the page runs no script and loads nothing. */
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");
export const DOCS_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * The operations of an OpenAPI document as one self-contained HTML page for people: grouped by
 * tag, each with its method, path, summary, success and error statuses and whether it needs a key;
 * descriptions fold out. Rendered on the server, so it needs no script, no CDN and no package.
 */
export function renderDocsPage(doc: OpenApiDocument, jsonUrl: string): string {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({ path, method, op: item[method] as OpenApiOperation })),
  );
  const tags = [...(doc.tags ?? [])];
  for (const { op } of operations)
    for (const tag of op.tags ?? ["other"]) if (!tags.some((t) => t.name === tag)) tags.push({ name: tag });
  const sections = tags.map((tag) => {
    const rows = operations
      .filter(({ op }) => (op.tags ?? ["other"]).includes(tag.name))
      .map(({ path, method, op }) => {
        const statuses = Object.keys(op.responses ?? {}).join(" ");
        const open = op.security !== undefined && op.security.length === 0 ? " · no key" : "";
        const more = op.description
          ? `<details><summary>more</summary><p>${escapeHtml(op.description).replaceAll("\n\n", "</p><p>")}</p></details>`
          : "";
        return (
          `<tr id="${escapeHtml(op.operationId ?? `${method}-${path}`)}"><td class="m ${method}">${method.toUpperCase()}</td>` +
          `<td><code>${escapeHtml(path)}</code><br>${escapeHtml(op.summary ?? "")}${more}</td>` +
          `<td class="r"><code>${escapeHtml(op.operationId ?? "")}</code><br>${escapeHtml(statuses)}${open}</td></tr>`
        );
      });
    return (
      `<section><h2 id="tag-${escapeHtml(tag.name)}">${escapeHtml(tag.name)}</h2>` +
      (tag.description ? `<p class="tag">${escapeHtml(tag.description)}</p>` : "") +
      `<table>${rows.join("")}</table></section>`
    );
  });
  const title = `${doc.info?.title ?? "API"}${doc.info?.version ? ` (version ${doc.info.version})` : ""}`;
  const servers = (doc.servers ?? []).map((s) => `<code>${escapeHtml(s.url)}</code> ${escapeHtml(s.description ?? "")}`).join("; ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(doc.info?.description ?? "")}</p>
<p>The contract as OpenAPI 3.1 JSON, for client generators: <a href="${escapeHtml(jsonUrl)}">${escapeHtml(jsonUrl)}</a>.
Served at: ${servers || "this address"}. Every operation but those marked "no key" needs <code>Authorization: Bearer &lt;key&gt;</code>.</p>
<nav>${tags.map((t) => `<a href="#tag-${escapeHtml(t.name)}">${escapeHtml(t.name)}</a>`).join(" · ")}</nav>
${sections.join("\n")}
</body></html>
`;
}

/** True when the client asks for HTML before JSON (a browser), by the q-values of its Accept header. */
export function prefersHtml(request: Pick<FastifyRequest, "headers">): boolean {
  const accept = request.headers.accept;
  if (typeof accept !== "string") return false;
  const quality = (type: string): number => {
    let best = 0;
    for (const part of accept.split(",")) {
      const [range = "", ...params] = part.trim().toLowerCase().split(";");
      if (range.trim() !== type) continue;
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      best = Math.max(best, q === undefined ? 1 : Number(q.slice(2)) || 0);
    }
    return best;
  };
  const html = quality("text/html");
  return html > 0 && html >= quality("application/json");
}

/**
 * The API's description: `GET /docs/openapi.json` is the OpenAPI document, always JSON; `GET /docs`
 * is the same JSON for machines (what clients have always fetched) and, for a client that asks for
 * HTML first (a browser), a page listing the operations. Both public, both left out of the document.
 */
export function docsRoutes(app: FastifyInstance): void {
  let page: string | null = null;
  const json = async () => app.swagger();
  app.get("/docs/openapi.json", { schema: { hide: true } }, json);
  app.get("/docs", { schema: { hide: true } }, async (request, reply) => {
    void reply.header("vary", "Accept");
    if (!prefersHtml(request)) return app.swagger();
    // The document does not change once the app is ready; render it once.
    page ??= renderDocsPage(app.swagger() as unknown as OpenApiDocument, "/docs/openapi.json");
    return reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", DOCS_CSP)
      .header("x-content-type-options", "nosniff")
      .send(page);
  });
}
