/** The rules engine's pure domain: rule model, matching, evaluation, replay counters. */
export * from "./evaluate.js";
export * from "./holdout.js";
export * from "./inMemoryCounters.js";
export * from "./localTime.js";
export * from "./rule.js";
export * from "./ruleIndex.js";
export * from "./ruleSpec.js";
export * from "./schedule.js";
export * from "./scope.js";
