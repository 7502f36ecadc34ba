/**
 * Colours for new datasets, distinct on the dark globe and from each other (Tailwind's 500 shades,
 * the Globe app's blue first). A new dataset takes the first one no dataset uses yet, so two datasets
 * created one after the other never look alike; past the palette it cycles.
 */
export const DATASET_PALETTE = ['#3b82f6', '#f97316', '#10b981', '#ec4899', '#eab308', '#8b5cf6', '#06b6d4', '#ef4444', '#84cc16', '#f43f5e', '#14b8a6', '#a855f7'];

export function nextDatasetColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  return DATASET_PALETTE.find((c) => !taken.has(c)) ?? DATASET_PALETTE[used.length % DATASET_PALETTE.length];
}
