import { findingOrder } from './findings.js';
import type { ChangedPath, Finding, ReportDiff } from './types.js';

/**
 * What changed between the previous report and this one, by fingerprint. Both lists hold every
 * finding of their report, active and suppressed (a suppressed one carries `suppression`):
 *
 * - new: active now and not active in the previous report (absent then, or suppressed then). A
 *   finding that is suppressed now is never new, so accepting a risk raises no alert; when its
 *   suppression expires or is removed it becomes new once, because it was not active before.
 * - resolved: in the previous report (active or suppressed) and in neither list now: the problem
 *   is gone. A finding that is merely suppressed now is not resolved, it still exists.
 * - unchanged: active in both.
 * - paths (category `reach`): the new and resolved ones, plus those active in both whose route
 *   (the hop sequence), access levels or conditionality changed.
 *
 * The first report (no previous one) has every active finding new and nothing resolved.
 */
export function diffFindings(
  previous: Finding[] | null,
  current: Finding[],
  previousMeta: { id: string; generatedAt: string } | null,
  /** When this report was generated: the resolvedAt of the resolved findings. */
  generatedAt: string = new Date().toISOString(),
): ReportDiff {
  const before = byFingerprint(previous ?? []);
  const now = byFingerprint(current);

  const newFindings: Finding[] = [];
  const changedPaths: ChangedPath[] = [];
  let unchangedCount = 0;
  for (const finding of now.values()) {
    if (finding.suppression) continue;
    const earlier = before.get(finding.fingerprint);
    if (!earlier || earlier.suppression) {
      newFindings.push(finding);
      continue;
    }
    unchangedCount += 1;
    if (finding.category === 'reach' && routeChanged(earlier, finding))
      changedPaths.push({ before: earlier, after: finding });
  }

  const resolvedFindings = [...before.values()]
    .filter((finding) => !now.has(finding.fingerprint))
    .map((finding) => ({ ...finding, resolvedAt: generatedAt }))
    .sort(findingOrder);
  newFindings.sort(findingOrder);

  return {
    previousReportId: previousMeta?.id ?? null,
    previousGeneratedAt: previousMeta?.generatedAt ?? null,
    newFindings,
    resolvedFindings,
    unchangedCount,
    newPaths: newFindings.filter(isReach),
    removedPaths: resolvedFindings.filter(isReach),
    changedPaths,
  };
}

/** The same route: the same hops (from, type, to) in order, the same levels, the same conditionality. */
export function routeChanged(before: Finding, after: Finding): boolean {
  return before.conditional !== after.conditional || routeKey(before) !== routeKey(after);
}

function routeKey(finding: Finding): string {
  return JSON.stringify(
    finding.path.map((hop) => [hop.from.id, hop.type, hop.to.id, [...hop.levels].sort(), hop.conditional]),
  );
}

const isReach = (finding: Finding) => finding.category === 'reach';

/** One finding per fingerprint; should a list repeat one, its first occurrence counts. */
function byFingerprint(findings: Finding[]): Map<string, Finding> {
  const map = new Map<string, Finding>();
  for (const finding of findings) if (!map.has(finding.fingerprint)) map.set(finding.fingerprint, finding);
  return map;
}
