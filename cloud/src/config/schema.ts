import Type, { type Static } from "typebox";
import { StringEnum } from "../../../protocol/index.js";

/** The cloud's configuration: file, environment and flags merge into this, validated at start-up. */
export const CloudConfigSchema = Type.Object(
  {
    dataDir: Type.String({ default: "./data", description: "Directory of the SQLite database." }),
    http: Type.Object(
      {
        host: Type.String({ default: "127.0.0.1" }),
        port: Type.Integer({
          minimum: 0,
          maximum: 65535,
          default: 8080,
          description: "0 picks a free port.",
        }),
        rateLimitPerMinute: Type.Integer({ minimum: 1, default: 1200 }),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Object(
      {
        mode: StringEnum(["embedded"] as const, { description: "embedded: aedes inside this process." }),
        host: Type.String({ default: "127.0.0.1" }),
        port: Type.Integer({
          minimum: 0,
          maximum: 65535,
          default: 1883,
          description: "0 picks a free port.",
        }),
        maxPayloadBytes: Type.Integer({ minimum: 1024, maximum: 16 * 1024 * 1024, default: 256 * 1024 }),
      },
      { additionalProperties: false, default: { mode: "embedded" } },
    ),
    offers: Type.Object(
      {
        maxEventAgeS: Type.Integer({
          minimum: 1,
          default: 600,
          description: "Older events trigger no offer.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: StringEnum(["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const, {
          default: "info",
        }),
        format: StringEnum(["auto", "json", "pretty"] as const, { default: "auto" }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type CloudConfig = Static<typeof CloudConfigSchema>;
