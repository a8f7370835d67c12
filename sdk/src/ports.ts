/**
 * Connection states the client reports, in the order a healthy session goes through them;
 * `refused` means the broker refused the credential (revoked, or the user was deleted): the client
 * has stopped and will not retry until it is started again with a new token.
 */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline" | "closed" | "refused";

/** What the client needs from an MQTT transport; `adapters/mqtt` implements it with MQTT.js. */
export interface OfferChannel {
  /** Subscribes (QoS 1) to one topic; resolves when the broker granted it. */
  subscribe(topic: string): Promise<void>;
  /** Publishes at QoS 1; while the link is down the transport queues it until it reconnects. */
  publish(topic: string, payload: string): Promise<void>;
  /** Closes the connection for good; no reconnect follows. */
  close(): Promise<void>;
}

export interface OfferChannelHandlers {
  /** Called on the first connection and after every reconnection. */
  onConnect(): void;
  onMessage(topic: string, payload: Uint8Array): void;
  onState(state: ConnectionState): void;
  onError(err: Error): void;
  /**
   * The broker refused the credential (`code`: the CONNACK return or reason code); the channel has
   * closed itself and does not reconnect.
   */
  onRefused(code: number, message: string): void;
}

export interface OfferChannelOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  /** Delay between reconnection attempts, milliseconds. */
  readonly reconnectPeriodMs: number;
}

export type OfferChannelFactory = (options: OfferChannelOptions, handlers: OfferChannelHandlers) => OfferChannel;

/** The standard `fetch` (browsers, React Native, Node 18+); injectable for tests. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;
