// Anomaly detection over a synthetic activity store: N identities (default 2,000) with 31 days of
// per-day aggregates (each identity 20 combinations of action, resource, network, region and user
// agent a day, with a few hours and samples each), then detectAnomalies over the last day and over
// the last 7 days, every anomaly rule, no graph. Prints wall and CPU seconds and the anomalies found
// (on this steady estate, the false positives).
//
//   npx tsx bench/anomalies.ts [--identities 2000] [--days 7]
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectAnomalies } from '../src/activity/anomalies/index.js';
import { ActivityStore } from '../src/activity/store.js';

const { values } = parseArgs({
  options: { identities: { type: 'string', default: '2000' }, days: { type: 'string', default: '7' } },
});
const identities = Number(values.identities);
const reviewDays = Number(values.days);
const dir = await mkdtemp(join(tmpdir(), 'bench-anomalies-'));
const store = await ActivityStore.open(join(dir, 'activity.duckdb'), { threads: 2 });

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const [wall, cpu0] = [performance.now(), cpu()];
  const result = await run();
  console.log(
    `${what}: ${((performance.now() - wall) / 1000).toFixed(2)} s wall, ${(cpu() - cpu0).toFixed(2)} s CPU`,
  );
  return result;
}

await timed('seed', async () => {
  await store.connection.run(`
    INSERT INTO daily (day, source, account, identity, identity_type, action, resource, network, region,
      user_agent, outcome, count, first_time, last_time, hours, samples)
    SELECT d::DATE, 'aws-cloudtrail', '1111' || (i % 3), 'arn:aws:iam::1111' || (i % 3) || ':role/svc-' || i,
      'AssumedRole', 's3:Action' || c, 'arn:aws:s3:::bucket-' || (i % 50) || '/obj-' || c,
      '10.' || (i % 200) || '.' || (c % 2) || '.0/24', 'us-east-1', 'aws-sdk-go-v2/1.30.0',
      CASE WHEN c = 19 THEN 'denied' ELSE 'success' END, 20 + (hash(i, c, d) % 10)::BIGINT,
      d + INTERVAL 9 HOUR, d + INTERVAL 17 HOUR, (1 << 9) | (1 << 13) | (1 << 17),
      [{'time': d + INTERVAL 9 HOUR, 'id': 'evt-' || i || '-' || c || '-' || d::DATE}]
    FROM range(TIMESTAMP '2026-10-01', TIMESTAMP '2026-11-01', INTERVAL 1 DAY) t(d),
      range(${identities}) r(i), range(20) k(c)`);
  await store.connection.run(`
    INSERT INTO coverage_days SELECT source, account, day, sum(count), min(first_time), max(last_time)
    FROM daily GROUP BY ALL`);
});
const [rows] = await store.rows<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM daily');
console.log(`${identities} identities, ${rows?.n} aggregate rows over 31 days`);
const one = await timed('detectAnomalies, 1 day', () => detectAnomalies(store, { day: '2026-10-31' }));
console.log(`  ${one.days[0]?.identities} identities reviewed, ${one.findings.length} anomalies`);
const week = await timed(`detectAnomalies, ${reviewDays} days`, () =>
  detectAnomalies(store, { day: '2026-10-31', days: reviewDays }),
);
const reviewed = week.days.reduce((n, d) => n + d.identities, 0);
console.log(`  ${reviewed} identity-days reviewed, ${week.findings.length} anomalies`);
store.close();
rmSync(dir, { recursive: true, force: true });
