import { describe, expect, it } from "vitest";
import { parseCloudConfig } from "../../../cloud/src/config/loadConfig.js";

const problemsOf = (document: unknown) => {
  const parsed = parseCloudConfig(document);
  return parsed.ok ? [] : parsed.problems;
};

/** The `mqtt` section: embedded by default, external by URL, every mistake reported with its path. */
describe("cloud mqtt config", () => {
  it("stays embedded on 127.0.0.1:1883 with no mqtt section, no TLS and no WebSocket listener", () => {
    const parsed = parseCloudConfig({});
    expect(parsed.ok && parsed.config.mqtt).toEqual({
      mode: "embedded",
      host: "127.0.0.1",
      port: 1883,
      maxPayloadBytes: 256 * 1024,
      maxInflightMessages: 100,
      maxQueuedPerClient: 42,
      connectionsPerSecondPerIp: 20,
      connectionBurstPerIp: 100,
    });
  });

  it("takes a section without a mode as embedded, or as external when it names a url", () => {
    const embedded = parseCloudConfig({ mqtt: { port: 1884, websocket: {} } });
    expect(embedded.ok && embedded.config.mqtt).toMatchObject({
      mode: "embedded",
      port: 1884,
      websocket: { host: "127.0.0.1", port: 8083, path: "/mqtt" },
    });
    const external = parseCloudConfig({
      mqtt: {
        url: "mqtts://broker:8883",
        username: "svc.cloud",
        passwordFile: "/run/secrets/mqtt",
        dynsec: { username: "admin", passwordFile: "/run/secrets/dynsec" },
      },
    });
    expect(external.ok && external.config.mqtt).toEqual({
      mode: "external",
      url: "mqtts://broker:8883",
      username: "svc.cloud",
      passwordFile: "/run/secrets/mqtt",
      dynsec: { username: "admin", passwordFile: "/run/secrets/dynsec" },
      keepaliveS: 30,
      sessionExpiryS: 3600,
      // The cloud's workers split gateway events and location reports in this shared group.
      shareGroup: "arrival-cloud",
      provisioning: "mosquitto-dynsec",
    });
  });

  it("reports every problem of the branch the mode names, with its path", () => {
    expect(problemsOf({ mqtt: { mode: "external", url: "http://x", port: 1883 } })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/mqtt/url" }),
        { path: "/mqtt/username", message: "is required" },
        expect.objectContaining({ path: "/mqtt", message: expect.stringMatching(/unknown field "port"/) }),
      ]),
    );
    expect(problemsOf({ mqtt: { mode: "embedded", tls: { port: 8883 } } })).toEqual([
      { path: "/mqtt/tls/certFile", message: "is required" },
      { path: "/mqtt/tls/keyFile", message: "is required" },
    ]);
    expect(problemsOf({ mqtt: { mode: "cloudy" } })).toEqual([
      expect.objectContaining({ path: "/mqtt/mode" }),
    ]);
  });

  it("needs exactly one password source per account, and a dynsec admin to provision mosquitto", () => {
    const base = { mode: "external", url: "mqtt://broker:1883", username: "svc.cloud", provisioning: "none" };
    expect(problemsOf({ mqtt: base })).toEqual([
      { path: "/mqtt", message: "the service account needs password or passwordFile" },
    ]);
    expect(problemsOf({ mqtt: { ...base, password: "a", passwordFile: "/f" } })).toEqual([
      { path: "/mqtt", message: "set password or passwordFile, not both" },
    ]);
    expect(
      problemsOf({ mqtt: { ...base, password: "a", dynsec: { username: "admin", password: "b", passwordFile: "/f" } } }),
    ).toEqual([{ path: "/mqtt/dynsec", message: "set password or passwordFile, not both" }]);
    expect(problemsOf({ mqtt: { ...base, password: "a", provisioning: "mosquitto-dynsec" } })).toEqual([
      expect.objectContaining({ path: "/mqtt/dynsec", message: expect.stringMatching(/required to provision mosquitto/) }),
    ]);
    expect(
      problemsOf({ mqtt: { ...base, password: "a", provisioning: "mosquitto-dynsec", dynsec: { username: "admin" } } }),
    ).toEqual([{ path: "/mqtt/dynsec", message: "the dynsec admin account needs password or passwordFile" }]);
  });
});
