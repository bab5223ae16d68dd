import { describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../../src/analyzers/aws-iam/analyze.js';
import { TECHNIQUES } from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import { ESCALATION_CATEGORIES } from '../../../../src/analyzers/aws-iam/escalation/types.js';
import { evidenceReason, validateInventory } from '../../../../src/model/validate.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
  user,
  userArn,
} from '../../../helpers/aws-environment.js';
import { ACCT, summary } from './helpers.js';

describe('the technique catalogue', () => {
  it('has unique ids, a category, an ATT&CK id, required actions and a reference for every technique', () => {
    const ids = TECHNIQUES.flatMap((t) => [t.id, ...(t.aliases ?? [])]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of TECHNIQUES) {
      expect(ESCALATION_CATEGORIES).toContain(t.category);
      expect(t.attack).toMatch(/^T\d{4}(\.\d{3})?$/);
      // Changing a tag first may take any of several actions (TagUser, TagRole, CreateTags, TagResource…).
      if (t.id !== 'change-tags-then-act') expect(t.requiredActions.length).toBeGreaterThan(0);
      for (const a of t.requiredActions) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      expect(t.references.length).toBeGreaterThan(0);
    }
  });
});

describe('can-escalate edge family', () => {
  const dev = userArn(ACCT, 'dev');
  const env = environment(
    account(ACCT, {
      users: [
        user(ACCT, 'dev', {
          policy: doc(
            allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], '*'),
            allow('iam:PutUserPolicy', dev),
            allow('ssm:SendCommand', `arn:aws:ec2:*:${ACCT}:instance/*`),
          ),
        }),
        user(ACCT, 'admin', { policy: doc(allow('*')) }),
      ],
      roles: [
        role(ACCT, 'fn', trusts({ Service: ['lambda.amazonaws.com'] }), { policy: doc(allow('dynamodb:*')) }),
        role(ACCT, 'web', trusts({ Service: ['ec2.amazonaws.com'] }), { policy: doc(allow('s3:*')) }),
      ],
      resources: [
        resource('ec2-instance', `arn:aws:ec2:eu-west-1:${ACCT}:instance/i-0aaaaaaaaaaaaaaaa`, {
          roleArns: [roleArn(ACCT, 'web')],
        }),
      ],
      collected: { 'iam-get-account-authorization-details': true, 'ec2-describe-instances': true },
    }),
  );

  it('derives edges to roles and to the account, and they load as a valid inventory', async () => {
    const analysis = await analyzeAws(env, { families: ['can-escalate'] });
    expect(analysis.issues.filter((i) => i.source === 'analyzer:can-escalate')).toEqual([]);
    expect(summary(analysis.edges)).toEqual([
      `user/dev -> aws:account:${ACCT} [iam-007]`,
      'user/dev -> role/fn [lambda-001]',
      'user/dev -> role/web [ssm-002]',
    ]);
    const inventory = validateInventory(
      {
        format: 'reachgraph-inventory',
        version: 1,
        source: { name: 'test' },
        scopes: [{ id: `aws:${ACCT}`, provider: 'aws' }],
        nodes: [],
        relationships: analysis.edges,
      },
      'escalation edges',
    );
    const loaded = inventory.relationships.find((r) => r.to === roleArn(ACCT, 'web'));
    expect(evidenceReason(loaded?.evidence ?? [])).toMatch(
      /^ssm-002 ssm:SendCommand: can run a command through SSM on ec2-instance/,
    );
    expect(loaded?.properties.conditional).toBe(false);
  });
});
