/** The store beacon's keys and the resolution of phones' sightings (pure). */
export * from "./storeBeacon.js";
