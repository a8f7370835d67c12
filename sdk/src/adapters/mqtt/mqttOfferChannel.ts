import mqtt from "mqtt";
import type { OfferChannel, OfferChannelFactory } from "../../ports.js";

/**
 * CONNACK codes that refuse the credential itself, so retrying with it cannot succeed: MQTT 3.1.1
 * §3.2.2.3 (4 bad user name or password, 5 not authorized) and MQTT 5 §3.2.2.2 (0x86 bad user name
 * or password, 0x87 not authorized, 0x8A banned, 0x8C bad authentication method).
 */
const CREDENTIAL_REFUSED = new Set([4, 5, 0x86, 0x87, 0x8a, 0x8c]);

/**
 * The MQTT transport of the client: MQTT.js over WebSocket, which runs in browsers and React
 * Native (bundlers pick MQTT.js's browser build through its `browser`/`react-native` exports) and
 * in Node. MQTT.js reconnects by itself every `reconnectPeriodMs`; a clean session is used on
 * purpose, because the client catches up on pending offers over HTTP after every connection, so
 * no broker needs to hold a queue for a phone that may never come back.
 */
export const mqttOfferChannel: OfferChannelFactory = (options, handlers): OfferChannel => {
  const client = mqtt.connect(options.url, {
    username: options.username,
    password: options.password,
    clientId: options.clientId,
    clean: true,
    reconnectPeriod: options.reconnectPeriodMs,
    connectTimeout: 10_000,
    keepalive: 30,
    // MQTT.js stops for good after any refused CONNACK; a busy or rate-limiting broker (3 server
    // unavailable) must be retried, so reconnection stays on and a refused credential ends it below.
    reconnectOnConnackError: true,
  });
  let closing = false;
  // Set by the CONNACK that precedes its "error" event, so a PUBACK's 0x87 is not taken for it.
  let refusedCode: number | null = null;
  client.on("packetreceive", (packet) => {
    if (packet.cmd !== "connack") return;
    const code = packet.reasonCode ?? packet.returnCode ?? 0;
    refusedCode = CREDENTIAL_REFUSED.has(code) ? code : null;
  });
  client.on("connect", () => {
    handlers.onState("connected");
    handlers.onConnect();
  });
  client.on("reconnect", () => handlers.onState("reconnecting"));
  client.on("offline", () => {
    if (!closing) handlers.onState("offline");
  });
  client.on("error", (err) => {
    if (refusedCode === null || closing) {
      handlers.onError(err);
      return;
    }
    // The credential was revoked or is wrong: every retry would be refused the same way, so stop
    // here (end() marks the client as disconnecting before MQTT.js would arm the next attempt).
    const code = refusedCode;
    refusedCode = null;
    closing = true;
    client.end(true, () => handlers.onRefused(code, err.message));
  });
  client.on("message", (topic, payload) => handlers.onMessage(topic, new Uint8Array(payload)));
  handlers.onState("connecting");
  return {
    subscribe: (topic) =>
      new Promise<void>((resolve, reject) => {
        client.subscribe(topic, { qos: 1 }, (err, granted) => {
          if (err) reject(err);
          else if (granted?.some((g) => g.qos === 128)) reject(new Error(`subscription to ${topic} refused`));
          else resolve();
        });
      }),
    publish: (topic, payload) =>
      new Promise<void>((resolve, reject) => {
        client.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
      }),
    close: async () => {
      closing = true;
      await client.endAsync(true);
      handlers.onState("closed");
    },
  };
};
