/** The wire contract shared by gateway and cloud. Imports nothing from either application. */
export * from "./errors.js";
export * from "./ids.js";
export * from "./messages.js";
export * from "./schema.js";
export * from "./topics.js";
export * from "./subjectIds.js";
export * from "./aes128.js";
export * from "./eddystoneEid.js";
export * from "./storeBeacon.js";
