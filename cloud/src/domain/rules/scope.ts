import type { Problem } from "../../../../protocol/index.js";
import type { RuleSpec, Scope } from "./ruleSpec.js";

/** Where an event happened, as far as scope matching is concerned. */
export interface Place {
  readonly storeId: string;
  readonly zoneId: string;
  readonly storeTags: readonly string[];
  readonly zoneTags: readonly string[];
}

/**
 * Whether `place` is inside `scope`. Per dimension the selectors add up (id listed OR a tag
 * carried); store and zone dimensions combine with AND; an absent dimension matches everything.
 */
export function matchesScope(scope: Scope | undefined, place: Place): boolean {
  if (scope === undefined) return true;
  return (
    matchesDimension(scope.storeIds, scope.storeTags, place.storeId, place.storeTags) &&
    matchesDimension(scope.zoneIds, scope.zoneTags, place.zoneId, place.zoneTags)
  );
}

function matchesDimension(
  ids: readonly string[] | undefined,
  tags: readonly string[] | undefined,
  id: string,
  placeTags: readonly string[],
): boolean {
  if (ids === undefined && tags === undefined) return true;
  if (ids?.includes(id)) return true;
  return tags !== undefined && placeTags.some((t) => tags.includes(t));
}

/** The organisation's stores and the zone ids of each: what a rule's scope may name. */
export type KnownPlaces = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The ids a rule names that do not exist in its organisation: a rule scoped to an unknown store or
 * zone, or varied for an unknown store, is valid JSON but can never fire there, so a marketer is told
 * at once, in a sentence, rather than finding out from an empty funnel. Tags are not checked: a
 * store may be tagged after the rule is written.
 */
export function unknownPlaces(spec: Pick<RuleSpec, "scope" | "offer">, known: KnownPlaces): Problem[] {
  const problems: Problem[] = [];
  const scope = spec.scope;
  scope?.storeIds?.forEach((id, i) => {
    if (!known.has(id)) problems.push({ path: `/scope/storeIds/${i}`, message: `no store "${id}" in this organisation` });
  });
  const allZones = new Set([...known.values()].flatMap((zones) => [...zones]));
  scope?.zoneIds?.forEach((id, i) => {
    if (!allZones.has(id)) problems.push({ path: `/scope/zoneIds/${i}`, message: `no store of this organisation has a zone "${id}"` });
  });
  // Store and zone selectors combine with AND: listed zones none of which is in a listed store never match.
  if (problems.length === 0 && scope?.storeIds && scope.zoneIds && !scope.storeTags && !scope.zoneTags) {
    const zonesOfStores = new Set(scope.storeIds.flatMap((id) => [...(known.get(id) ?? [])]));
    if (!scope.zoneIds.some((id) => zonesOfStores.has(id))) {
      problems.push({ path: "/scope/zoneIds", message: "none of these zones is in the stores chosen, so the rule could never fire" });
    }
  }
  spec.offer.variations?.forEach((v, i) => {
    if (!known.has(v.storeId)) problems.push({ path: `/offer/variations/${i}/storeId`, message: `no store "${v.storeId}" in this organisation` });
  });
  return problems;
}
