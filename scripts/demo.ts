/**
 * `npm start`: the whole system on embedded defaults. The cloud (embedded MQTT broker on
 * 127.0.0.1:1883, HTTP API on 127.0.0.1:8080, SQLite under ./data), one simulated store with two
 * gateways running the real gateway pipeline on simulated radio input, six app users whose phones
 * receive offers, and the demo rules of scripts/demo/demoStore.ts. Ctrl-C stops everything cleanly.
 *
 * Flags: --http-port N, --mqtt-port N, --ws-port N, --data-dir DIR, --seed N, --log-level LEVEL;
 * or the ARRIVAL_* environment variables of the cloud (see README). Keys and passwords stay valid
 * across restarts on the same data directory.
 */
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import { createLogger } from "../cloud/src/adapters/log/createLogger.js";
import { ENVIRONMENT, parseCloudConfig, setPath } from "../cloud/src/config/loadConfig.js";
import { decodeUserMessage, formatProblems, storeTopic, userTopic } from "../protocol/index.js";
import type { DemoRetailEvent } from "./demo/DemoRetail.js";
import {
  DEMO_BATCHES,
  DEMO_CHANNEL_TAGS,
  DEMO_LOYALTY_PROGRAM,
  DEMO_NEWCOMER_EVERY_MS,
  DEMO_ORG,
  DEMO_RULES,
  DEMO_STORE,
  DEMO_USERS,
  demoNewcomer,
} from "./demo/demoStore.js";
import { loopbackFor, startDemo } from "./demo/demoSystem.js";

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const WEEKDAY_NAMES = { mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday", sun: "Sunday" } as const;
const hkd = (minor: number): string => `HK$${(minor / 100).toFixed(2)}`;

/** One line in plain words for each thing the members, the online shop and the till do. */
function describeRetailEvent(event: DemoRetailEvent, nameOf: (userId: string) => string): string {
  switch (event.kind) {
    case "claimed":
      return `🎟️ ${nameOf(event.userId)} claimed "${event.title}" online from ${DEMO_CHANNEL_TAGS[event.channelTag]} (code ${event.code}).`;
    case "claim-refused": {
      const why = event.reason === "LIMIT_REACHED" ? "one per member, and it was claimed before" : event.reason === "OUT_OF_STOCK" ? "out of stock" : event.text;
      return `🎟️ ${nameOf(event.userId)} could not claim "${event.title}": ${why}.`;
    }
    case "gift-offered":
      return `🎁 ${nameOf(event.fromUserId)} shared "${event.title}" as a gift link.`;
    case "gift-declined":
      return `🎁 ${nameOf(event.toUserId)} declined ${nameOf(event.fromUserId)}'s "${event.title}", having had one already (one per member): it stays with ${nameOf(event.fromUserId)}.`;
    case "gift-accepted":
      return `🎁 ${nameOf(event.fromUserId)} gave "${event.title}" to ${nameOf(event.toUserId)}, who accepted it: its new code is ${event.code} (the old one no longer works).`;
    case "pickup-ordered":
      return `🛍️ ${nameOf(event.userId)} ordered online for pick-up at ${DEMO_STORE.name} (order ${event.orderId}, pick-up code ${event.code}).`;
    case "pickup-arrived":
      return `📦 ${nameOf(event.userId)} is at the store: the counter was told to have order ${event.orderId} ready.`;
    case "pickup-collected":
      return `✅ ${nameOf(event.userId)} collected order ${event.orderId} at the counter with the pick-up code.`;
    case "coupon-redeemed":
      return `🧾 At the till, ${nameOf(event.userId)}'s "${event.title}" took ${hkd(event.discountMinor)} off a basket of ${hkd(event.totalMinor)} (${event.text}).`;
    case "coupon-refused":
      return `🧾 ${nameOf(event.userId)}'s "${event.title}" was not applied at the till: ${event.text}.`;
    case "purchase": {
      const day = event.multiplier > 1 ? ` (×${event.multiplier}, member day)` : "";
      return `💳 ${nameOf(event.userId)} paid ${hkd(event.totalMinor)} at the till showing the app's member code: +${event.points} points${day}, balance ${event.balance}.`;
    }
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "http-port": { type: "string" },
      "mqtt-port": { type: "string" },
      "ws-port": { type: "string" },
      "data-dir": { type: "string" },
      "log-level": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    out(
      "Usage: npm start -- [--http-port N] [--mqtt-port N] [--ws-port N] [--data-dir DIR] [--seed N] [--log-level LEVEL]",
    );
    return 0;
  }
  // The broker's WebSocket listener serves the shopper page's MQTT connection.
  const document: Record<string, unknown> = {
    mqtt: { mode: "embedded", websocket: { port: 8083 } },
    log: { level: "warn" },
  };
  for (const [name, path] of Object.entries(ENVIRONMENT)) {
    const value = process.env[name];
    if (value !== undefined && value !== "") setPath(document, path, value);
  }
  if (values["http-port"]) setPath(document, ["http", "port"], values["http-port"]);
  if (values["mqtt-port"]) setPath(document, ["mqtt", "port"], values["mqtt-port"]);
  if (values["ws-port"]) setPath(document, ["mqtt", "websocket", "port"], values["ws-port"]);
  if (values["data-dir"]) setPath(document, ["dataDir"], values["data-dir"]);
  if (values["log-level"]) setPath(document, ["log", "level"], values["log-level"]);
  const parsed = parseCloudConfig(document);
  if (!parsed.ok) {
    console.error(`Invalid configuration:\n${formatProblems(parsed.problems)}`);
    return 2;
  }
  const config = parsed.config;
  const log = createLogger({ level: config.log.level, format: config.log.format, name: "arrival" });
  const seed = values.seed === undefined ? 7 : Number(values.seed);

  out("Starting Arrival: cloud, embedded broker, demo store with two simulated gateways…");
  const names = new Map(DEMO_USERS.map((u) => [u.id, u.displayName]));
  const nameOf = (userId: string): string => {
    const newcomer = /^u-new-(\d+)$/.exec(userId);
    return names.get(userId) ?? (newcomer ? demoNewcomer(Number(newcomer[1])).displayName : userId);
  };
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo({
    cloudConfig: config,
    log,
    seed,
    shopperPage: true,
    onRetailEvent: (event) => out(describeRetailEvent(event, nameOf)),
    onOfferIssued: (offer) =>
      out(
        `🎯 ${new Date(offer.issuedAt).toLocaleTimeString()} issued "${offer.title}" to ${nameOf(offer.userId)} (rule ${offer.ruleId}, zone ${offer.zoneId})`,
      ),
    });
  } catch (err) {
    const busy = err as { code?: unknown; port?: unknown };
    if (busy.code !== "EADDRINUSE") throw err;
    // One line naming the flag, not a stack trace: which port is busy decides which flag moves it.
    const port = Number(busy.port);
    const flag =
      port === config.http.port ? "--http-port" : config.mqtt.mode === "embedded" && port === config.mqtt.port ? "--mqtt-port" : "--ws-port";
    console.error(`Port ${Number.isFinite(port) ? port : "?"} is in use (another Arrival demo?): stop it, or choose another port with ${flag} N.`);
    return 1;
  }
  const host = loopbackFor(config.mqtt.mode === "embedded" ? config.mqtt.host : "127.0.0.1");
  const mqttPort = demo.cloud.mqttPort();
  const httpPort = demo.cloud.httpPort();

  // The demo shoppers' phones: each signs in with its own credentials and listens on its own topic,
  // exactly as the retailer's app would.
  const phones = DEMO_USERS.map((user) => {
    const login = demo.credentials.apps[user.id];
    if (!login) throw new Error(`no credentials for ${user.id}`);
    const client = mqtt.connect(`mqtt://${host}:${mqttPort}`, {
      clientId: `${login.username}:demo-phone`,
      username: login.username,
      password: login.password,
      clean: false,
      reconnectPeriod: 1000,
    });
    client.on("connect", () => {
      // A phone reconnecting just as the demo stops loses its SUBACK; that is not an error.
      client.subscribeAsync(userTopic(user.id, "offers"), { qos: 1 }).catch(() => undefined);
    });
    client.on("message", (_topic, payload) => {
      const message = decodeUserMessage("offers", payload);
      if (!message.ok) return;
      const offer = message.value;
      const until = new Date(offer.expiresAt).toLocaleTimeString();
      out(
        `📱 ${user.displayName} got "${offer.title}" — ${offer.text} Code ${offer.code}, valid until ${until}.`,
      );
    });
    return client;
  });

  const ada = demo.credentials.apps["u-ada"];
  out("");
  out(
    `Cloud: MQTT on ${host}:${mqttPort}, HTTP on http://${config.http.host}:${httpPort}, data in ${config.dataDir}`,
  );
  out(`Console: http://${config.http.host}:${httpPort}/console/ (sign in with the marketer key ${demo.credentials.marketerKey})`);
  out(`Metrics: curl -s http://${config.http.host}:${httpPort}/metrics -H 'Authorization: Bearer ${demo.credentials.adminKey}'`);
  out(`Keys and passwords stay valid across restarts on ${config.dataDir}.`);
  const flashLimits = DEMO_RULES.find((r) => r.id === "flash-coffee")?.spec.limits;
  const flash = flashLimits && "budget" in flashLimits ? flashLimits.budget : undefined;
  out(
    `Shoppers start walking in now: six regulars come and go, and a new member signs up and walks in every ${DEMO_NEWCOMER_EVERY_MS / 1000} s for as long as the demo runs.`,
  );
  out(
    `Offers appear below as they are issued (🎯) and as the regulars' phones receive them (📱). Each shopper gets at most ${DEMO_ORG.maxOffersPerUserPerDay} a day and one welcome ever, so after a few minutes the offers go to the newcomers${flash === undefined ? "" : `; the free-coffee flash stops after its ${flash} coupons`}.`,
  );
  const program = DEMO_LOYALTY_PROGRAM;
  const earn = program.earnRules[0];
  const memberDay = program.memberDays[0];
  out(
    `One membership for the app and the till: ${earn ? `${earn.points} point per ${hkd(earn.perAmountMinor)} spent, ` : ""}${program.visit ? `${program.visit.points} points a visit (at most ${program.visit.maxPerDay} a day)` : "no visit points"}${memberDay ? `, ×${memberDay.multiplier} points on member days (${memberDay.when.kind === "weekday" ? `${WEEKDAY_NAMES[memberDay.when.weekday]}s` : memberDay.id})` : ""}.`,
  );
  out(
    `Coupons: "${DEMO_BATCHES.lipstick.spec.title}" claimed online from tagged links and posters, and "${DEMO_BATCHES.friendCoffee.spec.title}" given to a friend. Shoppers pay at the till after 30 s in the store: coupons are redeemed against the basket (🧾), members without one show the app's member code and earn points (💳). Claims (🎟️), gifts (🎁) and click-and-collect orders (🛍️ ordered, 📦 customer arrived, ✅ collected) appear below too.`,
  );
  out("");
  out("Watch Ada's offers with a stock MQTT client:");
  out(
    `  mosquitto_sub -h ${host} -p ${mqttPort} -i ${ada?.username}:cli -u ${ada?.username} -P '${ada?.password}' -t '${userTopic("u-ada", "offers")}' -q 1 -v`,
  );
  const counter = demo.credentials.counter;
  out("Hear click-and-collect arrivals as the store's pick-up counter does (its own login: this store's pick-ups only):");
  out(
    `  mosquitto_sub -h ${host} -p ${mqttPort} -i ${counter.username}:cli -u ${counter.username} -P '${counter.password}' -t '${storeTopic(DEMO_STORE.id, "pickups")}' -q 1 -v`,
  );
  out("Redeem a code at the till (replace CODE with one printed below):");
  out(
    `  curl -s -X POST http://${config.http.host}:${httpPort}/v1/redemptions -H 'Authorization: Bearer ${demo.credentials.posKey}' -H 'Content-Type: application/json' -H "Idempotency-Key: $(date +%s%N)" -d '{"code":"CODE"}'`,
  );
  out("Ada's points and how she earned them (visits, purchases):");
  out(`  curl -s http://${config.http.host}:${httpPort}/v1/users/u-ada/points/history -H 'Authorization: Bearer ${demo.credentials.adminKey}'`);
  out("Coupons claimed, gifted and redeemed, by batch, channel and day:");
  out(
    `  curl -s "http://${config.http.host}:${httpPort}/v1/coupon-analytics?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 86_400_000).toISOString()}" -H 'Authorization: Bearer ${demo.credentials.marketerKey}'`,
  );
  out("See why each rule did or did not send Ada an offer:");
  out(
    `  curl -s http://${config.http.host}:${httpPort}/v1/users/u-ada/decisions -H 'Authorization: Bearer ${demo.credentials.marketerKey}'`,
  );
  // Listening before the banner says so: a Ctrl-C the moment "Press Ctrl-C" shows must stop the
  // demo cleanly, not find Node's default handler and kill it mid-write.
  const stopRequested = new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const page = demo.shopperPageUrl("u-ada");
  if (page) {
    out("Open Ada's phone in a browser (offers appear live, with their countdown and code):");
    out(`  ${page}`);
  }
  out("Press Ctrl-C to stop.");
  out("");

  await stopRequested;
  out("\nStopping…");
  // A phone still waiting for its CONNACK has nothing to finish; ending it gracefully would wait
  // out MQTT.js's connect timeout.
  await Promise.all(phones.map((p) => p.endAsync(!p.connected)));
  await demo.stop();
  out("Stopped.");
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
