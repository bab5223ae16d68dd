import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection, in percent.
 * Left to itself, V8 picks a factor of up to 4 when the heap limit is large and the program
 * allocates fast (its MemoryController: https://github.com/v8/v8/blob/main/src/heap/heap-controller.cc,
 * where `--heap-growing-percent` replaces the factor it works out), and the analysis of a dense account allocates tens of GB
 * of short-lived decisions and edges over a live set of a few hundred MB: the process's peak RSS
 * was four to five times what was alive (docs/performance.md). A factor of 1.5 keeps the peak
 * near one and a half times the live set (plus what is allocated while a collection marks), for
 * more frequent full collections: at 1,000 roles of the dense account 21 % less peak for 8 % more
 * CPU than a factor of 2, and at 2,000 roles 2,112 → 1,605 MB ("After: the analysis at 2,000
 * roles profiled" in docs/performance.md).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's heap growing factor for this process (`--heap-growing-percent`, read at every full
 * collection, so it applies from the next one) unless the process was started with one of its own
 * (in its flags or NODE_OPTIONS). Returns the percent in force when it set it, undefined otherwise.
 */
export function boundHeapGrowth(
  flags: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): number | undefined {
  const given = [...flags, ...(nodeOptions ?? '').split(/\s+/)].some((flag) =>
    /^--heap[-_]growing[-_]percent\b/.test(flag),
  );
  if (given) return undefined;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
