import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import { ID_PATTERN, StringEnum } from "../../../../../protocol/index.js";
import { LEDGER_ENTRY_KINDS, LEDGER_SOURCES, LoyaltyProgramSchema } from "../../../domain/loyalty/index.js";
import type { MemberImportService } from "../../../services/MemberImportService.js";
import { MAX_LINE_QUANTITY, MAX_UNIT_PRICE_MINOR, type MembershipService } from "../../../services/MembershipService.js";
import type { LedgerEntry } from "../../../services/repositories.js";
import { principalOf } from "../createHttpApp.js";
import { ApiError, unwrap } from "../refusals.js";

const UserParams = Type.Object({ userId: Type.String({ pattern: ID_PATTERN }) }, { additionalProperties: false });
const IdempotencyHeaders = Type.Object(
  { "idempotency-key": Type.String({ minLength: 8, maxLength: 128, pattern: "^[\\x21-\\x7e]+$" }) },
  { description: "A retried request with the same key gets the first answer and changes nothing." },
);

const BasketLineSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "What category earn rules match on." })),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY }),
    unitPriceMinor: Type.Integer({ minimum: 0, maximum: MAX_UNIT_PRICE_MINOR, description: "Minor units (cents)." }),
  },
  { additionalProperties: false },
);
const PurchaseBody = Type.Object(
  {
    memberCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The dynamic member code the app shows (or its QR payload `arrival:member:v1:<code>`)." }),
    ),
    memberId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Instead of a member code (e.g. a phone number lookup at the till)." })),
    orderId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description: "Unique per store: a repeat is answered, not earned again." }),
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Required for admin keys; a till key is bound to its store." })),
    channel: Type.Optional(StringEnum(["till", "online"] as const, { description: "Default `till`." })),
    totalMinor: Type.Integer({ minimum: 0, description: "Must equal the sum of quantity × unitPriceMinor over the lines." }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    lines: Type.Array(BasketLineSchema, { minItems: 1, maxItems: 500 }),
    pointsToSpend: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000_000,
        description:
          "Points the member pays part of the basket with, where the programme's `pointsRedemption` allows it: reduced to " +
          "the basket share it allows; spent from the soonest-expiring lots with the purchase in one write, or refused " +
          "(`409 INSUFFICIENT_POINTS`) and nothing recorded. The answer's `payableMinor` is what the till takes.",
      }),
    ),
  },
  { additionalProperties: false },
);
const QuoteBody = Type.Object(
  {
    memberCode: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The dynamic member code (or its QR payload)." })),
    memberId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Instead of a member code." })),
    totalMinor: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "The basket's total, minor units." }),
    currency: Type.String({ pattern: "^[A-Z]{3}$" }),
    pointsToSpend: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: "The points the member offers; absent: as many as the basket and balance take." }),
    ),
  },
  { additionalProperties: false },
);
const RefundBody = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$" }),
    storeId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: "Required for admin keys." })),
    amountMinor: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "A partial refund of this much, minor units (at most what is left to refund); points are reversed in proportion, " +
          "rounded down, and exactly in full once the whole order is refunded. Absent: the rest of the order.",
      }),
    ),
    refundId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
        description: "Unique per order; required with amountMinor. A repeat with the same id is answered, not refunded again.",
      }),
    ),
  },
  { additionalProperties: false },
);
const AdjustBody = Type.Object(
  {
    points: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, description: "Positive adds a lot, negative takes points (never below zero)." }),
    reason: Type.String({ minLength: 1, maxLength: 500, description: "Why; kept on the entry with the admin key's id." }),
  },
  { additionalProperties: false },
);
const TransferBody = Type.Object(
  { toUserId: Type.String({ pattern: ID_PATTERN }), points: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) },
  { additionalProperties: false },
);
const HistoryQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, description: "The `seq` of the last entry of the previous page." })),
  },
  { additionalProperties: false },
);

