import type { Scope } from "./ruleSpec.js";

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
