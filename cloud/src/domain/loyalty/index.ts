/** Membership policy: the points ledger, the loyalty programme (earning, member days, tiers), member codes. */
export * from "./ledger.js";
export * from "./loyaltyProgram.js";
export * from "./memberCode.js";
export * from "./memberImport.js";
export * from "./pointsRedemption.js";
export * from "./refunds.js";
