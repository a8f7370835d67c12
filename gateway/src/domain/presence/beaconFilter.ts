/**
 * What a beacon is in the store, when the operator says so: a staff badge or a fixed beacon (the
 * till's, a shelf tag) is heard all day and is no shopper's arrival.
 */
export type BeaconRole = "staff" | "fixture" | "other";

/** One entry of an allow or deny list. */
export interface BeaconListEntry {
  /**
   * A subject id (`ibeacon:<uuid>:<major>:<minor>`, `eddystone-uid:…`), or a prefix of one ending in
   * `*` (`ibeacon:<uuid>:7:*`: every badge of major 7). Compared without regard to case.
   */
  readonly match: string;
  readonly role?: BeaconRole;
}

export interface BeaconLists {
  /** When not empty, only subjects matching an entry are tracked. */
  readonly allow: readonly BeaconListEntry[];
  /** Subjects matching an entry are never tracked, allowed or not. */
  readonly deny: readonly BeaconListEntry[];
}

/** `tracked`, or why not: on the deny list (with the entry's role), or missing from a non-empty allow list. */
export type BeaconVerdict =
  | { readonly tracked: true }
  | { readonly tracked: false; readonly reason: "denied"; readonly role: BeaconRole | null }
  | { readonly tracked: false; readonly reason: "not-allowed" };

interface Compiled {
  readonly exact: ReadonlyMap<string, BeaconListEntry>;
  readonly prefixes: readonly { readonly prefix: string; readonly entry: BeaconListEntry }[];
}

function compile(entries: readonly BeaconListEntry[]): Compiled {
  const exact = new Map<string, BeaconListEntry>();
  const prefixes: { prefix: string; entry: BeaconListEntry }[] = [];
  for (const entry of entries) {
    const match = entry.match.toLowerCase();
    if (match.endsWith("*")) prefixes.push({ prefix: match.slice(0, -1), entry });
    else exact.set(match, entry);
  }
  return { exact, prefixes };
}

function find(list: Compiled, id: string): BeaconListEntry | null {
  const hit = list.exact.get(id);
  if (hit !== undefined) return hit;
  for (const p of list.prefixes) if (id.startsWith(p.prefix)) return p.entry;
  return null;
}

/**
 * Compiles the lists once into a verdict per subject id: deny first, then the allow list if it
 * has entries. Exact ids are one map lookup; prefixes are few (a list per store), tried in order.
 * Pure: the same lists and id give the same verdict.
 */
export function beaconFilter(lists: BeaconLists): (subjectId: string) => BeaconVerdict {
  const allow = compile(lists.allow);
  const deny = compile(lists.deny);
  const allowAll = lists.allow.length === 0;
  const tracked: BeaconVerdict = { tracked: true };
  const notAllowed: BeaconVerdict = { tracked: false, reason: "not-allowed" };
  return (subjectId) => {
    const id = subjectId.toLowerCase();
    const denied = find(deny, id);
    if (denied !== null) return { tracked: false, reason: "denied", role: denied.role ?? null };
    if (allowAll || find(allow, id) !== null) return tracked;
    return notAllowed;
  };
}
