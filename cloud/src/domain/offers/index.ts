/** Offer policy: building offers from decisions, redemption codes, lifecycle, reminders. */
export * from "./offer.js";
export * from "./offerError.js";
export * from "./offerLifecycle.js";
export * from "./redemptionCode.js";
export * from "./reminder.js";
export * from "./redemptionLockout.js";
