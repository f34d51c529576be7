// How the package's benchmarks time calls (budgets.mjs, page-floor.mjs): medians, with the
// calls compared taking turns.

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms of each of `fns` over `runs` calls after five warm-up calls. The functions take
 * turns call by call, so a busy moment of the machine falls on all of them alike and their
 * ratios stay fair. */
export function timeTogether(fns, runs = 40) {
  const entries = Object.entries(fns);
  for (let i = 0; i < 5; i++) for (const [, fn] of entries) fn();
  const xs = Object.fromEntries(entries.map(([k]) => [k, []]));
  for (let i = 0; i < runs; i++) {
    // Each turn starts one further on, so no function always runs right after the same
    // other (and its garbage).
    for (let j = 0; j < entries.length; j++) {
      const [k, fn] = entries[(i + j) % entries.length];
      const t = performance.now();
      fn();
      xs[k].push(performance.now() - t);
    }
  }
  return Object.fromEntries(entries.map(([k]) => [k, median(xs[k])]));
}
