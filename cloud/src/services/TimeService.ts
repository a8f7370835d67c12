import {
  allGatewaysFilter,
  decodeGatewayMessage,
  encodeMessage,
  gatewayTopic,
  parseTopic,
  PROTOCOL_VERSION,
  type TimeReply,
} from "../../../protocol/index.js";
import type { Clock, Logger, MessageBus } from "./ports.js";

export interface TimeServiceOptions {
  readonly bus: Pick<MessageBus, "subscribe" | "publish">;
  /** The time the store's gateways run on: the cloud's own (kept by NTP on a server). */
  readonly clock: Clock;
  readonly log: Logger;
}

export interface TimeServiceCounters {
  answered: number;
  /** Not a time request of a gateway topic, or not a valid one. */
  refused: number;
}

/**
 * The cloud as the store's time reference: answers each gateway's clock request (`time`) on that
 * gateway's `time-reply` topic with when it received the request (t1) and when it sent the reply
 * (t2), as an NTP server does (RFC 5905): store networks often block NTP (UDP 123) but not the MQTT
 * uplink the gateway keeps open anyway. The broker's ACL lets a gateway ask only for itself and
 * lets only the cloud reply, so a reply cannot be forged by another gateway. Answered by one worker
 * (a shared subscription). t1 is taken first thing and t2 last, so the work between them does not
 * count in the gateway's round trip; a request that waited in the bus's queue only shows a longer
 * round trip, which the gateway's filter discards. One small reply per request, to the asker only:
 * nothing to amplify, so nothing is rate-limited here beyond what the broker limits per client.
 */
export class TimeService {
  readonly counters: TimeServiceCounters = { answered: 0, refused: 0 };
  private started = false;
  private subscribed = false;

  constructor(private readonly o: TimeServiceOptions) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.subscribed) return;
    this.subscribed = true;
    await this.o.bus.subscribe(
      allGatewaysFilter("time"),
      async (message) => {
        if (this.started) await this.handleRequest(message.topic, message.payload, this.o.clock.now());
      },
      { shared: true },
    );
  }

  stop(): void {
    this.started = false;
  }

  /**
   * Answers one request received at `t1` (the cloud's clock); public so tests can drive it without
   * a broker. Never rejects: a reply that cannot be published is a sample the gateway does without.
   */
  async handleRequest(topic: string, payload: Buffer, t1: number): Promise<void> {
    const parsed = parseTopic(topic);
    if (parsed?.scope !== "gateway" || parsed.channel !== "time") {
      this.counters.refused++;
      return;
    }
    const decoded = decodeGatewayMessage("time", payload);
    if (!decoded.ok) {
      this.counters.refused++;
      this.o.log.debug({ storeId: parsed.storeId, gatewayId: parsed.gatewayId }, "time request refused");
      return;
    }
    const reply: TimeReply = { v: PROTOCOL_VERSION, id: decoded.value.id, t0: decoded.value.t0, t1, t2: this.o.clock.now() };
    try {
      await this.o.bus.publish(gatewayTopic(parsed.storeId, parsed.gatewayId, "time-reply"), encodeMessage(reply), { qos: 0, retain: false });
      this.counters.answered++;
    } catch (err) {
      this.o.log.debug({ err, storeId: parsed.storeId, gatewayId: parsed.gatewayId }, "time reply not published");
    }
  }
}
