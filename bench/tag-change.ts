// Tag-change benchmark: the cost of the `change-tags-then-act` escalation technique against the
// other techniques in the same run. A seeded estate where tags decide who is administrator and who
// may assume roles, and many principals may change those tags:
//
//   - a customer-managed `tag-gated-admin` policy (Allow * on * when aws:PrincipalTag/access is
//     admin) attached to a third of the principals, none of them tagged so;
//   - `ops-*` roles trusting their account, which principals may assume only when the role carries
//     aws:ResourceTag/assumable = yes (none does);
//   - principals allowed iam:TagUser/iam:TagRole (on `*`, on the ops roles, or only for the `team`
//     key through aws:TagKeys), and a Deny on aws:PrincipalTag/quarantined that untagging lifts;
//   - the usual rest (PassRole and Lambda, access keys, policies on itself, data reads) so the
//     other techniques have work too.
//
// The escalation analysis runs once with every technique timed where it is called (a technique
// called from within another counts for the caller, so the figures partition the time spent in
// techniques); the rest of the family is the what-if states and the edges.
//
//   npm run bench:tag-change [-- --principals 2000 --roles 200 --seed 42 --json]
//
// Target: change-tags-then-act finds the tag-gated escalations (at least one edge per principal that
// may tag itself into the gated admin policy), and, since it asks every other technique again for
// each tag change it proposes (at most 8 per principal and kind), costs at most twice all the other
// techniques together; a missed target exits with 2.
import { parseArgs } from 'node:util';
import { createAuthorizer } from '../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../src/analyzers/aws-iam/catalog.js';
import { findEscalations } from '../src/analyzers/aws-iam/escalation/analyze.js';
import { TECHNIQUES } from '../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../src/analyzers/aws-iam/escalation/types.js';
import type { AwsEnvironment, AwsRoleData, AwsUserData } from '../src/model/aws/environment.js';
import {
  account,
  allow,
  deny,
  doc,
  environment,
  managed,
  role,
  roleArn,
  type StatementInput,
  trusts,
  user,
} from '../test/helpers/aws-environment.js';
import { log, now, positive, printUsage, runBench, seconds } from './lib.js';
import { prng } from './synthetic-inventory.js';

const TAG_TECHNIQUE = 'change-tags-then-act';
const MAX_RATIO_TO_ALL_OTHERS = 2;
const A = '111111111111';
const GATED_ADMIN = `arn:aws:iam::${A}:policy/tag-gated-admin`;
const TEAMS = ['payments', 'search', 'ml', 'platform', 'data'];

interface Estate {
  environment: AwsEnvironment;
  /** Principals that hold the gated admin policy and may set the `access` tag on themselves. */
  selfTaggers: number;
}

