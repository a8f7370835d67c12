/**
 * The local Web Push service of the push benchmark, in a process of its own (as a real push service
 * is): `npx tsx scripts/bench/pushService.ts <subscriptions> <applicationServerKey>` prints one JSON
 * line with the subscriptions (endpoint and keys, as a browser hands them over), then serves; each
 * line read on stdin is answered with one JSON line of what it received and refused so far, and the
 * CPU it has used (ms); the line `receipts` is answered with the pushes accepted since the last such
 * line: `{"receipts":[{"offerId","at"}]}`, `at` the arrival of the request (epoch ms, sub-ms).
 */
import { createInterface } from "node:readline";
import { FakeWebPushService } from "../../test/support/FakeWebPushService.js";

const [count = "0", applicationServerKey = ""] = process.argv.slice(2);
const service = new FakeWebPushService(applicationServerKey);
await service.start();
const subscriptions = Array.from({ length: Number(count) }, () => {
  const { endpoint, keys } = service.subscribe();
  return { endpoint, keys };
});
process.stdout.write(`${JSON.stringify({ subscriptions })}\n`);
let reported = 0;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "receipts") {
    const receipts = service.received.slice(reported).map((r) => ({ offerId: (r.payload as { offerId?: unknown }).offerId, at: r.receivedAt }));
    reported = service.received.length;
    process.stdout.write(`${JSON.stringify({ receipts })}\n`);
    continue;
  }
  const cpu = process.cpuUsage();
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  process.stdout.write(`${JSON.stringify({ received: service.received.length, errors: service.errors.length, cpuMs })}\n`);
}
await service.stop();
