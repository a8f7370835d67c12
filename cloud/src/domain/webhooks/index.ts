export * from "./webhookEvent.js";
export * from "./webhookRetry.js";
export * from "./webhookSignature.js";
export * from "./webhookUrl.js";
