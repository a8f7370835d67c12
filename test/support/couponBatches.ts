/**
 * A coupon batch as a marketer writes it (the `spec` of POST /v1/coupon-batches), for tests that
 * need a batch to claim and redeem rather than tests of batches themselves: each spreads it and
 * says only what differs.
 */

/**
 * HKD 20 off from HKD 100 spent on lipsticks (the discount falls on the lipstick lines only), valid
 * a day from its claim, at store s1 in Hong Kong, claimed online or issued at the till.
 */
export const LIPSTICK_BATCH = {
  title: "HKD 20 off HKD 100 on lipsticks",
  text: "This week",
  discount: { kind: "amount", amountMinor: 2000, currency: "HKD", minSpendMinor: 10000, eligible: { categories: ["lipstick"] } },
  validity: { kind: "from-claim", hours: 24 },
  timezone: "Asia/Hong_Kong",
  storeIds: ["s1"],
  channels: ["online", "till"],
};
