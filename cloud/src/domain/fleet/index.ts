/** Fleet operation: gateway health from what the cloud hears, and the configs it pushes. */
export * from "./desiredConfig.js";
export * from "./gatewayHealth.js";
export * from "./rollout.js";
export * from "./lanView.js";
