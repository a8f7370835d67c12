/** The shopper app's client library of Arrival. */
export { ArrivalClient } from "./ArrivalClient.js";
export type {
  ArrivalClientEvents,
  ArrivalClientOptions,
  EidRegistration,
  GeofenceFix,
  MemberCode,
  PointsBalance,
  PointsEntry,
  PointsExchangeResult,
  PushRegistrationInfo,
  PushTarget,
  RegisteredBeacon,
  Timers,
  WalletCoupon,
} from "./ArrivalClient.js";
export type { BeaconIdentity } from "../../protocol/index.js";
export { ArrivalClientError, type ArrivalClientErrorCode } from "./ArrivalClientError.js";
export { type AppToken, AppTokenSchema, decodeAppToken, encodeAppToken } from "./domain/appToken.js";
export {
  type ClientOffer,
  codeFromRedemptionPayload,
  OfferInbox,
  redemptionPayload,
} from "./domain/OfferInbox.js";
export { type PushPayload, readPushPayload } from "./domain/pushPayload.js";
export type { ConnectionState, Fetch, OfferChannel, OfferChannelFactory } from "./ports.js";