const BalanceSchema = Type.Object({
  balance: Type.Integer({ description: "Spendable points; never negative." }),
  owed: Type.Integer({ description: "Points reversed after they were spent; the next earnings settle them." }),
  nextExpiry: Type.Union([Type.Object({ points: Type.Integer(), at: Type.String({ format: "date-time" }) }), Type.Null()]),
  tier: Type.Union([Type.String(), Type.Null()]),
});
export const LedgerEntrySchema = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  kind: StringEnum(LEDGER_ENTRY_KINDS),
  source: StringEnum(LEDGER_SOURCES),
  points: Type.Integer({ description: "Signed." }),
  at: Type.String({ format: "date-time" }),
  reference: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  reverses: Type.Union([Type.String(), Type.Null()]),
});

const ProgramView = Type.Object({
  program: LoyaltyProgramSchema,
  version: Type.Integer({ minimum: 0, description: "1 for the first programme written; 0: none written yet (the empty programme)." }),
});
const TierChangeView = Type.Object({
  fromTier: Type.Union([Type.String(), Type.Null()]),
  toTier: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String({ description: "`upgrade`, `downgrade`, or `programme` (the programme's tiers changed)." }),
  at: Type.String({ format: "date-time" }),
});
const ImportReportView = Type.Object({
  rows: Type.Integer({ description: "Data lines read (blank lines and a CSV header not counted)." }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer({ description: "Rows equal to what was stored: nothing written." }),
  rejected: Type.Integer(),
  problems: Type.Array(
    Type.Object({
      line: Type.Integer(),
      field: Type.String({ description: "JSON pointer of the field (`/birthMonth`), or empty for the whole row." }),
      message: Type.String(),
    }),
    { description: "The refused rows' problems, the first 1000." },
  ),
  problemsTruncated: Type.Boolean({ description: "More problems were found than listed." }),
});
/** A streamed NDJSON body: the document can only say it is text; the description gives each line's fields. */
const NdjsonResponse = (description: string) => ({
  200: {
    description,
    content: { "application/x-ndjson": { schema: Type.String({ contentMediaType: "application/x-ndjson", description }) } },
  },
});

const PurchaseView = Type.Object({
  memberId: Type.String(),
  orderKey: Type.String({ description: "The order's key: the store and the till's order id." }),
  points: Type.Integer({ description: "Points this purchase earned (0 when no earn rule applies)." }),
  multiplier: Type.Number({ description: "The member-day multiplier applied (1 on other days)." }),
  memberDayId: Type.Union([Type.String(), Type.Null()]),
  balance: Type.Integer({ description: "The member's balance after the purchase." }),
  owed: Type.Integer({ description: "Points the member owes from earlier reversals." }),
  tier: Type.Union([Type.String(), Type.Null()]),
  replayed: Type.Boolean({ description: "True when this order was reported before; the first result is answered." }),
  pointsSpent: Type.Integer({ description: "Points spent as a discount on this purchase (0: none)." }),
  pointsDiscountMinor: Type.Integer({ description: "The discount those points paid, minor units." }),
  payableMinor: Type.Integer({ description: "What the member pays: totalMinor less the points discount. Points are earned on this." }),
});
const QuoteView = Type.Object({
  memberId: Type.String(),
  balance: Type.Integer({ description: "The member's spendable points now." }),
  maxPoints: Type.Integer({ description: "The most points this basket takes (the programme's basket share, or the balance if lower)." }),
  maxDiscountMinor: Type.Integer({ description: "The largest discount points may pay on this basket, minor units." }),
  points: Type.Integer({ description: "Points the purchase would spend for the `pointsToSpend` asked (0 when none was asked)." }),
  discountMinor: Type.Integer({ description: "The discount those points pay, minor units." }),
  payableMinor: Type.Integer({ description: "totalMinor less that discount." }),
});
const RefundView = Type.Object({
  memberId: Type.String(),
  refundId: Type.String(),
  reversedPoints: Type.Integer({ description: "Points this refund reversed." }),
  returnedPoints: Type.Integer({
    description: "Points that paid part of the order given back by this refund, in proportion to amountMinor (exactly in full once the whole order is refunded).",
  }),
  refundedMinor: Type.Integer({ description: "Refunded of the order so far, this refund included, in minor units." }),
  totalMinor: Type.Integer(),
  balance: Type.Integer(),
  owed: Type.Integer(),
  replayed: Type.Boolean(),
});
const AdjustView = Type.Object({ entry: LedgerEntrySchema, balance: Type.Integer(), owed: Type.Integer() });
const TransferView = Type.Object({ entry: LedgerEntrySchema, balance: Type.Integer({ description: "The sender's balance after the transfer." }) });

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function entryView(e: LedgerEntry): Static<typeof LedgerEntrySchema> {
  return {
    seq: e.seq,
    id: e.id,
    kind: e.kind,
    source: e.source,
    points: e.points,
    at: new Date(e.at).toISOString(),
    reference: e.reference,
    reason: e.reason,
    expiresAt: iso(e.expiresAt),
    reverses: e.reverses,
  };
}

/**
 * Membership: the loyalty programme (admin, marketer), purchases and refunds at the till (pos,
 * admin), points balance, history and tier changes (the app for its own user, admins, and
 * marketers read only, to look a member up for service in the console), the member code (the app),
 * admin adjustments with a reason, transfers where the programme allows them.
 */
export function membershipRoutes(app: FastifyInstance, deps: { membership: MembershipService; imports: MemberImportService }): void {
  const m = deps.membership;
  memberFileRoutes(app, deps.imports);

  app.get(
    "/v1/loyalty/program",
    {
      config: { roles: ["admin", "marketer"] },
      schema: { summary: "The organisation's loyalty programme (version 0: none written yet)", response: { 200: ProgramView } },
    },
    async (request) => unwrap(await m.getProgram(principalOf(request))),
  );

  app.put(
    "/v1/loyalty/program",
    {
      config: { roles: ["admin", "marketer"] },
      schema: {
        summary: "Replace the loyalty programme: earn rules, visit points, member days, tiers",
        description: "Every problem is reported with its path, e.g. `/earnRules/0/perAmountMinor`.",
        body: LoyaltyProgramSchema,
        response: { 200: ProgramView },
      },
    },
    async (request) => unwrap(await m.putProgram(principalOf(request), request.body)),
  );

  app.post(
    "/v1/purchases",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "Report a purchase of a member: earns points by the programme, once per order; points may pay part of it",
        description:
          "The member is identified by the dynamic member code the app shows (valid minutes) or by id. " +
          "With `pointsToSpend`, points pay part of the basket where the programme allows it, and points are earned on " +
          "what is left to pay. A repeat of the same order id at the same store answers 200 with the first result.",
        body: PurchaseBody,
        response: { 200: PurchaseView, 201: PurchaseView },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof PurchaseBody>;
      const result = unwrap(
        await m.purchase(principalOf(request), {
          ...body,
          lines: body.lines.map((l) => ({ sku: l.sku, category: l.category ?? null, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })),
        }),
      );
      void reply.status(result.replayed ? 200 : 201);
      return result;
    },
  );

  app.post(
    "/v1/purchases/points-quote",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "What points may pay of a basket, before the purchase is reported (writes nothing)",
        description:
          "The till identifies the member, shows what their points can pay (`maxPoints`, `maxDiscountMinor`), then reports " +
          "the purchase with the `pointsToSpend` chosen. `403 FORBIDDEN` when the programme does not take points at the till.",
        body: QuoteBody,
        response: { 200: QuoteView },
      },
    },
    async (request) => unwrap(await m.quotePoints(principalOf(request), request.body as Static<typeof QuoteBody>)),
  );

  app.post(
    "/v1/purchases/refunds",
    {
      config: { roles: ["pos", "admin"] },
      schema: {
        summary: "Refund an order, whole or in part: its points are reversed in proportion, exactly once the whole order is refunded (points already spent are owed)",
        description:
          "`amountMinor` is in the basket's value. Points that paid part of the order come back in the same proportion " +
          "(`returnedPoints`); the till pays back the rest.",
        body: RefundBody,
        response: { 200: RefundView },
      },
    },
    async (request) => unwrap(await m.refund(principalOf(request), request.body as Static<typeof RefundBody>)),
  );

  app.get(
    "/v1/users/:userId/points",
    {
      config: { roles: ["app", "admin", "marketer"] },
      schema: { summary: "A member's points balance, debt, next expiry and tier", params: UserParams, response: { 200: BalanceSchema } },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const b = unwrap(await m.balance(principalOf(request), userId));
      return { ...b, nextExpiry: b.nextExpiry ? { points: b.nextExpiry.points, at: new Date(b.nextExpiry.at).toISOString() } : null };
    },
  );

  app.get(
    "/v1/users/:userId/points/history",
    {
      config: { roles: ["app", "admin", "marketer"] },
      schema: {
        summary: "A member's ledger entries, newest first",
        params: UserParams,
        querystring: HistoryQuery,
        response: { 200: Type.Object({ entries: Type.Array(LedgerEntrySchema) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const query = request.query as Static<typeof HistoryQuery>;
      const entries = unwrap(
        await m.history(principalOf(request), userId, { limit: query.limit ?? 50, ...(query.beforeSeq === undefined ? {} : { beforeSeq: query.beforeSeq }) }),
      );
      return { entries: entries.map(entryView) };
    },
  );

  app.post(
    "/v1/users/:userId/member-code",
    {
      config: { roles: ["app"] },
      schema: {
        summary: "A fresh dynamic member code to show at the till (QR), valid a few minutes",
        params: UserParams,
        response: { 200: Type.Object({ code: Type.String(), qr: Type.String(), expiresAt: Type.String({ format: "date-time" }) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const code = unwrap(await m.memberCode(principalOf(request), userId));
      return { code: code.code, qr: code.qr, expiresAt: new Date(code.expiresAt).toISOString() };
    },
  );

  app.post(
    "/v1/users/:userId/points/adjustments",
    {
      config: { roles: ["admin"] },
      schema: {
        summary: "Adjust a member's points, with the reason",
        description: "201 when written; a repeat with the same Idempotency-Key answers 200 with the first result.",
        params: UserParams,
        headers: IdempotencyHeaders,
        body: AdjustBody,
        response: { 201: AdjustView, 200: AdjustView },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const body = request.body as Static<typeof AdjustBody>;
      const key = (request.headers as Static<typeof IdempotencyHeaders>)["idempotency-key"];
      const result = unwrap(await m.adjust(principalOf(request), userId, { ...body, idempotencyKey: key }));
      void reply.status(result.replayed ? 200 : 201);
      return { entry: entryView(result.entry), balance: result.balance, owed: result.owed };
    },
  );

  app.post(
    "/v1/users/:userId/points/transfers",
    {
      config: { roles: ["app", "admin"] },
      schema: {
        summary: "Give points to another member (where the programme allows transfers)",
        params: UserParams,
        headers: IdempotencyHeaders,
        body: TransferBody,
        response: { 201: TransferView, 200: TransferView },
      },
    },
    async (request, reply) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const body = request.body as Static<typeof TransferBody>;
      const key = (request.headers as Static<typeof IdempotencyHeaders>)["idempotency-key"];
      const result = unwrap(await m.transfer(principalOf(request), userId, { ...body, idempotencyKey: key }));
      void reply.status(result.replayed ? 200 : 201);
      return { entry: entryView(result.entry), balance: result.balance };
    },
  );

  app.get(
    "/v1/users/:userId/tier-changes",
    {
      config: { roles: ["app", "admin", "marketer"] },
      schema: {
        summary: "A member's tier changes, newest first",
        params: UserParams,
        response: { 200: Type.Object({ changes: Type.Array(TierChangeView) }) },
      },
    },
    async (request) => {
      const { userId } = request.params as Static<typeof UserParams>;
      const changes = unwrap(await m.tierChanges(principalOf(request), userId));
      return { changes: changes.map((c) => ({ fromTier: c.fromTier, toTier: c.toTier, reason: c.reason, at: new Date(c.at).toISOString() })) };
    },
  );
}

const NDJSON = "application/x-ndjson";
const CSV = "text/csv";

/**
 * CRM files: the import takes NDJSON or CSV as a stream (read line by line, never buffered whole,
 * so the API's 64 KiB JSON body limit does not apply); the exports stream NDJSON. In their own
 * scope, so no other route accepts these media types.
 */
function memberFileRoutes(app: FastifyInstance, imports: MemberImportService): void {
  void app.register(async (scope) => {
    // The raw request stream is the body: the handler reads it line by line.
    scope.addContentTypeParser([NDJSON, CSV], (_request, payload, done) => done(null, payload));

    scope.post(
      "/v1/members/import",
      {
        config: { roles: ["admin"] },
        schema: {
          summary: "Bulk upsert of members from a CRM (NDJSON or CSV, streamed)",
          description:
            "Send `Content-Type: application/x-ndjson` (one member object per line) or `text/csv` (a header " +
            "line naming the columns). Fields: id, displayName, segments (CSV: separated by `;`), loyaltyTier, " +
            "birthMonth, marketingConsent, analyticsConsent. Every bad row is reported with its line and field; " +
            "the good rows are applied; a rerun of the same file changes nothing.",
          response: { 200: ImportReportView },
        },
      },
      async (request) => {
        // Without a body, or with another media type (JSON, parsed by the API's own parser), there
        // is no stream to read: refused like any other route's wrong media type, never a 500.
        if (!(request.body instanceof Readable))
          throw new ApiError("UNSUPPORTED_MEDIA_TYPE", `send the members as ${NDJSON} or ${CSV}`);
        const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim();
        return unwrap(await imports.importMembers(principalOf(request), type === CSV ? "csv" : "ndjson", linesOf(request.body)));
      },
    );

    scope.get(
      "/v1/members/export",
      {
        config: { roles: ["admin"] },
        schema: {
          summary: "Every member as NDJSON: profile, consents, birth month",
          response: NdjsonResponse(
            "One member per line: id, orgId, displayName, segments, loyaltyTier, marketingConsent, analyticsConsent, birthMonth.",
          ),
        },
      },
      async (request, reply) => {
        const members = imports.exportMembers(principalOf(request));
        void reply.type(NDJSON);
        return reply.send(Readable.from(ndjson(members)));
      },
    );

    scope.get(
      "/v1/members/ledger/export",
      {
        config: { roles: ["admin"] },
        schema: {
          summary: "Every ledger entry as NDJSON, in writing order",
          description: "An entry names its member only when the member gave analytics consent; otherwise `memberId` is null.",
          response: NdjsonResponse(
            "One ledger entry per line: seq, id, memberId, kind, source, points, at, idempotencyKey, reference, reason, expiresAt, reverses.",
          ),
        },
      },
      async (request, reply) => {
        const entries = imports.exportLedger(principalOf(request));
        void reply.type(NDJSON);
        return reply.send(Readable.from(ndjson(entries, (e) => ({ ...e, at: new Date(e.at).toISOString(), expiresAt: iso(e.expiresAt) }))));
      },
    );
  });
}

/**
 * The lines of a stream, read only once iterated: readline starts reading at once and drops the
 * lines no iterator is waiting for yet, so it is created when the service asks for the first line.
 */
async function* linesOf(input: Readable): AsyncGenerator<string> {
  yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

async function* ndjson<T>(items: AsyncIterable<T>, view: (item: T) => unknown = (item) => item): AsyncGenerator<string> {
  for await (const item of items) yield `${JSON.stringify(view(item))}\n`;
}
