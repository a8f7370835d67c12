/** Push delivery policy: quiet hours in the store's local time, retry backoff. */
export * from "./pushSchedule.js";
