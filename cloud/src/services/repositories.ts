/**
 * Storage ports, one per aggregate, each in its own file under `repositories/`; this index
 * re-exports them so services import from one place. See docs/architecture.md (Storage).
 */
export * from "./repositories/AnalyticsRepository.js";
export * from "./repositories/AuditRepository.js";
export * from "./repositories/CouponRepository.js";
export * from "./repositories/CredentialRepository.js";
export * from "./repositories/DeliveryRepository.js";
export * from "./repositories/DirectoryRepository.js";
export * from "./repositories/EventRepository.js";
export * from "./repositories/FleetRepository.js";
export * from "./repositories/LedgerRepository.js";
export * from "./repositories/MembershipRepository.js";
export * from "./repositories/OfferRepository.js";
export * from "./repositories/PickupRepository.js";
export * from "./repositories/PrivacyRepository.js";
export * from "./repositories/PushRegistrationRepository.js";
export * from "./repositories/Repositories.js";
export * from "./repositories/RuleRepository.js";
export * from "./repositories/UserRepository.js";
export * from "./repositories/WebhookRepository.js";
