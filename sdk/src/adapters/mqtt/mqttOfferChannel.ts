import mqtt from "mqtt";
import type { OfferChannel, OfferChannelFactory } from "../../ports.js";

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
  });
  let closing = false;
  client.on("connect", () => {
    handlers.onState("connected");
    handlers.onConnect();
  });
  client.on("reconnect", () => handlers.onState("reconnecting"));
  client.on("offline", () => {
    if (!closing) handlers.onState("offline");
  });
  client.on("error", (err) => handlers.onError(err));
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