function tagEstate(principals: number, opsRoles: number, seed: number): Estate {
  const random = prng(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const ops = Array.from({ length: opsRoles }, (_, i) =>
    role(A, `ops-${i}`, trusts({ AWS: [`arn:aws:iam::${A}:root`] }), {
      tags: { team: pick(TEAMS) },
      policy: doc(allow(['s3:GetObject', 'dynamodb:Query'])),
    }),
  );
  const users: AwsUserData[] = [];
  const roles: AwsRoleData[] = [...ops];
  let selfTaggers = 0;
  for (let i = 0; i < principals; i++) {
    const isUser = chance(0.4);
    const name = `${pick(TEAMS)}-${isUser ? 'person' : 'app'}-${i}`;
    const self = isUser ? `arn:aws:iam::${A}:user/${name}` : roleArn(A, name);
    const statements: StatementInput[] = [allow(['s3:GetObject', 's3:ListBucket'], 'arn:aws:s3:::data-*')];
    const gated = chance(0.33);
    // Who may change tags: anything, only the team key, or only the ops roles.
    const tagging = random();
    const tagOwn = isUser ? 'iam:TagUser' : 'iam:TagRole';
    if (tagging < 0.15) statements.push(allow([tagOwn, isUser ? 'iam:UntagUser' : 'iam:UntagRole'], self));
    else if (tagging < 0.25)
      statements.push(
        allow(tagOwn, self, { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } }),
      );
    else if (tagging < 0.4) statements.push(allow('iam:TagRole', roleArn(A, 'ops-*')));
    if (gated && tagging < 0.15) selfTaggers++;
    if (chance(0.3))
      statements.push(
        allow('sts:AssumeRole', roleArn(A, 'ops-*'), {
          Condition: { StringEquals: { 'aws:ResourceTag/assumable': ['yes'] } },
        }),
      );
    const quarantined = chance(0.1);
    if (quarantined)
      statements.push(
        deny('*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/quarantined': ['true'] } } }),
      );
    // The rest: the other techniques' usual prerequisites.
    if (chance(0.1))
      statements.push(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], '*'));
    if (chance(0.1)) statements.push(allow('iam:CreateAccessKey', `arn:aws:iam::${A}:user/*`));
    if (chance(0.05)) statements.push(allow(isUser ? 'iam:PutUserPolicy' : 'iam:PutRolePolicy', self));
    const options = {
      tags: { team: pick(TEAMS), ...(quarantined ? { quarantined: 'true' } : {}) },
      attachedPolicyArns: gated ? [GATED_ADMIN] : [],
      policy: doc(...statements),
    };
    if (isUser) users.push(user(A, name, options));
    else roles.push(role(A, name, trusts({ Service: ['lambda.amazonaws.com'] }), options));
  }
  const gatedAdmin = managed(
    GATED_ADMIN,
    doc(allow('*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/access': ['admin'] } } })),
  );
  return {
    environment: environment(account(A, { users, roles, managedPolicies: [gatedAdmin] })),
    selfTaggers,
  };
}

interface Timing {
  calls: number;
  ms: number;
  findings: number;
}

/**
 * Times every technique where it is called, until `restore`; a technique called while another runs
 * (the tag change asks the others again) counts for the outer one. The techniques stay the same
 * objects (the tag change recognises itself among the run's techniques).
 */
