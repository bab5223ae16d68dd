// A what-if state re-runs only the techniques its change can affect (escalation/technique-traces.ts):
// a technique none of whose questions about the principal a change alters gives the principal's
// findings without the change, so it is not run again, and what it found stays.
import { beforeAll, describe, expect, it } from 'vitest';
import { denseAwsEnvironment } from '../../../bench/synthetic-aws-dense.js';
import { createAuthorizer } from '../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../src/analyzers/aws-iam/catalog.js';
import { findEscalations } from '../../../src/analyzers/aws-iam/escalation/analyze.js';
import { TECHNIQUES } from '../../../src/analyzers/aws-iam/escalation/registry.js';
import type { EscalationTechnique } from '../../../src/analyzers/aws-iam/escalation/types.js';
import { WhatIfView } from '../../../src/analyzers/aws-iam/escalation/what-if-view.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import {
  account,
  allow,
  doc,
  environment,
  group,
  groupArn,
  resource,
  user,
  userArn,
} from '../../helpers/aws-environment.js';

const A = '111111111111';
const dev = userArn(A, 'dev');
const other = userArn(A, 'other');
const third = userArn(A, 'third');
const readers = groupArn(A, 'readers');
const BUCKET = 'arn:aws:s3:::prod-data';

/**
 * The registry with every technique's `find` counted, per technique, when asked in a what-if state
 * (change-tags-then-act is left as it is: it asks the run's other techniques again, which are counted).
 */
function counted() {
  const inStates = new Map<string, number>();
  const techniques: EscalationTechnique[] = TECHNIQUES.map((t) =>
    t.id === 'change-tags-then-act'
      ? t
      : {
          ...t,
          find(ctx) {
            if (ctx.authorizer instanceof WhatIfView) inStates.set(t.id, (inStates.get(t.id) ?? 0) + 1);
            return t.find(ctx);
          },
        },
  );
  return { techniques, inStates };
}

/** dev may join readers and create access keys for other; readers grants what the test says. */
function estate(groupStatements: Parameters<typeof doc>): AwsEnvironment {
  return environment(
    account(A, {
      users: [
        user(A, 'dev', {
          policy: doc(allow('iam:AddUserToGroup', readers), allow('iam:CreateAccessKey', other)),
        }),
        user(A, 'other'),
        user(A, 'third'),
      ],
      groups: [group(A, 'readers', { policy: doc(...groupStatements) })],
      resources: [resource('s3-bucket', BUCKET, { accountId: A })],
    }),
  );
}

const lines = (edges: { type: string; from: string; to: string; properties: Record<string, unknown> }[]) =>
  edges
    .map((e) => `${e.type} ${e.from} -> ${e.to} [${e.properties.technique ?? e.properties.via ?? ''}]`)
    .sort();

beforeAll(() => loadCatalog());

describe('what-if states re-run only the techniques their change can affect', () => {
  it('a group that adds only s3:GetObject: iam-002 is not run in the state, and its finding stays', () => {
    const { techniques, inStates } = counted();
    const env = estate([allow('s3:GetObject', `${BUCKET}/*`)]);
    const out = findEscalations(createAuthorizer(env), techniques);
    expect(inStates.get('iam-002') ?? 0).toBe(0);
    expect(out.whatIf.techniquesSkipped).toBeGreaterThan(0);
    expect(lines(out.edges)).toEqual([
      `CAN_ACCESS ${dev} -> ${BUCKET} [iam-013]`,
      `CAN_ESCALATE ${dev} -> ${other} [iam-002]`,
    ]);
    // The same edges, evidence and all, as re-running every technique in the state.
    const every = counted();
    const reference = findEscalations(createAuthorizer(env), every.techniques, { rerunAll: true });
    expect(out.edges).toEqual(reference.edges);
    expect(reference.whatIf.techniquesSkipped).toBe(0);
    expect(every.inStates.get('iam-002')).toBe(1);
  });

  it('a group that adds iam:CreateAccessKey: iam-002 is run in the state and finds the new target', () => {
    const { techniques, inStates } = counted();
    const env = estate([allow('iam:CreateAccessKey', third)]);
    const out = findEscalations(createAuthorizer(env), techniques);
    expect(inStates.get('iam-002')).toBe(1);
    expect(lines(out.edges)).toEqual([
      `CAN_ESCALATE ${dev} -> ${other} [iam-002]`,
      `CAN_ESCALATE ${dev} -> ${third} [iam-013]`,
    ]);
    expect(out.edges.find((e) => e.to === third)?.properties.chain).toEqual(['iam-002']);
    expect(out.edges).toEqual(findEscalations(createAuthorizer(env), TECHNIQUES, { rerunAll: true }).edges);
  });

  it('on seeded dense accounts the output is the same as re-running every technique in every state', () => {
    let skipped = 0;
    for (const seed of [3, 42]) {
      const env = denseAwsEnvironment({ roles: 150, seed });
      const out = findEscalations(createAuthorizer(env), TECHNIQUES, { grantHubs: true });
      const reference = findEscalations(createAuthorizer(env), TECHNIQUES, {
        grantHubs: true,
        rerunAll: true,
      });
      expect(out.edges).toEqual(reference.edges);
      expect(out.nodes).toEqual(reference.nodes);
      expect(out.findings).toEqual(reference.findings);
      expect(out.whatIf.techniquesRun + out.whatIf.techniquesSkipped).toBe(reference.whatIf.techniquesRun);
      skipped += out.whatIf.techniquesSkipped;
    }
    // Not vacuous: some states' changes leave techniques unaffected.
    expect(skipped).toBeGreaterThan(0);
  }, 120_000);
});
