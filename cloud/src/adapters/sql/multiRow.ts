/** `items` in slices of at most `size`, in order: the rows of one multi-row statement each. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The VALUES rows of a multi-row statement, `(?, ?, …)` each: values are always parameters. */
export const placeholders = (rows: number, columns: number): string => {
  const row = `(${new Array<string>(columns).fill("?").join(", ")})`;
  return new Array<string>(rows).fill(row).join(", ");
};
