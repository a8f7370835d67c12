import { describe, expect, it } from "vitest";
import { endpointProblem } from "../../../cloud/src/services/push/PushService.js";

describe("Web Push endpoints the cloud may call", () => {
  it.each([
    ["https://fcm.googleapis.com/fcm/send/abc", null],
    ["https://updates.push.services.mozilla.com/wpush/v2/x", null],
    ["https://8.8.8.8/push", null],
    ["http://push.example.com/x", "must be an https URL"],
    ["https://localhost/x", "must be on a public host"],
    ["https://intranet/x", "must be on a public host"],
    ["https://printer.local/x", "must be on a public host"],
    ["https://127.0.0.1/x", "must be on a public address"],
    ["https://10.1.2.3/x", "must be on a public address"],
    ["https://172.20.0.1/x", "must be on a public address"],
    ["https://192.168.1.1/x", "must be on a public address"],
    ["https://169.254.169.254/latest/meta-data", "must be on a public address"],
    ["https://100.64.0.1/x", "must be on a public address"],
    ["https://[::1]/x", "must be on a public address"],
    ["https://[fd00::1]/x", "must be on a public address"],
    ["https://[::ffff:127.0.0.1]/x", "must be on a public address"],
    ["https://user:pw@push.example.com/x", "must not carry credentials"],
    ["file:///etc/passwd", "must be an https URL"],
    ["not a url", "must be an absolute URL"],
  ])("%s: %s", (endpoint, problem) => {
    expect(endpointProblem(endpoint, false)).toBe(problem);
  });

  it("lets a development cloud use a local push service, over http too, but nothing else", () => {
    expect(endpointProblem("http://127.0.0.1:8080/push/1", true)).toBeNull();
    expect(endpointProblem("ftp://127.0.0.1/x", true)).toBe("must be an http(s) URL");
  });
});
