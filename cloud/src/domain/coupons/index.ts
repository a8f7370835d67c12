/** Coupon wallet policy: batches, baskets, discounts, redemption, voids and gifts (pure). */
export * from "./basket.js";
export * from "./coupon.js";
export * from "./couponBatch.js";
export * from "./couponDiscount.js";
export * from "./pickup.js";
