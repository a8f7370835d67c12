import Type, { type Static } from "typebox";
import { Checker, ID_PATTERN, type Problem } from "../../../protocol/index.js";
import { decodeBase64url, encodeBase64url, utf8Decode, utf8Encode } from "./base64url.js";

/**
 * What a shopper's app needs to talk to Arrival, handed to it by the retailer's own app backend
 * after the shopper signs in there. The backend holds an admin key and, once per install, issues
 * an app API key (`POST /v1/api-keys`, role `app`, the user's id) and an MQTT credential
 * (`POST /v1/users/{userId}/credentials`), then packs both into this token. The app never sees an
 * admin key; each of its secrets is bound to one user and reaches only that user's data and topic.
 */
export const AppTokenSchema = Type.Object(
  {
    v: Type.Literal(1),
    userId: Type.String({ pattern: ID_PATTERN, description: "The shopper's user id at Arrival." }),
    apiUrl: Type.String({ pattern: "^https?://", description: "Base URL of the HTTP API, no trailing path." }),
    apiKey: Type.String({ minLength: 8, maxLength: 256, description: "The install's app API key." }),
    mqtt: Type.Object(
      {
        url: Type.String({ pattern: "^wss?://", description: "MQTT over WebSocket, e.g. wss://host/mqtt." }),
        username: Type.String({ minLength: 1, maxLength: 128 }),
        password: Type.String({ minLength: 1, maxLength: 256 }),
        clientId: Type.String({ minLength: 1, maxLength: 128 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type AppToken = Static<typeof AppTokenSchema>;

const checker = new Checker(AppTokenSchema);
const PREFIX = "arrival-app-1.";

/** Packs a token for the app (used by the app backend). */
export function encodeAppToken(token: AppToken): string {
  return PREFIX + encodeBase64url(utf8Encode(JSON.stringify(token)));
}

/** Unpacks and validates a token; every problem is reported with its path. */
export function decodeAppToken(
  text: string,
): { ok: true; value: AppToken } | { ok: false; problems: Problem[] } {
  if (!text.startsWith(PREFIX)) return { ok: false, problems: [{ path: "", message: `must start with ${PREFIX}` }] };
  const bytes = decodeBase64url(text.slice(PREFIX.length));
  if (!bytes) return { ok: false, problems: [{ path: "", message: "not base64url" }] };
  let value: unknown;
  try {
    value = JSON.parse(utf8Decode(bytes));
  } catch {
    return { ok: false, problems: [{ path: "", message: "not JSON" }] };
  }
  return checker.check(value);
}
