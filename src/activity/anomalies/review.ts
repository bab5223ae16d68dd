import type { ActivityStore } from '../store.js';

/**
 * What the detectors look at for one day: each identity's aggregate rows of that day, each marked
 * with what its baseline (the `baselineDays` before the day) already held, and the baseline's
 * figures. Read from the store in SQL, so only the day's rows and one row of figures per identity
 * leave DuckDB, however long the window and however many objects an identity touched in it.
 */

/** One event of an aggregate row, kept as a sample (time ISO-8601, the log's event or request id). */
export interface EventSample {
  time: string;
  id: string | null;
}

/** One aggregate row of the day under review, and what the identity's baseline already held. */
export interface ReviewRow {
  identity: string;
  identityType: string | null;
  source: string;
  account: string | null;
  origin: string | null;
  action: string;
  resource: string | null;
  network: string | null;
  region: string | null;
  userAgent: string | null;
  outcome: string;
  count: number;
  firstTime: string;
  lastTime: string;
  /** UTC hours of the day the events fall in (bit h = hour h); null for rows stored without them. */
  hours: number | null;
  samples: EventSample[];
  /** The baseline holds a call of this action. */
  seenAction: boolean;
  /** …of this action on this resource. */
  seenActionResource: boolean;
  /** …a successful call on this resource's container (an object's bucket; else the resource itself). */
  seenContainer: boolean;
  seenNetwork: boolean;
  seenRegion: boolean;
  /** …a call with a user agent of the same family (patterns.ts userAgentFamily). */
  seenUserAgent: boolean;
}

/** The figures of one identity's baseline window. */
export interface BaselineFigures {
  /** First and last day of the window (the day under review is after it). */
  windowStart: string;
  windowEnd: string;
  /** Days of the window the logs of the identity's accounts cover (hold any event). */
  coveredDays: number;
  /** Days of the window with at least one call of the identity. */
  activeDays: number;
  /** Calls per covered day, oldest first (0 on a covered day without calls). */
  volume: number[];
  /** Refused calls per covered day, oldest first. */
  denied: number[];
  /** Calls refused or failed over the window, of all calls (0 when none). */
  errorRate: number;
  /** UTC hours the identity was active in over the window (bit h = hour h); null when unknown. */
  hours: number | null;
  /** The identity's last call before the day under review, over the whole store (ISO-8601). */
  lastActivityBefore: string | null;
}

export interface IdentityReview {
  identity: string;
  day: string;
  rows: ReviewRow[];
  baseline: BaselineFigures;
}

/**
 * `resource_container(r)`: the resource a graph edge names for a logged resource: an S3 object's
 * bucket (`arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`, the resource of the graph's S3 access
 * edges, granted-vs-used.ts withinResource), a Cloud Storage object's bucket; otherwise the resource.
 * `ua_family(ua)`: patterns.ts userAgentFamily.
 */
export const REVIEW_MACROS = [
  `CREATE OR REPLACE TEMP MACRO resource_container(r) AS CASE
     WHEN starts_with(r, 'arn:aws:s3:::') AND contains(r, '/') THEN split_part(r, '/', 1)
     WHEN contains(r, '/objects/') THEN split_part(r, '/objects/', 1)
     ELSE r END`,
  `CREATE OR REPLACE TEMP MACRO ua_family(ua) AS
     coalesce(nullif(lower(regexp_extract(ua, '^[\\s\\[]*([^/\\s\\[\\]]+)', 1)), ''), lower(ua))`,
];

