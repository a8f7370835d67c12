import { describe, expect, it } from "vitest";
import { parseCloudConfig } from "../../../cloud/src/config/loadConfig.js";

const webPush = (extra: Record<string, unknown>) => ({
  push: { webPush: { subject: "mailto:ops@arrival.invalid", vapidKeyFile: "/run/secrets/vapid.pem", ...extra } },
});

/** `push.webPush.encryptionThreads`: how many threads encrypt Web Push messages (0: the event loop). */
describe("cloud push config: Web Push encryption threads", () => {
  it("leaves the count to the cores when absent, and takes 0 or a small count as given", () => {
    const absent = parseCloudConfig(webPush({}));
    expect(absent.ok && absent.config.push.webPush?.encryptionThreads).toBeUndefined();
    for (const threads of [0, 2]) {
      const parsed = parseCloudConfig(webPush({ encryptionThreads: threads }));
      expect(parsed.ok && parsed.config.push.webPush?.encryptionThreads).toBe(threads);
    }
  });

  it("refuses a negative, fractional or oversized count, naming the field", () => {
    for (const threads of [-1, 1.5, 17, "2"]) {
      const parsed = parseCloudConfig(webPush({ encryptionThreads: threads }));
      expect(parsed.ok ? [] : parsed.problems).toEqual([expect.objectContaining({ path: "/push/webPush/encryptionThreads" })]);
    }
  });
});
