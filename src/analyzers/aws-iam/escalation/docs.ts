import { CATALOGUE_EXCLUSIONS, CATALOGUE_IDS, PATHFINDING_CATALOGUE } from './catalogue-ids.js';
import { TECHNIQUES, technique } from './registry.js';
import { ESCALATION_CATEGORIES } from './types.js';
import { uncollectedMarkdown } from './uncollected.js';

/** docs/aws-escalation.md is generated from TECHNIQUES; a unit test keeps the committed file in step. */
export const ESCALATION_DOC = 'docs/aws-escalation.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function escalationMarkdown(): string {
  const lines = [
    '# AWS privilege escalation',
    '',
    '<!-- Generated from src/analyzers/aws-iam/escalation by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'reachgraph derives a `CAN_ESCALATE` edge whenever a principal can use one of the techniques below. Every edge',
    'carries the technique id (`technique`), its MITRE ATT&CK id (`attack`), `self`, and the evidence: each Allow',
    'statement every required action rests on (policy id, statement Sid or `#index`), and for techniques that',
    'pass a role to a service, the trust-policy statement that admits the service.',
    '',
    '## What an edge means',
    '',
    '- **To a principal** (`self: false`): the source can obtain that principal’s credentials or run code as it',
    '  (create its access key, reset its password, rewrite its trust policy, pass it to a service that runs the',
    '  source’s code, act through a resource that runs as it). The edge is emitted for every such principal, not',
    '  only stronger ones: a weaker role may still reach resources the source cannot, and path queries decide',
    '  what is worth reporting.',
    '- **To an account** `aws:account:<id>`: the source can make itself administrator of the account.',
    '  `self: true` when it changes its own permissions (attaches or writes a policy on itself or its group,',
    '  creates or activates a version of a policy that applies to it, joins a group, removes its own boundary or',
    '  deny policies); `self: false` when it changes another principal it can then act as (attach a policy to a',
    '  role it can assume, to a user whose key it can create). Such an edge is emitted when the change makes',
    '  that principal administrator, or *administrator-equivalent*: reachgraph evaluates the principal’s policies',
    '  with the change applied (writing or attaching a policy counts as gaining `Allow *` on `*`), keeping its',
    '  permissions boundary and the SCPs of its account, and when that state is not full control it runs the',
    '  techniques again in it. A technique the state enables and the principal did not have (the group it joined',
    '  grants `iam:*`, or `iam:AttachUserPolicy` on its members) is the next step, up to three steps; the edge’s',
    '  `technique` is the first, `chain` lists the others, and the evidence cites every step’s statements.',
    '- **What a change gains besides** (the *what-if state*): the state’s `CAN_ACCESS` and `CAN_ASSUME` edges that',
    '  the principal did not have, and the principals a technique the state enables reaches, become edges from the',
    '  source: `CAN_ACCESS` to the resource with the gained levels and `via` naming the techniques (merged into',
    '  the source’s own edge to that resource when it has one: levels and evidence unite), and `CAN_ESCALATE` to',
    '  the role. So “user X can add itself to group G and then read bucket B” is the edge X → B with',
    '  `via: [iam-013]` and evidence beginning “iam-013 iam:AddUserToGroup: can add itself to group G, then read B”.',
    '  Only gains are emitted, and at most 32 states are explored per source, shortest chains first.',
    '- **Two principals at once**: a technique may declare actions that any principal the attacker controls can',
    '  perform (invoking a function needs `lambda:InvokeFunction` on it, not the creator’s rights). For each role the',
    '  source controls (reaches with a technique, or can assume), such techniques are decided with the role as the',
    '  actor and the source (and its other controlled roles, at most 16) as helpers: a CloudFormation service role',
    '  creates a function with a privileged role, the source invokes it. The edge goes from the source to the',
    '  function’s role; a finding the role gets alone is its own edge, not this one. The evidence names each',
    '  principal’s part (`… as role stack-role`, `… as <source>`, `… (to control role stack-role)`).',
    '- A principal that is already administrator gets no escalation edges.',
    '- **Conditional**: when a required decision depends on a condition that cannot be decided offline (source',
    '  IP, MFA, tags of a resource not created yet, `aws:SourceArn` in a trust policy), the edge is conditional and',
    '  lists the condition keys; it is never silently granted or dropped.',
    '- **`requires`**: a technique that acts through an existing resource (an instance with a role, a function, a',
    '  development endpoint) uses the collected resources. When the account’s list of them was not collected, or',
    '  reachgraph does not collect that kind (ECS tasks, Glue jobs, launch templates, identity pools), the edge goes',
    '  to every role the service could run as and `requires` names what must exist (e.g. `an EC2 instance running',
    '  as app`). The collection cannot tell whether it exists, so the edge is *conditional* on the pseudo',
    '  condition key `reachgraph:PrerequisiteExists` and is listed apart with the conditional edges in answers,',
    '  the reachability summary and reports.',
    '  Such an edge is one pair of a product: the source’s decisions (the actions on its account) × the roles of',
    '  the account that trust the service (the trust decision, the reason and `requires` for that role). Its',
    '  evidence is the source’s side first (the technique and “can … running as any role of account A trusting',
    '  S, if one exists”, then the statements of the source’s decisions, with their conditions), then the',
    '  role’s side (the reason for that role, the trust statement, with `reachgraph:PrerequisiteExists`). A',
    '  source that reaches every role of the class through those techniques and nothing else is stored once,',
    '  as a member leg into a `Grant` hub (`grant:aws:<account>:escalate:<digest>`, one per class and set of',
    '  techniques) whose target legs carry the roles’ sides ([graph-model.md](graph-model.md#grant)); answers,',
    '  reports and `analyze --json` see the pair edges the hub stands for.',
    '- **PassRole + create a workload** is such a product too when the source’s `iam:PassRole` decision (taken',
    '  per role, with `iam:PassedToService`) is the same for every role of the account trusting the service:',
    '  same outcome, same Allow and Deny statements, same undecided conditions (`escalation/pass-role-class.ts`).',
    '  Its evidence then states that decision once, for the class (“iam:PassRole to S on every role of account A',
    '  trusting it”), and the source may join the class’s hub. A source whose decision differs for some role (a',
    '  Resource pattern covering part of the class, a second statement for one role, a Deny or a boundary leaving',
    '  one out, a condition on one role) keeps one edge per role, its PassRole record naming the role. A hub',
    '  groups sources whose pairs are all conditional, or all hold outright, with the same techniques in the same',
    '  order: the pair through it is the per-pair edge exactly.',
    '- **A prerequisite the collection shows absent** is no `requires`: every role’s instance profiles are in the',
    '  account’s authorization details, so a role no instance profile holds has none. An EC2 technique then counts',
    '  only when the source can also create one (`iam:CreateInstanceProfile` and `iam:AddRoleToInstanceProfile`),',
    '  and creating it is part of the edge’s reason and evidence; otherwise there is no edge.',
    '- Several techniques reaching the same target make one edge; `technique` names the one that needs least',
    '  (no `requires`, unconditional, fewest steps, then catalogue order) and the evidence lists every technique found.',
    '- `sts:AssumeRole` itself is a `CAN_ASSUME` edge, not an escalation technique (pathfinding.cloud sts-001 to',
    '  sts-003; see Catalogue coverage).',
    '',
    'Known limits: iam-025/iam-026 (removing a deny policy) count only when the principal is administrator',
    'without the deny, not when the deny blocked another escalation action; actions that create a resource',
    '(a new function, stack or task) are checked against a resource the principal’s own `Resource` patterns name.',
    '',
    '## Techniques',
    '',
    '| id | name | category | required actions | ATT&CK | reference |',
    '|---|---|---|---|---|---|',
  ];
  const ordered = [...TECHNIQUES].sort(
    (a, b) =>
      ESCALATION_CATEGORIES.indexOf(a.category) - ESCALATION_CATEGORIES.indexOf(b.category) ||
      a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
  for (const t of ordered) {
    const ids = [t.id, ...(t.aliases ?? [])].map((i) => `\`${i}\``).join(', ');
    const ref = t.references[0];
    lines.push(
      `| ${ids} | ${cell(t.name)} | ${t.category} | ${t.requiredActions.map((a) => `\`${a}\``).join(', ')} | ${t.attack} | ${ref ? `[${cell(ref.title)}](${ref.url})` : ''} |`,
    );
  }
  lines.push('', ...catalogueCoverage());
  lines.push('', ...uncollectedMarkdown());
  lines.push('', '## Details', '');
  for (const t of ordered) {
    lines.push(
      `### ${t.id}: ${t.name}`,
      '',
      t.description,
      '',
      ...t.references.map((r) => `- [${r.title}](${r.url})`),
      '',
    );
  }
  return lines.join('\n');
}

/** Which pathfinding.cloud paths are techniques here, which are other edges, which techniques are extra. */
function catalogueCoverage(): string[] {
  const covered = CATALOGUE_IDS.filter((id) => technique(id));
  const extra = TECHNIQUES.filter(
    (t) => ![t.id, ...(t.aliases ?? [])].some((i) => CATALOGUE_IDS.includes(i)),
  );
  return [
    '## Catalogue coverage',
    '',
    `Technique ids are [pathfinding.cloud](https://github.com/${PATHFINDING_CATALOGUE.repository}) path ids`,
    `(catalogue read on ${PATHFINDING_CATALOGUE.readOn}, listed in \`src/analyzers/aws-iam/escalation/catalogue-ids.ts\`):`,
    `${covered.length} of its ${CATALOGUE_IDS.length} paths are techniques here (a few as an alias of another id); the`,
    'others are derived by another edge family:',
    '',
    '| id | covered by |',
    '|---|---|',
    ...Object.entries(CATALOGUE_EXCLUSIONS).map(([id, why]) => `| \`${id}\` | ${cell(why)} |`),
    '',
    `Techniques beyond the catalogue keep a readable slug as id: ${extra.map((t) => `\`${t.id}\``).join(', ')}.`,
  ];
}