const iso = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`;

/** The baseline window of `day`: the `days` days that end the day before it (ISO dates, inclusive). */
export function windowOf(day: string, days: number): { start: string; end: string } {
  const t = Date.parse(`${day}T00:00:00Z`);
  const at = (n: number) => new Date(t - n * 86_400_000).toISOString().slice(0, 10);
  return { start: at(days), end: at(1) };
}

/** Every identity active on `day`, with its rows marked against the `baselineDays` before it. */
export async function readReviews(
  store: ActivityStore,
  day: string,
  baselineDays: number,
  identity?: string,
): Promise<IdentityReview[]> {
  const { start, end } = windowOf(day, baselineDays);
  const c = store.connection;
  for (const macro of REVIEW_MACROS) await c.run(macro);
  await c.run(
    `CREATE OR REPLACE TEMP TABLE review AS SELECT * FROM daily
     WHERE day = $day::DATE AND identity IS NOT NULL AND ($identity IS NULL OR identity = $identity)`,
    { day, identity: identity ?? null },
  );
  try {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE history AS
       SELECT day, source, account, identity, action, resource, network, region, user_agent, outcome, count, hours
       FROM daily
       WHERE day >= $start::DATE AND day < $day::DATE AND identity IN (SELECT DISTINCT identity FROM review)`,
      { start, day },
    );
    const rows = await store.rows<{
      identity: string;
      identity_type: string | null;
      source: string;
      account: string | null;
      origin: string | null;
      action: string;
      resource: string | null;
      network: string | null;
      region: string | null;
      user_agent: string | null;
      outcome: string;
      count: string;
      first_time: string;
      last_time: string;
      hours: number | null;
      samples: { time: string; id: string | null }[] | null;
      seen_action: boolean;
      seen_action_resource: boolean;
      seen_container: boolean;
      seen_network: boolean;
      seen_region: boolean;
      seen_user_agent: boolean;
    }>(
      // What the baseline held, as distinct sets joined to the day's rows (a user agent's family is
      // worked out once per distinct user agent, not per row).
      `WITH seen_action AS (SELECT DISTINCT identity, action FROM history),
       seen_pair AS (SELECT DISTINCT identity, action, resource FROM history),
       seen_container AS (
         SELECT DISTINCT identity, resource_container(resource) AS container FROM history
         WHERE outcome = 'success' AND resource IS NOT NULL),
       seen_network AS (SELECT DISTINCT identity, network FROM history),
       seen_region AS (SELECT DISTINCT identity, region FROM history),
       seen_family AS (
         SELECT DISTINCT identity, ua_family(user_agent) AS family
         FROM (SELECT DISTINCT identity, user_agent FROM history))
       SELECT r.identity, r.identity_type, r.source, r.account, r.origin, r.action, r.resource, r.network,
         r.region, r.user_agent, r.outcome, r.count, ${iso('r.first_time')} AS first_time,
         ${iso('r.last_time')} AS last_time, r.hours,
         list_transform(r.samples, s -> {'time': ${iso('s.time')}, 'id': s.id}) AS samples,
         sa.identity IS NOT NULL AS seen_action,
         sp.identity IS NOT NULL AS seen_action_resource,
         sc.identity IS NOT NULL AS seen_container,
         sn.identity IS NOT NULL AS seen_network,
         sr.identity IS NOT NULL AS seen_region,
         sf.identity IS NOT NULL AS seen_user_agent
       FROM review r
       LEFT JOIN seen_action sa ON sa.identity = r.identity AND sa.action = r.action
       LEFT JOIN seen_pair sp ON sp.identity = r.identity AND sp.action = r.action
         AND sp.resource IS NOT DISTINCT FROM r.resource
       LEFT JOIN seen_container sc ON sc.identity = r.identity
         AND sc.container = resource_container(r.resource)
       LEFT JOIN seen_network sn ON sn.identity = r.identity AND sn.network IS NOT DISTINCT FROM r.network
       LEFT JOIN seen_region sr ON sr.identity = r.identity AND sr.region IS NOT DISTINCT FROM r.region
       LEFT JOIN seen_family sf ON sf.identity = r.identity
         AND sf.family IS NOT DISTINCT FROM ua_family(r.user_agent)
       ORDER BY r.identity, r.action, r.resource NULLS FIRST, r.network NULLS FIRST, r.region NULLS FIRST,
         r.user_agent NULLS FIRST, r.outcome, r.origin NULLS FIRST, r.source, r.account NULLS FIRST`,
    );
    const figures = await store.rows<{
      identity: string;
      covered_days: string | null;
      active_days: string | null;
      volume: string[] | null;
      denied: string[] | null;
      calls: string | null;
      failed: string | null;
      hours: number | null;
      last_before: string | null;
    }>(
      `WITH ids AS (
         SELECT DISTINCT identity, source, coalesce(account, '') AS account FROM review
         UNION SELECT DISTINCT identity, source, coalesce(account, '') FROM history),
       covered AS (
         SELECT DISTINCT i.identity, c.day FROM ids i JOIN coverage_days c USING (source, account)
         WHERE c.day >= $start::DATE AND c.day < $day::DATE),
       totals AS (
         SELECT identity, day, sum(count) AS total,
           coalesce(sum(count) FILTER (WHERE outcome = 'denied'), 0) AS denied,
           coalesce(sum(count) FILTER (WHERE outcome <> 'success'), 0) AS failed,
           bit_or(hours) AS hours
         FROM history GROUP BY ALL),
       figures AS (
         SELECT c.identity, count(*) AS covered_days, count(t.day) AS active_days,
           list(coalesce(t.total, 0)::VARCHAR ORDER BY c.day) AS volume,
           list(coalesce(t.denied, 0)::VARCHAR ORDER BY c.day) AS denied,
           sum(t.total) AS calls, sum(t.failed) AS failed, bit_or(t.hours) AS hours
         FROM covered c LEFT JOIN totals t ON t.identity = c.identity AND t.day = c.day GROUP BY c.identity),
       last_before AS (
         SELECT identity, ${iso('max(last_time)')} AS last_before FROM daily
         WHERE day < $day::DATE AND identity IN (SELECT DISTINCT identity FROM review) GROUP BY identity)
       SELECT i.identity, f.covered_days, f.active_days, f.volume, f.denied, f.calls::VARCHAR AS calls,
         f.failed::VARCHAR AS failed, f.hours, l.last_before
       FROM (SELECT DISTINCT identity FROM review) i
       LEFT JOIN figures f USING (identity) LEFT JOIN last_before l USING (identity)`,
      { start, day },
    );
    const byIdentity = new Map<string, ReviewRow[]>();
    for (const r of rows) {
      const list = byIdentity.get(r.identity) ?? [];
      list.push({
        identity: r.identity,
        identityType: r.identity_type,
        source: r.source,
        account: r.account,
        origin: r.origin,
        action: r.action,
        resource: r.resource,
        network: r.network,
        region: r.region,
        userAgent: r.user_agent,
        outcome: r.outcome,
        count: Number(r.count),
        firstTime: r.first_time,
        lastTime: r.last_time,
        hours: r.hours,
        samples: r.samples ?? [],
        seenAction: r.seen_action,
        seenActionResource: r.seen_action_resource,
        seenContainer: r.seen_container,
        seenNetwork: r.seen_network,
        seenRegion: r.seen_region,
        seenUserAgent: r.seen_user_agent,
      });
      byIdentity.set(r.identity, list);
    }
    return figures
      .map((f) => {
        const calls = Number(f.calls ?? 0);
        return {
          identity: f.identity,
          day,
          rows: byIdentity.get(f.identity) ?? [],
          baseline: {
            windowStart: start,
            windowEnd: end,
            coveredDays: Number(f.covered_days ?? 0),
            activeDays: Number(f.active_days ?? 0),
            volume: (f.volume ?? []).map(Number),
            denied: (f.denied ?? []).map(Number),
            errorRate: calls > 0 ? Number(f.failed ?? 0) / calls : 0,
            hours: f.hours,
            lastActivityBefore: f.last_before,
          },
        };
      })
      .sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0));
  } finally {
    await c.run('DROP TABLE IF EXISTS review');
    await c.run('DROP TABLE IF EXISTS history');
  }
}

/** The days the store holds events for, from `from` to `to` (inclusive, ISO dates), oldest first. */
export async function daysWithEvents(store: ActivityStore, from: string, to: string): Promise<string[]> {
  const rows = await store.rows<{ day: string }>(
    `SELECT DISTINCT strftime(day, '%Y-%m-%d') AS day FROM coverage_days
     WHERE day >= $from::DATE AND day <= $to::DATE ORDER BY day`,
    { from, to },
  );
  return rows.map((r) => r.day);
}

/** The last day the store holds events for, or undefined for an empty store. */
export async function lastDayWithEvents(store: ActivityStore): Promise<string | undefined> {
  const [row] = await store.rows<{ day: string | null }>(
    `SELECT strftime(max(day), '%Y-%m-%d') AS day FROM coverage_days`,
  );
  return row?.day ?? undefined;
}