function timeTechniques(techniques: readonly EscalationTechnique[]) {
  const timings = new Map<string, Timing>();
  const originals = techniques.map((t) => t.find);
  let depth = 0;
  for (const [i, t] of techniques.entries()) {
    const find = originals[i] as EscalationTechnique['find'];
    (t as { find: EscalationTechnique['find'] }).find = (ctx) => {
      if (depth > 0) return find.call(t, ctx);
      depth++;
      const started = now();
      try {
        const found = find.call(t, ctx);
        const timing = timings.get(t.id) ?? { calls: 0, ms: 0, findings: 0 };
        timing.calls++;
        timing.ms += now() - started;
        timing.findings += found.length;
        timings.set(t.id, timing);
        return found;
      } finally {
        depth--;
      }
    };
  }
  const restore = () => {
    for (const [i, t] of techniques.entries())
      (t as { find: EscalationTechnique['find'] }).find = originals[i] as EscalationTechnique['find'];
  };
  return { timings, restore };
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      principals: { type: 'string' },
      roles: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (flags.help) {
    await printUsage(import.meta.url);
    return 0;
  }
  const principals = positive('principals', flags.principals, 'BENCH_PRINCIPALS', 2_000);
  const opsRoles = positive('roles', flags.roles, 'BENCH_ROLES', 200);
  const seed = positive('seed', flags.seed, 'BENCH_SEED', 42);
  await loadCatalog();
  const estate = tagEstate(principals, opsRoles, seed);
  log(`analyzing escalations of ${principals} principals and ${opsRoles} tag-gated roles (seed ${seed})…`);
  const { timings, restore } = timeTechniques(TECHNIQUES);
  const started = now();
  let result: ReturnType<typeof findEscalations>;
  try {
    result = findEscalations(createAuthorizer(estate.environment), TECHNIQUES);
  } finally {
    restore();
  }
  const familyMs = now() - started;

  const tag = timings.get(TAG_TECHNIQUE) ?? { calls: 0, ms: 0, findings: 0 };
  const others = [...timings].filter(([id]) => id !== TAG_TECHNIQUE).map(([, t]) => t);
  const othersMs = others.reduce((sum, t) => sum + t.ms, 0);
  const meanOtherMs = others.length ? othersMs / others.length : 0;
  const escalations = result.edges.filter((e) => e.type === 'CAN_ESCALATE');
  const byTag = escalations.filter((e) =>
    e.evidence.some((r) => r.reason?.startsWith(TAG_TECHNIQUE) || r.ref === TAG_TECHNIQUE),
  ).length;
  const ratio = meanOtherMs > 0 ? tag.ms / meanOtherMs : 0;
  const targets = [
    { name: `${TAG_TECHNIQUE} edges (≥ self-taggers into admin)`, value: byTag, goal: estate.selfTaggers },
    {
      name: `${TAG_TECHNIQUE} / all other techniques`,
      value: othersMs > 0 ? tag.ms / othersMs : 0,
      goal: MAX_RATIO_TO_ALL_OTHERS,
    },
  ].map((t, i) => ({ ...t, pass: i === 0 ? t.value >= t.goal : t.value <= t.goal }));
  const figures = {
    principals,
    opsRoles,
    seed,
    familyMs,
    techniquesMs: tag.ms + othersMs,
    tag,
    others: { techniques: others.length, ms: othersMs, meanMs: meanOtherMs },
    ratioToMean: ratio,
    ratioToAllOthers: othersMs > 0 ? tag.ms / othersMs : 0,
    edges: { canEscalate: escalations.length, viaTagChange: byTag, selfTaggers: estate.selfTaggers },
    errors: result.findings.length,
    errorMessages: result.findings.slice(0, 3).map((f) => f.message),
    targets,
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else process.stdout.write(`${report(figures)}\n`);
  return targets.every((t) => t.pass) && result.findings.length === 0 ? 0 : 2;
}

function report(f: {
  principals: number;
  opsRoles: number;
  seed: number;
  familyMs: number;
  techniquesMs: number;
  tag: Timing;
  others: { techniques: number; ms: number; meanMs: number };
  ratioToMean: number;
  ratioToAllOthers: number;
  edges: { canEscalate: number; viaTagChange: number; selfTaggers: number };
  errors: number;
  targets: { name: string; value: number; goal: number; pass: boolean }[];
}): string {
  const sec = (ms: number) => `${seconds(ms).toFixed(2)} s`;
  const int = (n: number) => n.toLocaleString('en-US');
  const row = (label: string, calls: string, time: string, detail: string) =>
    `${label.padEnd(30)}${calls.padStart(9)}${time.padStart(10)}  ${detail}`;
  return [
    `reachgraph tag-change benchmark: ${int(f.principals)} principals, ${int(f.opsRoles)} tag-gated roles (seed ${f.seed})`,
    '',
    `escalation analysis ${sec(f.familyMs)}: techniques ${sec(f.techniquesMs)}, what-if states and edges ${sec(f.familyMs - f.techniquesMs)}`,
    row('technique', 'calls', 'time', 'findings'),
    row(TAG_TECHNIQUE, int(f.tag.calls), sec(f.tag.ms), int(f.tag.findings)),
    row(
      `other techniques (${f.others.techniques})`,
      '',
      sec(f.others.ms),
      `mean ${sec(f.others.meanMs)} per technique`,
    ),
    '',
    `${TAG_TECHNIQUE}: ${f.ratioToMean.toFixed(1)}× the mean other technique, ${f.ratioToAllOthers.toFixed(2)}× all others together`,
    `CAN_ESCALATE edges: ${int(f.edges.canEscalate)}, ${int(f.edges.viaTagChange)} through a tag change (${int(f.edges.selfTaggers)} principals may tag themselves into the gated admin policy)`,
    ...(f.errors ? [`ANALYSIS ERRORS: ${f.errors}`] : []),
    '',
    ...f.targets.map(
      (t) =>
        `${t.name.padEnd(52)} ${(Number.isInteger(t.value) ? int(t.value) : t.value.toFixed(2)).padStart(8)}  ${t.pass ? 'PASS' : 'FAIL'} (${t.name.includes('/') ? '≤' : '≥'} ${int(t.goal)})`,
    ),
  ].join('\n');
}

// Nothing to clean up: it runs in memory.
await runBench(
  async () => {
    process.exitCode = await main();
  },
  async () => {},
);
