/**
 * The local Web Push service of the push benchmark, in a process of its own (as a real push service
 * is): `npx tsx scripts/bench/pushService.ts <subscriptions> <applicationServerKey>` prints one JSON
 * line with the subscriptions (endpoint and keys, as a browser hands them over), then serves; each
 * line read on stdin is answered with one JSON line of what it received and refused so far, and the
 * CPU it has used (ms).
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
for await (const _line of createInterface({ input: process.stdin })) {
  const cpu = process.cpuUsage();
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  process.stdout.write(`${JSON.stringify({ received: service.received.length, errors: service.errors.length, cpuMs })}\n`);
}
await service.stop();
