import { createCloudFixture } from "../cloud/cloudFixture.js";
import {
  externalMqttConfig,
  MOSQUITTO_AVAILABLE,
  MOSQUITTO_SKIP_REASON,
  type MosquittoInstance,
  startMosquitto,
} from "../support/mosquitto.js";
import { brokerContract } from "./brokerContract.js";

/** The same ingest, offer and access-control tests against both brokers the cloud runs with. */
brokerContract("embedded aedes", async () => {
  const fixture = await createCloudFixture();
  return { fixture, url: `mqtt://127.0.0.1:${fixture.cloud.mqttPort()}`, close: () => fixture.close() };
});

brokerContract(
  "external mosquitto with dynamic security",
  async () => {
    const broker: MosquittoInstance = await startMosquitto();
    try {
      const { mqtt } = await externalMqttConfig(broker);
      const fixture = await createCloudFixture({ mqtt });
      return {
        fixture,
        url: broker.url,
        async close() {
          await fixture.close();
          await broker.stop();
        },
      };
    } catch (err) {
      await broker.stop();
      throw err;
    }
  },
  MOSQUITTO_AVAILABLE ? null : MOSQUITTO_SKIP_REASON,
);
