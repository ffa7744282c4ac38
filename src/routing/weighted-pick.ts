/** Picks an agent platform for a new conversation in proportion to the weights (0 = drained). */
export function pickWeighted<T extends { weight: number }>(options: readonly T[], random: () => number = Math.random): T | undefined {
  const total = options.reduce((sum, o) => sum + o.weight, 0);
  if (total <= 0) return undefined;
  let point = random() * total;
  for (const option of options) {
    point -= option.weight;
    if (point < 0 && option.weight > 0) return option;
  }
  return options.findLast((o) => o.weight > 0);
}
