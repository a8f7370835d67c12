import type { SqliteDatabase } from "./SqliteDatabase.js";

/**
 * The one place that owns the cloud's schema. Migrations are append-only: a released migration is
 * never edited, a change is a new entry. They run at start-up inside one transaction each, and the
 * applied version is recorded in `schema_migrations`.
 *
 * Times are epoch milliseconds (INTEGER); ids are TEXT; JSON columns hold arrays or documents that
 * are always read whole. Nothing here is SQLite-specific beyond `INSERT OR IGNORE` and
 * `ON CONFLICT`, both of which PostgreSQL has equivalents for.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "core entities",
    sql: `
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  max_offers_per_user_per_day INTEGER NOT NULL DEFAULT 3,
  created_at INTEGER NOT NULL
);
CREATE TABLE stores (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  name TEXT NOT NULL,
  timezone TEXT NOT NULL,
  lat REAL,
  lon REAL,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE TABLE zones (
  id TEXT NOT NULL,
  store_id TEXT NOT NULL REFERENCES stores(id),
  name TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  geometry TEXT NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE TABLE gateways (
  id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL REFERENCES stores(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  acked_seq INTEGER NOT NULL DEFAULT 0,
  status TEXT,
  status_at INTEGER,
  telemetry TEXT,
  telemetry_at INTEGER
);
CREATE TABLE mqtt_credentials (
  username TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('gateway', 'app', 'service')),
  store_id TEXT,
  gateway_id TEXT,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'marketer', 'store-ops', 'pos', 'app')),
  org_id TEXT NOT NULL REFERENCES organisations(id),
  store_id TEXT,
  user_id TEXT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE app_users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  display_name TEXT,
  segments TEXT NOT NULL DEFAULT '[]',
  loyalty_tier TEXT,
  marketing_consent INTEGER NOT NULL DEFAULT 0,
  analytics_consent INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE user_devices (
  subject_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  label TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX user_devices_user ON user_devices(user_id);
CREATE TABLE presence_events (
  id TEXT PRIMARY KEY,
  gateway_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  user_id TEXT,
  visit_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  rssi REAL,
  distance_m REAL,
  dwell_ms INTEGER,
  received_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX presence_events_pending ON presence_events(received_at) WHERE decided_at IS NULL;
CREATE INDEX presence_events_user ON presence_events(user_id, at);
CREATE INDEX presence_events_store ON presence_events(store_id, at);
CREATE TABLE visits (
  id TEXT PRIMARY KEY,
  store_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  user_id TEXT,
  entered_at INTEGER NOT NULL,
  last_event_at INTEGER NOT NULL,
  exited_at INTEGER,
  dwell_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX visits_user ON visits(user_id, entered_at);
CREATE TABLE rules (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  status TEXT NOT NULL,
  spec TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  current INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (id, version)
);
CREATE INDEX rules_current ON rules(org_id) WHERE current = 1;
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  user_id TEXT,
  store_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  visit_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('issued', 'not-issued', 'held-out')),
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  offer_id TEXT,
  decided_at INTEGER NOT NULL,
  UNIQUE (event_id, rule_id)
);
CREATE INDEX decisions_user ON decisions(user_id, decided_at);
CREATE INDEX decisions_rule ON decisions(rule_id, decided_at);
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  visit_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  discount TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('issued', 'delivered', 'viewed', 'redeemed', 'expired')),
  state_at INTEGER NOT NULL,
  day_key TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  published_at INTEGER,
  delivered_at INTEGER,
  viewed_at INTEGER,
  redeemed_at INTEGER,
  reminder_sent_at INTEGER,
  UNIQUE (rule_id, user_id, visit_id)
);
CREATE INDEX offers_user ON offers(user_id, state);
CREATE INDEX offers_rule ON offers(rule_id, user_id, day_key);
CREATE INDEX offers_unpublished ON offers(issued_at) WHERE published_at IS NULL;
CREATE TABLE redemptions (
  id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL UNIQUE REFERENCES offers(id),
  store_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  api_key_id TEXT NOT NULL,
  redeemed_at INTEGER NOT NULL
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '{}'
);
`,
  },
  {
    version: 2,
    name: "rules api, offer sweeper, decision log and funnel indexes",
    sql: `
ALTER TABLE rules ADD COLUMN updated_at INTEGER;
CREATE INDEX decisions_visit ON decisions(visit_id);
CREATE INDEX offers_visit ON offers(visit_id);
CREATE INDEX offers_issued ON offers(issued_at);
CREATE INDEX offers_open ON offers(expires_at) WHERE state IN ('issued', 'delivered', 'viewed');
CREATE INDEX visits_store ON visits(store_id, entered_at);
CREATE INDEX audit_log_target ON audit_log(target, at);
`,
  },
  {
    version: 3,
    name: "acknowledgement state per gateway outbox",
    // Sequences are unique per outbox file, not per gateway: a gateway whose storage was replaced
    // numbers from 1 again, so the contiguous ack is kept per (gateway, outbox).
    sql: `
CREATE TABLE gateway_outboxes (
  gateway_id TEXT NOT NULL,
  outbox TEXT NOT NULL,
  acked_seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, outbox)
);
ALTER TABLE gateways DROP COLUMN acked_seq;
`,
  },
  {
    version: 4,
    name: "store directory, registered beacons and erasure lookups",
    // A device keeps the identity it was registered with (the beacon's ids as typed), so a listing
    // shows what the user recognises; the subject id stays the key. Erasing a user looks events and
    // visits up by subject id as well (those heard before the beacon was registered carry no user).
    sql: `
ALTER TABLE stores ADD COLUMN address TEXT;
ALTER TABLE stores ADD COLUMN updated_at INTEGER;
ALTER TABLE user_devices ADD COLUMN identity TEXT;
CREATE INDEX stores_org ON stores(org_id, id);
CREATE INDEX presence_events_subject ON presence_events(subject_id);
CREATE INDEX visits_subject ON visits(subject_id);
CREATE INDEX api_keys_user ON api_keys(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX mqtt_credentials_user ON mqtt_credentials(user_id) WHERE user_id IS NOT NULL;
`,
  },
  {
    version: 5,
    name: "fleet: gateway health, desired config, telemetry history",
    // Reuses the columns of version 1: status holds the reported state (online or offline),
    // status_at when it was received, telemetry the latest sample (JSON) and telemetry_at when.
    // Times are the cloud's receipt times; a gateway's clock may be wrong.
    sql: `
ALTER TABLE gateways ADD COLUMN last_seen_at INTEGER;
ALTER TABLE gateways ADD COLUMN offline_since INTEGER;
ALTER TABLE gateways ADD COLUMN version TEXT;
ALTER TABLE gateways ADD COLUMN reported_config TEXT;
ALTER TABLE gateways ADD COLUMN desired_config TEXT;
ALTER TABLE gateways ADD COLUMN desired_revision INTEGER;
ALTER TABLE gateways ADD COLUMN desired_at INTEGER;
CREATE INDEX gateways_store ON gateways(store_id);
CREATE TABLE gateway_telemetry (
  gateway_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  sample TEXT NOT NULL
);
CREATE INDEX gateway_telemetry_gateway ON gateway_telemetry(gateway_id, received_at);
CREATE INDEX gateway_telemetry_received ON gateway_telemetry(received_at);
`,
  },
  {
    version: 6,
    name: "eddystone-eid keys and resolution table, phone location fixes, event signals, daily visit counts",
    // Identity keys are secrets: stored for resolution only, never returned by any query of the API.
    // eid_resolutions holds, per install, the EIDs of the previous, current and next rotation periods,
    // so a sighting resolves with one indexed lookup; rows are replaced by the refresh job.
    sql: `
CREATE TABLE eid_keys (
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  install_id TEXT NOT NULL,
  identity_key BLOB NOT NULL,
  rotation_exponent INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, install_id)
);
CREATE TABLE eid_resolutions (
  subject_id TEXT NOT NULL,
  period_start_s INTEGER NOT NULL,
  valid_until_s INTEGER NOT NULL,
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  install_id TEXT NOT NULL,
  PRIMARY KEY (subject_id, period_start_s)
);
CREATE INDEX eid_resolutions_valid ON eid_resolutions(valid_until_s);
CREATE INDEX eid_resolutions_user ON eid_resolutions(user_id, install_id);
CREATE TABLE location_fixes (
  event_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  store_id TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  accuracy_m REAL NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX location_fixes_user ON location_fixes(user_id, at);
ALTER TABLE presence_events ADD COLUMN signals TEXT;
ALTER TABLE decisions ADD COLUMN signals TEXT;
CREATE TABLE visit_daily_counts (
  day TEXT NOT NULL,
  store_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  visits INTEGER NOT NULL,
  PRIMARY KEY (day, store_id, zone_id)
);
`,
  },
  {
    version: 7,
    name: "visit counts per user and store, kept past retention",
    // The rules engine's visit number (first-visit, nth-visit, return-after) must not depend on the
    // visits table: a user without analytics consent is stored there unlinked, and retention
    // deletes old rows. This counter is a number the service needs, not a location history, so it
    // is kept for every resolved user, outlives retention and is erased with the user (user_id).
    // Backfilled from the visits still held; unlinked and already swept visits cannot be recovered.
    sql: `
CREATE TABLE user_visit_counts (
  user_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  visits INTEGER NOT NULL,
  last_visit_id TEXT NOT NULL,
  last_visit_at INTEGER NOT NULL,
  previous_visit_at INTEGER,
  PRIMARY KEY (user_id, store_id)
);
WITH ranked AS (
  SELECT user_id, store_id, id, entered_at,
    ROW_NUMBER() OVER (PARTITION BY user_id, store_id ORDER BY entered_at DESC, id DESC) AS r,
    COUNT(*) OVER (PARTITION BY user_id, store_id) AS n
  FROM visits WHERE user_id IS NOT NULL
)
INSERT INTO user_visit_counts (user_id, store_id, visits, last_visit_id, last_visit_at, previous_visit_at)
SELECT a.user_id, a.store_id, a.n, a.id, a.entered_at, b.entered_at
FROM ranked a LEFT JOIN ranked b ON b.user_id = a.user_id AND b.store_id = a.store_id AND b.r = 2
WHERE a.r = 1;
`,
  },
  {
    version: 8,
    name: "registered beacons per organisation; the user of an unlinked event until it is decided",
    // A beacon id was registered once across all organisations, so a 409 told one retailer that
    // another had registered it. Each organisation now has its own registry: the key is
    // (org_id, subject_id), org_id being the user's (a user never changes organisation). SQLite
    // cannot change a primary key in place, so the table is rebuilt; nothing references it.
    sql: `
CREATE TABLE user_devices_by_org (
  org_id TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  label TEXT,
  created_at INTEGER NOT NULL,
  identity TEXT,
  PRIMARY KEY (org_id, subject_id)
);
INSERT INTO user_devices_by_org (org_id, subject_id, user_id, label, created_at, identity)
SELECT u.org_id, d.subject_id, d.user_id, d.label, d.created_at, d.identity
FROM user_devices d JOIN app_users u ON u.id = d.user_id;
DROP TABLE user_devices;
ALTER TABLE user_devices_by_org RENAME TO user_devices;
CREATE INDEX user_devices_user ON user_devices(user_id);
CREATE INDEX user_devices_subject ON user_devices(subject_id);
-- An event stored unlinked (no analytics consent) has no user in presence_events, yet its offer is
-- still to be decided; if the cloud stops before that, the user would be lost with the restart.
-- This row holds the link only until the decision (deleted with it), never for analytics; erasure
-- removes it by user_id, retention with the event.
CREATE TABLE pending_event_users (
  event_id TEXT PRIMARY KEY REFERENCES presence_events(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE
);
`,
  },
  {
    version: 9,
    name: "decisions and offers of unlinked events do not name the presence row",
    // An event stored unlinked (no analytics consent) must not be named again through its decision
    // log or its offer: both kept the event and visit ids beside the user, so a join on them gave
    // the user back their presence rows and visits. They now carry an opaque 'unlinked-' reference
    // (as erasure does with 'erased-'), the visit id is taken out of the decision text, and the
    // per-visit cap reads unlinked_visit_offers, which says which rule issued in a visit but not to
    // whom (the visit row is unlinked too); it goes with the visit. Rows stored before are rewritten.
    sql: `
CREATE TABLE unlinked_visit_offers (
  visit_id TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
  rule_id TEXT NOT NULL,
  PRIMARY KEY (visit_id, rule_id)
);
INSERT OR IGNORE INTO unlinked_visit_offers (visit_id, rule_id)
SELECT o.visit_id, o.rule_id FROM offers o JOIN presence_events e ON e.id = o.event_id
JOIN visits v ON v.id = o.visit_id WHERE e.subject_id = 'unlinked';
UPDATE offers SET event_id = 'unlinked-' || id, visit_id = 'unlinked-' || id
WHERE event_id IN (SELECT id FROM presence_events WHERE subject_id = 'unlinked');
UPDATE decisions SET detail = replace(detail, visit_id, 'unlinked'), event_id = 'unlinked-' || id,
  visit_id = 'unlinked-' || id
WHERE event_id IN (SELECT id FROM presence_events WHERE subject_id = 'unlinked');
UPDATE presence_events SET decided_at = received_at WHERE subject_id = 'unlinked' AND decided_at IS NOT NULL;
-- Retention sweeps decisions by age like the events they were made for.
CREATE INDEX decisions_decided ON decisions(decided_at);
-- Erasure deletes a user's pending rows by user_id.
CREATE INDEX pending_event_users_user ON pending_event_users(user_id);
`,
  },
  {
    version: 10,
    name: "quarantine presence rows stored before ingest bounded times and dwell",
    // Before the wire contract bounded dwell (24 h) and ingest refused implausible dates, a gateway
    // could store a dwell of 2^53 ms (its visit entered 285 000 years ago), REAL 1e300, or events
    // dated 1971 or 9999; such rows broke every reader of the store's visits. They move, whole and
    // as JSON, to quarantined_rows with the reason, so nothing is lost and an operator can look.
    // Bounds: from 2020-01-01 (before any release of this protocol) to a day past the migration's
    // run, on the host's clock (the migration runs once, at deploy, so "now" is the deploy's).
    sql: `
CREATE TABLE quarantined_rows (
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  reason TEXT NOT NULL,
  row TEXT NOT NULL,
  quarantined_at INTEGER NOT NULL,
  PRIMARY KEY (source, id)
);
INSERT OR IGNORE INTO quarantined_rows (source, id, reason, row, quarantined_at)
SELECT 'presence_events', id,
  CASE WHEN typeof(at) <> 'integer' OR at < 1577836800000
         OR at > (CAST(strftime('%s', 'now') AS INTEGER) + 86400) * 1000 THEN 'time-out-of-range'
       ELSE 'dwell-out-of-range' END,
  json_object('id', id, 'gateway_id', gateway_id, 'store_id', store_id, 'zone_id', zone_id, 'seq', seq,
    'type', type, 'subject_kind', subject_kind, 'subject_id', subject_id, 'user_id', user_id,
    'visit_id', visit_id, 'at', at, 'rssi', rssi, 'distance_m', distance_m, 'dwell_ms', dwell_ms,
    'received_at', received_at, 'decided_at', decided_at, 'signals', signals),
  CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM presence_events
WHERE typeof(at) <> 'integer' OR at < 1577836800000
   OR at > (CAST(strftime('%s', 'now') AS INTEGER) + 86400) * 1000
   OR (dwell_ms IS NOT NULL AND (typeof(dwell_ms) <> 'integer' OR dwell_ms < 0 OR dwell_ms > 86400000));
INSERT OR IGNORE INTO quarantined_rows (source, id, reason, row, quarantined_at)
SELECT 'visits', id,
  CASE WHEN typeof(dwell_ms) <> 'integer' OR dwell_ms < 0 OR dwell_ms > 86400000 THEN 'dwell-out-of-range'
       ELSE 'time-out-of-range' END,
  json_object('id', id, 'store_id', store_id, 'zone_id', zone_id, 'subject_id', subject_id,
    'user_id', user_id, 'entered_at', entered_at, 'last_event_at', last_event_at,
    'exited_at', exited_at, 'dwell_ms', dwell_ms),
  CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM visits
WHERE typeof(dwell_ms) <> 'integer' OR dwell_ms < 0 OR dwell_ms > 86400000
   OR typeof(entered_at) <> 'integer' OR entered_at < 1577836800000
   OR typeof(last_event_at) <> 'integer' OR last_event_at < 1577836800000
   OR entered_at > (CAST(strftime('%s', 'now') AS INTEGER) + 86400) * 1000
   OR last_event_at > (CAST(strftime('%s', 'now') AS INTEGER) + 86400) * 1000
   OR (exited_at IS NOT NULL AND (typeof(exited_at) <> 'integer' OR exited_at < 1577836800000
       OR exited_at > (CAST(strftime('%s', 'now') AS INTEGER) + 86400) * 1000));
DELETE FROM presence_events WHERE id IN (SELECT id FROM quarantined_rows WHERE source = 'presence_events');
DELETE FROM visits WHERE id IN (SELECT id FROM quarantined_rows WHERE source = 'visits');
`,
  },
  {
    version: 11,
    name: "offer counters kept incrementally; a directory change counter",
    // The rules engine's caps and budgets were counted over the offers table on every decision
    // (COUNT(*) over a rule's whole history), so deciding slowed down as offers accumulated. These
    // rows hold the same counts and are kept by triggers on offers, so every writer (decisions,
    // erasure deleting or anonymising offers, a restore, a test writing SQL) keeps them exact in
    // its own transaction, and a decision reads a few rows by key instead. A count that falls to 0
    // stays as a row of 0, which reads the same as no row. Backfilled from the offers already held.
    //
    // directory_changes counts writes to what a decision reads about the organisation, store, zone
    // and user: the decision stage keeps those records in memory and drops them when it moves.
    sql: `
CREATE TABLE offer_counts_by_rule (
  rule_id TEXT PRIMARY KEY,
  issued INTEGER NOT NULL
);
CREATE TABLE offer_counts_by_user (
  user_id TEXT PRIMARY KEY,
  issued INTEGER NOT NULL
);
CREATE TABLE offer_counts_by_user_day (
  user_id TEXT NOT NULL,
  day_key TEXT NOT NULL,
  issued INTEGER NOT NULL,
  PRIMARY KEY (user_id, day_key)
);
CREATE TABLE offer_counts_by_user_rule (
  user_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  issued INTEGER NOT NULL,
  last_issued_at INTEGER,
  PRIMARY KEY (user_id, rule_id)
);
CREATE TABLE offer_counts_by_user_rule_day (
  user_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  day_key TEXT NOT NULL,
  issued INTEGER NOT NULL,
  PRIMARY KEY (user_id, rule_id, day_key)
);
INSERT INTO offer_counts_by_rule (rule_id, issued) SELECT rule_id, COUNT(*) FROM offers GROUP BY rule_id;
INSERT INTO offer_counts_by_user (user_id, issued) SELECT user_id, COUNT(*) FROM offers GROUP BY user_id;
INSERT INTO offer_counts_by_user_day (user_id, day_key, issued)
SELECT user_id, day_key, COUNT(*) FROM offers GROUP BY user_id, day_key;
INSERT INTO offer_counts_by_user_rule (user_id, rule_id, issued, last_issued_at)
SELECT user_id, rule_id, COUNT(*), MAX(issued_at) FROM offers GROUP BY user_id, rule_id;
INSERT INTO offer_counts_by_user_rule_day (user_id, rule_id, day_key, issued)
SELECT user_id, rule_id, day_key, COUNT(*) FROM offers GROUP BY user_id, rule_id, day_key;
CREATE TRIGGER offers_counted AFTER INSERT ON offers BEGIN
  INSERT INTO offer_counts_by_rule (rule_id, issued) VALUES (NEW.rule_id, 1)
    ON CONFLICT (rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user (user_id, issued) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_day (user_id, day_key, issued) VALUES (NEW.user_id, NEW.day_key, 1)
    ON CONFLICT (user_id, day_key) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule (user_id, rule_id, issued, last_issued_at)
    VALUES (NEW.user_id, NEW.rule_id, 1, NEW.issued_at)
    ON CONFLICT (user_id, rule_id) DO UPDATE
    SET issued = issued + 1, last_issued_at = MAX(COALESCE(last_issued_at, excluded.last_issued_at), excluded.last_issued_at);
  INSERT INTO offer_counts_by_user_rule_day (user_id, rule_id, day_key, issued)
    VALUES (NEW.user_id, NEW.rule_id, NEW.day_key, 1)
    ON CONFLICT (user_id, rule_id, day_key) DO UPDATE SET issued = issued + 1;
END;
CREATE TRIGGER offers_uncounted AFTER DELETE ON offers BEGIN
  UPDATE offer_counts_by_rule SET issued = issued - 1 WHERE rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user SET issued = issued - 1 WHERE user_id = OLD.user_id;
  UPDATE offer_counts_by_user_day SET issued = issued - 1 WHERE user_id = OLD.user_id AND day_key = OLD.day_key;
  UPDATE offer_counts_by_user_rule SET issued = issued - 1,
    last_issued_at = (SELECT MAX(issued_at) FROM offers WHERE rule_id = OLD.rule_id AND user_id = OLD.user_id)
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user_rule_day SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id AND day_key = OLD.day_key;
END;
-- An offer moved to another user (erasure's pseudonym), rule or day: counted off the old keys and
-- onto the new ones, as a delete and an insert would be.
CREATE TRIGGER offers_recounted AFTER UPDATE OF user_id, rule_id, day_key, issued_at ON offers
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.rule_id IS NOT NEW.rule_id OR OLD.day_key IS NOT NEW.day_key
  OR OLD.issued_at IS NOT NEW.issued_at
BEGIN
  UPDATE offer_counts_by_rule SET issued = issued - 1 WHERE rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user SET issued = issued - 1 WHERE user_id = OLD.user_id;
  UPDATE offer_counts_by_user_day SET issued = issued - 1 WHERE user_id = OLD.user_id AND day_key = OLD.day_key;
  UPDATE offer_counts_by_user_rule SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user_rule_day SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id AND day_key = OLD.day_key;
  INSERT INTO offer_counts_by_rule (rule_id, issued) VALUES (NEW.rule_id, 1)
    ON CONFLICT (rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user (user_id, issued) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_day (user_id, day_key, issued) VALUES (NEW.user_id, NEW.day_key, 1)
    ON CONFLICT (user_id, day_key) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule (user_id, rule_id, issued, last_issued_at)
    VALUES (NEW.user_id, NEW.rule_id, 1, NEW.issued_at)
    ON CONFLICT (user_id, rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule_day (user_id, rule_id, day_key, issued)
    VALUES (NEW.user_id, NEW.rule_id, NEW.day_key, 1)
    ON CONFLICT (user_id, rule_id, day_key) DO UPDATE SET issued = issued + 1;
  -- The last issue time of both pairs, from what is left (after the row itself was changed).
  UPDATE offer_counts_by_user_rule
  SET last_issued_at = (SELECT MAX(issued_at) FROM offers o WHERE o.rule_id = offer_counts_by_user_rule.rule_id
    AND o.user_id = offer_counts_by_user_rule.user_id)
  WHERE (user_id = OLD.user_id AND rule_id = OLD.rule_id) OR (user_id = NEW.user_id AND rule_id = NEW.rule_id);
END;
CREATE TABLE directory_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  changes INTEGER NOT NULL
);
INSERT INTO directory_changes (id, changes) VALUES (1, 0);
CREATE TRIGGER organisations_inserted AFTER INSERT ON organisations BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER organisations_updated AFTER UPDATE ON organisations BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER organisations_deleted AFTER DELETE ON organisations BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER stores_inserted AFTER INSERT ON stores BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER stores_updated AFTER UPDATE ON stores BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER stores_deleted AFTER DELETE ON stores BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER zones_inserted AFTER INSERT ON zones BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER zones_updated AFTER UPDATE ON zones BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER zones_deleted AFTER DELETE ON zones BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER app_users_inserted AFTER INSERT ON app_users BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER app_users_updated AFTER UPDATE ON app_users BEGIN UPDATE directory_changes SET changes = changes + 1; END;
CREATE TRIGGER app_users_deleted AFTER DELETE ON app_users BEGIN UPDATE directory_changes SET changes = changes + 1; END;
`,
  },
  {
    version: 12,
    name: "membership: points ledger, loyalty programmes, member tiers",
    // The ledger names its member in member_id, not user_id: erasure deletes every user_id row,
    // but points are the retailer's accounting (a liability on its books), so erasure renames the
    // member to a pseudonym instead (SqlitePrivacyRepository.eraseUser), as with redeemed offers.
    // Member profile rows, tier changes and visit counters do name user_id: they go with the user.
    // Idempotency keys are unique per organisation, a reversal reverses one entry once, and lots
    // with points left are indexed for spending and for the expiry sweep.
    sql: `
CREATE TABLE ledger_entries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('earn', 'spend', 'expire', 'adjust', 'reverse', 'transfer-out', 'transfer-in')),
  source TEXT NOT NULL,
  points INTEGER NOT NULL CHECK (points <> 0),
  idempotency_key TEXT NOT NULL,
  reference TEXT,
  reason TEXT,
  expires_at INTEGER,
  reverses TEXT UNIQUE,
  at INTEGER NOT NULL,
  UNIQUE (org_id, idempotency_key)
);
CREATE INDEX ledger_entries_member ON ledger_entries(org_id, member_id, seq);
CREATE TABLE ledger_lots (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  earned_at INTEGER NOT NULL,
  expires_at INTEGER,
  points INTEGER NOT NULL,
  remaining INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= points)
);
CREATE INDEX ledger_lots_live ON ledger_lots(org_id, member_id) WHERE remaining > 0;
CREATE INDEX ledger_lots_due ON ledger_lots(expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE TABLE ledger_accounts (
  org_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  owed INTEGER NOT NULL DEFAULT 0 CHECK (owed >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, member_id)
);
CREATE TABLE loyalty_programs (
  org_id TEXT PRIMARY KEY REFERENCES organisations(id),
  program TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE loyalty_members (
  user_id TEXT PRIMARY KEY REFERENCES app_users(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  birth_month INTEGER CHECK (birth_month BETWEEN 1 AND 12),
  tier TEXT,
  tier_since INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE tier_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  from_tier TEXT,
  to_tier TEXT,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX tier_changes_user ON tier_changes(user_id, seq);
CREATE TABLE visit_earnings (
  user_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  day TEXT NOT NULL,
  visits INTEGER NOT NULL,
  PRIMARY KEY (user_id, store_id, day)
);
CREATE TABLE member_purchases (
  org_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  store_id TEXT,
  channel TEXT NOT NULL,
  total_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  points INTEGER NOT NULL,
  at INTEGER NOT NULL,
  refunded_at INTEGER,
  PRIMARY KEY (org_id, order_key)
);
CREATE INDEX member_purchases_user ON member_purchases(user_id, at);
CREATE TABLE loyalty_secrets (
  name TEXT PRIMARY KEY,
  secret BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
`,
  },
  {
    version: 13,
    name: "operator keys, suspended organisations, the gateways' radio state",
    // Bootstrapping a cloud from nothing needs someone above the organisations: operator keys are
    // not bound to an organisation (api_keys.org_id is NOT NULL and its role CHECK is closed), so
    // they get their own table. A suspended organisation keeps its data; its keys stop working.
    // The fleet view shows a gateway that is connected but not scanning as degraded.
    sql: `
ALTER TABLE organisations ADD COLUMN suspended_at INTEGER;
-- The radio as the gateway's last online status reported it (scanning or interrupted), and when it
-- last heard an advert, on the cloud's clock (receipt time minus the reported age).
ALTER TABLE gateways ADD COLUMN scan_state TEXT;
ALTER TABLE gateways ADD COLUMN last_advert_at INTEGER;
-- The gateway's last software update as it reported it (JSON: outcome, from, to, reason, at).
ALTER TABLE gateways ADD COLUMN update_report TEXT;
-- A store's software rollout: the release its gateways should run and how to get there.
CREATE TABLE rollouts (
  store_id TEXT PRIMARY KEY REFERENCES stores(id),
  release TEXT NOT NULL,
  url TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  canary_share REAL NOT NULL,
  health_gate_ms INTEGER NOT NULL,
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE operator_keys (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
`,
  },
  {
    version: 14,
    name: "coupon wallet: batches, claims, gifts, redemptions with a basket, voids",
    // One coupon model for every coupon: a claimed, sent, till-issued or exchanged coupon is a row
    // of offers, as a proximity rule's offer is (channel 'rule', batch_id NULL: the rule's implicit
    // batch). Such coupons have no rule, zone, visit or event: rule_id is the batch id with
    // rule_version 0 (rules start at 1) and visit_id/event_id 'coupon-<id>', so the (rule, user,
    // visit) key and a rule's offer count never see them. The rule
    // counters' triggers are recreated to count channel 'rule' only: a claimed coupon must not use
    // up the organisation's daily cap on proximity offers.
    //
    // offers.state keeps its CHECK (widening it means rebuilding the table with its triggers and
    // the references to it); a voided coupon is voided_at set, with state 'expired' so every
    // "open coupon" query already leaves it out, and reads back as status 'voided'.
    //
    // Stock is counted in rows updated conditionally inside the claim transaction (batch total,
    // per local day, per member), never by counting coupons. A voided redemption moves to
    // redemption_voids (redemptions.offer_id is UNIQUE), so the coupon may be redeemed again.
    sql: `
CREATE TABLE coupon_batches (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  spec TEXT NOT NULL,
  total_stock INTEGER,
  daily_stock INTEGER,
  per_member_limit INTEGER NOT NULL,
  timezone TEXT NOT NULL,
  claimed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX coupon_batches_org ON coupon_batches(org_id, created_at);
CREATE TABLE coupon_batch_days (
  batch_id TEXT NOT NULL REFERENCES coupon_batches(id),
  day_key TEXT NOT NULL,
  claimed INTEGER NOT NULL,
  PRIMARY KEY (batch_id, day_key)
);
CREATE TABLE coupon_member_claims (
  batch_id TEXT NOT NULL REFERENCES coupon_batches(id),
  user_id TEXT NOT NULL,
  claimed INTEGER NOT NULL,
  PRIMARY KEY (batch_id, user_id)
);
ALTER TABLE offers ADD COLUMN batch_id TEXT;
ALTER TABLE offers ADD COLUMN channel TEXT NOT NULL DEFAULT 'rule';
ALTER TABLE offers ADD COLUMN channel_tag TEXT;
ALTER TABLE offers ADD COLUMN store_ids TEXT;
ALTER TABLE offers ADD COLUMN terms TEXT;
ALTER TABLE offers ADD COLUMN valid_from INTEGER;
ALTER TABLE offers ADD COLUMN gift_passes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offers ADD COLUMN voided_at INTEGER;
-- A batch's own reminder lead (NULL: the cloud's offers.reminderLeadS).
ALTER TABLE offers ADD COLUMN reminder_lead_ms INTEGER;
CREATE INDEX offers_batch ON offers(batch_id, issued_at) WHERE batch_id IS NOT NULL;
CREATE TABLE coupon_gifts (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  coupon_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  to_user_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'timed-out')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  resolved_at INTEGER
);
CREATE UNIQUE INDEX coupon_gifts_pending ON coupon_gifts(coupon_id) WHERE state = 'pending';
-- A gift is the giver's record (user_id: erased with the giver). coupon_id names no foreign key:
-- erasing the friend deletes the coupon the gift moved. Nor does the gift keep naming an erased
-- friend: the friend's id is cleared when the user row goes.
CREATE TRIGGER coupon_gifts_friend_erased AFTER DELETE ON app_users BEGIN
  UPDATE coupon_gifts SET to_user_id = NULL WHERE to_user_id = OLD.id;
END;
ALTER TABLE redemptions ADD COLUMN channel TEXT NOT NULL DEFAULT 'till';
ALTER TABLE redemptions ADD COLUMN order_id TEXT;
ALTER TABLE redemptions ADD COLUMN total_minor INTEGER;
ALTER TABLE redemptions ADD COLUMN discount_minor INTEGER;
ALTER TABLE redemptions ADD COLUMN currency TEXT;
ALTER TABLE redemptions ADD COLUMN answer TEXT;
CREATE TABLE redemption_voids (
  id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  api_key_id TEXT NOT NULL,
  redeemed_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  order_id TEXT,
  total_minor INTEGER,
  discount_minor INTEGER,
  currency TEXT,
  voided_at INTEGER NOT NULL,
  void_api_key_id TEXT NOT NULL
);
CREATE INDEX redemption_voids_offer ON redemption_voids(offer_id);
-- Click-and-collect orders with their single-use pick-up codes; an arrival marks them once.
CREATE TABLE pickups (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('awaiting', 'arrived', 'collected')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  arrived_at INTEGER,
  collected_at INTEGER,
  UNIQUE (store_id, order_id)
);
CREATE INDEX pickups_waiting ON pickups(user_id, store_id) WHERE state = 'awaiting';
DROP TRIGGER offers_counted;
DROP TRIGGER offers_uncounted;
DROP TRIGGER offers_recounted;
CREATE TRIGGER offers_counted AFTER INSERT ON offers WHEN NEW.channel = 'rule' BEGIN
  INSERT INTO offer_counts_by_rule (rule_id, issued) VALUES (NEW.rule_id, 1)
    ON CONFLICT (rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user (user_id, issued) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_day (user_id, day_key, issued) VALUES (NEW.user_id, NEW.day_key, 1)
    ON CONFLICT (user_id, day_key) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule (user_id, rule_id, issued, last_issued_at)
    VALUES (NEW.user_id, NEW.rule_id, 1, NEW.issued_at)
    ON CONFLICT (user_id, rule_id) DO UPDATE
    SET issued = issued + 1, last_issued_at = MAX(COALESCE(last_issued_at, excluded.last_issued_at), excluded.last_issued_at);
  INSERT INTO offer_counts_by_user_rule_day (user_id, rule_id, day_key, issued)
    VALUES (NEW.user_id, NEW.rule_id, NEW.day_key, 1)
    ON CONFLICT (user_id, rule_id, day_key) DO UPDATE SET issued = issued + 1;
END;
CREATE TRIGGER offers_uncounted AFTER DELETE ON offers WHEN OLD.channel = 'rule' BEGIN
  UPDATE offer_counts_by_rule SET issued = issued - 1 WHERE rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user SET issued = issued - 1 WHERE user_id = OLD.user_id;
  UPDATE offer_counts_by_user_day SET issued = issued - 1 WHERE user_id = OLD.user_id AND day_key = OLD.day_key;
  UPDATE offer_counts_by_user_rule SET issued = issued - 1,
    last_issued_at = (SELECT MAX(issued_at) FROM offers WHERE rule_id = OLD.rule_id AND user_id = OLD.user_id)
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user_rule_day SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id AND day_key = OLD.day_key;
END;
CREATE TRIGGER offers_recounted AFTER UPDATE OF user_id, rule_id, day_key, issued_at ON offers
WHEN OLD.channel = 'rule' AND (OLD.user_id IS NOT NEW.user_id OR OLD.rule_id IS NOT NEW.rule_id
  OR OLD.day_key IS NOT NEW.day_key OR OLD.issued_at IS NOT NEW.issued_at)
BEGIN
  UPDATE offer_counts_by_rule SET issued = issued - 1 WHERE rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user SET issued = issued - 1 WHERE user_id = OLD.user_id;
  UPDATE offer_counts_by_user_day SET issued = issued - 1 WHERE user_id = OLD.user_id AND day_key = OLD.day_key;
  UPDATE offer_counts_by_user_rule SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id;
  UPDATE offer_counts_by_user_rule_day SET issued = issued - 1
  WHERE user_id = OLD.user_id AND rule_id = OLD.rule_id AND day_key = OLD.day_key;
  INSERT INTO offer_counts_by_rule (rule_id, issued) VALUES (NEW.rule_id, 1)
    ON CONFLICT (rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user (user_id, issued) VALUES (NEW.user_id, 1)
    ON CONFLICT (user_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_day (user_id, day_key, issued) VALUES (NEW.user_id, NEW.day_key, 1)
    ON CONFLICT (user_id, day_key) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule (user_id, rule_id, issued, last_issued_at)
    VALUES (NEW.user_id, NEW.rule_id, 1, NEW.issued_at)
    ON CONFLICT (user_id, rule_id) DO UPDATE SET issued = issued + 1;
  INSERT INTO offer_counts_by_user_rule_day (user_id, rule_id, day_key, issued)
    VALUES (NEW.user_id, NEW.rule_id, NEW.day_key, 1)
    ON CONFLICT (user_id, rule_id, day_key) DO UPDATE SET issued = issued + 1;
  UPDATE offer_counts_by_user_rule
  SET last_issued_at = (SELECT MAX(issued_at) FROM offers o WHERE o.rule_id = offer_counts_by_user_rule.rule_id
    AND o.user_id = offer_counts_by_user_rule.user_id)
  WHERE (user_id = OLD.user_id AND rule_id = OLD.rule_id) OR (user_id = NEW.user_id AND rule_id = NEW.rule_id);
END;
`,
  },
  {
    version: 15,
    name: "store visits: every source of one arrival joins one visit",
    // A store visit is the unit the rules count and cap once-per-visit by: gateway zone visits and
    // a phone's geofence entries of one arrival join it (see storeVisits.ts). The counter row
    // holds the open store visit: its id (the zone visit that opened it), its start and when the
    // shopper was last seen, so an event within the gap joins it. Rows from before are backfilled
    // with their start as last seen. The store visit id of an event is kept for a restart to decide
    // it as it would have: on the event for a linked one, beside its pending user for an unlinked
    // one (and deleted with it), so unlinked presence rows are not tied together by it.
    sql: `
ALTER TABLE user_visit_counts ADD COLUMN last_seen_at INTEGER;
UPDATE user_visit_counts SET last_seen_at = last_visit_at;
ALTER TABLE presence_events ADD COLUMN store_visit_id TEXT;
ALTER TABLE pending_event_users ADD COLUMN store_visit_id TEXT;
`,
  },
  {
    version: 16,
    name: "push registrations, the delivery outbox, receipts per channel, push policies",
    // Every table naming a member has a user_id column, so erasure's sweep over user_id removes it.
    sql: `
-- One registration per app installation of a member: where the OS push service reaches it.
CREATE TABLE push_registrations (
  user_id TEXT NOT NULL REFERENCES app_users(id) ON DELETE CASCADE,
  installation_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  provider TEXT NOT NULL CHECK (provider IN ('webpush', 'apns', 'fcm')),
  -- Web Push: the subscription's endpoint URL; APNs: the device token (hex); FCM: the registration token.
  token TEXT NOT NULL,
  -- Web Push only: the subscription's p256dh and auth keys (base64url).
  p256dh TEXT,
  auth TEXT,
  -- APNs only: 'production' or 'development'.
  environment TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, installation_id)
);
CREATE INDEX push_registrations_token ON push_registrations(provider, token);
-- Push notifications waiting to be sent, being retried, sent, dropped or dead-lettered: one row per
-- offer and installation, written before the first attempt so a restart loses none.
CREATE TABLE push_outbox (
  id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  installation_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  store_id TEXT NOT NULL,
  title TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dropped', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (offer_id, installation_id)
);
CREATE INDEX push_outbox_due ON push_outbox(status, next_attempt_at);
CREATE INDEX push_outbox_user ON push_outbox(user_id, status, updated_at);
-- How each offer reached the member: first receipt per channel.
CREATE TABLE delivery_receipts (
  offer_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('push', 'mqtt', 'pull')),
  store_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (offer_id, channel)
);
CREATE INDEX delivery_receipts_store ON delivery_receipts(store_id, at);
-- Notification times per member, across channels, for the frequency cap.
CREATE TABLE member_notifications (
  user_id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL,
  notified_at INTEGER NOT NULL
);
-- Quiet hours and the frequency cap of an organisation (store_id '') or a store's override.
CREATE TABLE push_policies (
  org_id TEXT NOT NULL,
  store_id TEXT NOT NULL DEFAULT '',
  policy TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, store_id)
);
`,
  },
  {
    version: 17,
    name: "membership: partial refunds",
    // A partial refund reverses part of a purchase's points, so one earning may now have several
    // reversals: the UNIQUE on ledger_entries.reverses goes (SQLite cannot drop a column
    // constraint, hence the copy; seq values are kept, and so is AUTOINCREMENT's high mark) and an
    // ordinary index takes its place. Each refund of a purchase is recorded once under the id the
    // till gave it; refunded_minor is what has been refunded so far (a whole refund of an older
    // release counts as its total).
    sql: `
CREATE TABLE ledger_entries_v17 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('earn', 'spend', 'expire', 'adjust', 'reverse', 'transfer-out', 'transfer-in')),
  source TEXT NOT NULL,
  points INTEGER NOT NULL CHECK (points <> 0),
  idempotency_key TEXT NOT NULL,
  reference TEXT,
  reason TEXT,
  expires_at INTEGER,
  reverses TEXT,
  at INTEGER NOT NULL,
  UNIQUE (org_id, idempotency_key)
);
INSERT INTO ledger_entries_v17 (seq, id, org_id, member_id, kind, source, points, idempotency_key, reference, reason, expires_at, reverses, at)
  SELECT seq, id, org_id, member_id, kind, source, points, idempotency_key, reference, reason, expires_at, reverses, at FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_entries_v17 RENAME TO ledger_entries;
CREATE INDEX ledger_entries_member ON ledger_entries(org_id, member_id, seq);
CREATE INDEX ledger_entries_reverses ON ledger_entries(reverses) WHERE reverses IS NOT NULL;
ALTER TABLE member_purchases ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0;
UPDATE member_purchases SET refunded_minor = total_minor WHERE refunded_at IS NOT NULL;
CREATE TABLE member_refunds (
  org_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  refund_id TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  points INTEGER NOT NULL CHECK (points >= 0),
  at INTEGER NOT NULL,
  PRIMARY KEY (org_id, order_key, refund_id)
);
`,
  },
  {
    version: 18,
    name: "acks of out-of-order batches across cloud workers",
    // With several workers a later batch of an outbox can commit before an earlier one. Its
    // sequences are kept as a range above the outbox's ack until the gap is filled, so the ack is
    // computed from what is stored (by any worker) instead of from the batch alone.
    sql: `
CREATE TABLE gateway_outbox_ranges (
  gateway_id TEXT NOT NULL,
  outbox TEXT NOT NULL,
  lo INTEGER NOT NULL,
  hi INTEGER NOT NULL,
  PRIMARY KEY (gateway_id, outbox, lo)
);
`,
  },
  {
    version: 19,
    name: "webhook endpoints and their delivery outbox",
    // Outgoing webhooks (docs/webhooks.md). The secret is kept usable, as loyalty_secrets is: the
    // cloud signs with it. Deliveries keep their body as sent, so a retry or a replay signs and
    // sends the same bytes under the same webhook-id; user_id names the member an event is about,
    // so erasing the member removes their messages (eraseUser sweeps every user_id column).
    sql: `
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  events TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_until INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints(org_id, created_at);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  org_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  user_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  last_status_code INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_org ON webhook_deliveries(org_id, created_at, id);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at, id);
`,
  },
  {
    version: 20,
    name: "points as a discount at the till",
    // What a member paid with points on a purchase: the points spent and the discount they paid.
    // Purchases before this spent none.
    sql: `
ALTER TABLE member_purchases ADD COLUMN points_spent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_purchases ADD COLUMN points_discount_minor INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 21,
    name: "store beacon advertising state",
    // The store beacon a gateway advertises, as its last online status reported it (JSON).
    sql: `
ALTER TABLE gateways ADD COLUMN advertising TEXT;
`,
  },
  {
    version: 22,
    name: "points earned by coupon redemptions",
    // The ledger key of an order's earning when a coupon redemption with the basket earned it
    // (refunds reverse that entry, a void releases the order). Purchases before this used the default.
    sql: `
ALTER TABLE member_purchases ADD COLUMN earn_key TEXT;
CREATE INDEX member_purchases_earn_key ON member_purchases(org_id, earn_key) WHERE earn_key IS NOT NULL;
`,
  },
  {
    version: 23,
    name: "MQTT credentials of store devices (pick-up counters)",
    // A store's counter tablet or POS terminal gets its own MQTT login, scoped to its store:
    // role 'store', its store in store_id and its name in the new device_id. SQLite cannot widen a
    // CHECK in place, so the table is rebuilt; nothing references it.
    sql: `
CREATE TABLE mqtt_credentials_v23 (
  username TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('gateway', 'app', 'service', 'store')),
  store_id TEXT,
  gateway_id TEXT,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  device_id TEXT
);
INSERT INTO mqtt_credentials_v23 (username, secret_hash, role, store_id, gateway_id, user_id, created_at, revoked_at)
  SELECT username, secret_hash, role, store_id, gateway_id, user_id, created_at, revoked_at FROM mqtt_credentials;
DROP TABLE mqtt_credentials;
ALTER TABLE mqtt_credentials_v23 RENAME TO mqtt_credentials;
CREATE INDEX mqtt_credentials_user ON mqtt_credentials(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX mqtt_credentials_store ON mqtt_credentials(store_id) WHERE store_id IS NOT NULL;
`,
  },
  {
    version: 24,
    name: "gateway presence calibration",
    // The presence calibration a gateway's last online status reported (JSON): its RSSI offset,
    // each zone's edge threshold and when it was surveyed.
    sql: `
ALTER TABLE gateways ADD COLUMN calibration TEXT;
`,
  },
  {
    version: 25,
    name: "redemptions by time",
    // Trends, revenue and the coupon report read a period of redemptions; without this index each
    // read scanned every redemption the organisation ever made.
    sql: `
CREATE INDEX redemptions_redeemed ON redemptions(redeemed_at);
`,
  },
  {
    version: 26,
    name: "gifts name their coupon's batch",
    // A batch's gifts are listed for the marketer by batch. The gift keeps the batch itself instead
    // of reaching it through the coupon: erasing a friend who accepted one deletes the coupon (see
    // migration 14), and the giver's record of the gift must still count in its batch. Gifts made
    // before this take the batch of their coupon where it still exists.
    sql: `
ALTER TABLE coupon_gifts ADD COLUMN batch_id TEXT;
UPDATE coupon_gifts SET batch_id = (SELECT o.batch_id FROM offers o WHERE o.id = coupon_gifts.coupon_id);
CREATE INDEX coupon_gifts_batch ON coupon_gifts(batch_id, created_at, id);
`,
  },
];

/** Applies every migration newer than the database's version, each in its own transaction. */
export async function migrate(db: SqliteDatabase, now: number): Promise<number> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const row = await db.get<{ version: number | null }>(
    "SELECT MAX(version) AS version FROM schema_migrations",
  );
  const current = row?.version ?? 0;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this release knows (${latest})`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
        migration.version,
        migration.name,
        now,
      ]);
    });
  }
  return latest;
}
