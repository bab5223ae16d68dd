import { CONDITION_KEYS, type KeyDecision } from './condition-keys.js';

/** docs/aws-condition-keys.md is generated from CONDITION_KEYS; a unit test keeps the committed file in step. */
export const CONDITION_KEYS_DOC = 'docs/aws-condition-keys.md';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SECTIONS: { decision: KeyDecision; title: string; meaning: string }[] = [
  {
    decision: 'known',
    title: 'Known: decided from the collection or the analysis time',
    meaning:
      'The value (or its absence) is fixed by what was collected, or by the analysis time. A condition on it is true or false; it never makes a statement conditional, except where the row says the value may be unknown.',
  },
  {
    decision: 'attacker-chosen',
    title: 'Attacker-chosen: satisfiable',
    meaning:
      'The caller sets the value in its request. A grant that depends on it holds when some value satisfies every condition on it (and escapes every Deny on it) in one request; it is then not conditional, and the evidence says which value the caller sends. Conditions no single value satisfies grant nothing.',
  },
  {
    decision: 'undecidable',
    title: 'Undecidable: stays conditional',
    meaning:
      'The value depends on the network, the credentials or the calling service when the request is made. A grant that depends on it is conditional and lists the condition; a Deny that depends on it makes the outcome conditional.',
  },
];

export function conditionKeysMarkdown(): string {
  const lines = [
    '# AWS condition keys',
    '',
    '<!-- Generated from src/analyzers/aws-iam/engine/condition-keys.ts by `npm run docs:generate`; do not edit by hand. -->',
    '',
    'How the policy engine decides each condition key offline. A key this table does not name is undecidable unless',
    'the analysis supplies its value for a particular question (`iam:PassedToService` for a role passed to a service,',
    'OIDC claims such as `token.actions.githubusercontent.com:sub` per subject, `aws:SourceArn` for a service acting',
    'for a resource). Key names are case-insensitive; a key ending in `/` or `:` stands for every key with that prefix.',
    'See docs/aws-policy-evaluation.md for the whole evaluation.',
    '',
    '## How conditions are decided',
    '',
    '- **Operators.** Every operator of the [condition operators page](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)',
    '  is evaluated three-valued: true, false, or undecided when the key is unknown offline. Several operators, and',
    '  several keys under one operator, must all hold; several values of one key are alternatives. A false condition',
    '  decides the statement even when others are undecided.',
    '- **A key absent from the request**: negated operators (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …) are',
    '  true, every other operator false.',
    '- **`…IfExists`** is true when the key is absent, and otherwise the operator without the suffix.',
    '- **`Null`**: `"true"` holds when the key is absent, `"false"` when it is present; decided whenever presence is known',
    '  (a caller-chosen key may be left out, so a `Null` check demanding absence is satisfiable).',
    '- **`ForAllValues:`** is true for an absent or empty key and when every value matches; **`ForAnyValue:`** is false',
    '  for an absent key and true when some value matches.',
    '- **Time keys** (`aws:CurrentTime`, `aws:EpochTime`, `aws:TokenIssueTime`): `Date*` and `Numeric*` operators are',
    '  decided from the analysis time (`--as-of`, default now). `aws:TokenIssueTime` is known as an interval, and a',
    '  condition on it is decided only when it has the same value over the whole interval (and, for users, with the key',
    '  absent too); otherwise it stays conditional. An Allow whose date window has ended is no grant; one whose window',
    '  starts later is no grant either, and the analysis notes "not yet: from DATE" (an `info` issue naming the',
    '  principal, the action and the resource). A Deny certainly in force applies; one certainly out of force does not.',
    '- **Attacker-chosen keys** are decided for the caller’s best choice among representative values (each value the',
    '  policies compare with, a shortest match of each pattern, a neighbour of each number, some other value, the key',
    '  left out, and for multi-valued keys all named values at once), with every statement seeing the same request.',
    '  A value the analysis passes for the question it asks is kept, not chosen: an Attach*Policy technique asks with',
    '  `iam:PolicyARN` set to the policy it attaches, a PassRole technique with `iam:PassedToService` set to its service.',
    '',
  ];
  for (const section of SECTIONS) {
    lines.push(
      `## ${section.title}`,
      '',
      section.meaning,
      '',
      '| key | how it is decided |',
      '| --- | --- |',
    );
    for (const entry of CONDITION_KEYS.filter((k) => k.decision === section.decision))
      lines.push(`| [\`${cell(entry.key)}\`](${entry.doc}) | ${cell(entry.how)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
