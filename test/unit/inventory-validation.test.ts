import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InventorySchema } from '../../src/model/inventory.js';
import {
  evidenceReason,
  InventoryError,
  parseInventoryText,
  validateInventory,
} from '../../src/model/validate.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const BUCKET = 'arn:aws:s3:::prod-data';

function inventory(overrides: Record<string, unknown> = {}) {
  return {
    format: 'reachgraph-inventory',
    version: 1,
    source: { name: 'test' },
    scopes: [{ id: 'aws:123456789012', provider: 'aws' }],
    nodes: [
      {
        id: ROLE,
        kind: 'AwsRole',
        scope: 'aws:123456789012',
        properties: { name: 'deploy', nonHuman: true, nhiType: 'role' },
      },
      {
        id: BUCKET,
        kind: 'AwsS3Bucket',
        scope: 'aws:123456789012',
        properties: { name: 'prod-data', environment: 'production' },
      },
    ],
    relationships: [
      {
        type: 'CAN_ACCESS',
        from: ROLE,
        to: BUCKET,
        properties: { levels: ['read'] },
        evidence: [
          {
            source: 'identity-policy',
            ref: 'arn:aws:iam::123456789012:policy/p',
            statement: 'Read',
            reason: 'p allows s3:GetObject',
          },
        ],
      },
    ],
    ...overrides,
  };
}

function problems(input: unknown): string[] {
  try {
    validateInventory(input, 'input.json');
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return (error as InventoryError).problems;
  }
  throw new Error('expected the inventory to be rejected');
}

describe('validateInventory', () => {
  it('accepts a valid inventory and resolves kinds, labels, scopes, defaults and evidence', () => {
    const valid = validateInventory(inventory(), 'input.json');
    const role = valid.nodes.find((n) => n.id === ROLE);
    expect(role?.labels).toEqual(['AwsRole', 'Principal', 'Entity']);
    expect(role?.properties.provider).toBe('aws');
    const bucket = valid.nodes.find((n) => n.id === BUCKET);
    expect(bucket?.labels).toEqual(['AwsS3Bucket', 'Resource', 'Entity']);
    expect(bucket?.properties.sensitivity).toBe('unknown');
    const [edge] = valid.relationships;
    expect(edge).toMatchObject({ fromKind: 'AwsRole', toKind: 'AwsS3Bucket', scope: 'aws:123456789012' });
    expect(edge?.properties).toMatchObject({
      conditional: false,
      conditions: [],
      levels: ['read'],
    });
    expect(edge?.evidence).toHaveLength(1);
  });

  it('the bundled sample inventory is valid', () => {
    const text = readFileSync(new URL('../../examples/sample-inventory.json', import.meta.url), 'utf8');
    const valid = parseInventoryText(text, 'sample');
    expect(valid.nodes.length).toBeGreaterThan(10);
    expect(valid.relationships.some((r) => r.type === 'CAN_ACCESS')).toBe(true);
  });

  it('names the file when the JSON does not parse', () => {
    expect(() => parseInventoryText('{"format": ', 'broken.json')).toThrow(
      /^broken\.json: invalid inventory[\s\S]*not valid JSON/,
    );
  });

  it('rejects an unknown kind, naming the record', () => {
    const input = inventory();
    input.nodes.push({ id: 'x', kind: 'AwsRocket', properties: { name: 'x' } } as never);
    expect(problems(input)).toEqual([
      'nodes[2] (id "x") kind: unknown node kind "AwsRocket" (kinds: docs/graph-model.md)',
    ]);
  });

  it('cuts a huge id in the problem line instead of repeating it', () => {
    const input = inventory();
    const huge = `arn:aws:iam::123456789012:rocket/${'x'.repeat(1_000_000)}`;
    input.nodes.push({
      id: huge,
      kind: 'AwsRole',
      scope: 'aws:123456789012',
      properties: { name: 'x' },
    } as never);
    const [problem] = problems(input);
    expect(problem?.length).toBeLessThan(400);
    expect(problem).toMatch(
      /^nodes\[2\] \(id "arn:aws:iam::123456789012:rocket\/x+… \(1000033 characters\)"\): id does not match/,
    );
  });

  it('rejects unknown fields at every level', () => {
    const input = inventory({ extra: true });
    (input.nodes[0] as Record<string, unknown>).colour = 'red';
    const found = problems(input);
    expect(found).toContain('(top level): Unrecognized key: "extra"');
    expect(found.some((p) => p.startsWith(`nodes[0] (id "${ROLE}")`) && p.includes('colour'))).toBe(true);
  });

  it('rejects a missing id', () => {
    const input = inventory();
    input.nodes.push({ kind: 'AwsRole', properties: { name: 'x' } } as never);
    expect(problems(input)[0]).toMatch(/^nodes\[2\] \(id "undefined"\) id: /);
  });

  it('rejects duplicate ids with different kinds, naming both records', () => {
    const input = inventory();
    input.nodes.push({
      id: ROLE,
      kind: 'AwsUser',
      properties: { name: 'deploy', nonHuman: true, nhiType: 'bot' },
    } as never);
    expect(problems(input)).toEqual([
      `nodes[2] (id "${ROLE}"): duplicate id with a different kind: AwsUser here, AwsRole at nodes[0]`,
    ]);
  });

  it('merges exact duplicates but rejects conflicting ones', () => {
    const same = inventory();
    same.nodes.push(structuredClone(same.nodes[0]) as never);
    expect(validateInventory(same, 'x').nodes).toHaveLength(2);
    const conflicting = inventory();
    conflicting.nodes.push({
      ...structuredClone(conflicting.nodes[0]),
      properties: { name: 'other', nonHuman: true, nhiType: 'role' },
    } as never);
    expect(problems(conflicting)[0]).toMatch(/duplicate of nodes\[0\] with different scope or properties/);
  });

  it('checks ids against the kind’s id format', () => {
    const input = inventory();
    (input.nodes[0] as { id: string }).id = 'deploy';
    (input.relationships[0] as { from: string }).from = 'deploy';
    expect(problems(input)[0]).toBe(
      'nodes[0] (id "deploy"): id does not match the AwsRole format arn:aws:iam::<account>:role/<path><name>',
    );
  });

  it('checks declared property types and allowed values', () => {
    const input = inventory();
    (input.nodes[0] as { properties: Record<string, unknown> }).properties.nonHuman = 'yes';
    (input.nodes[1] as { properties: Record<string, unknown> }).properties.environment = 'prod';
    const found = problems(input);
    expect(found).toContain(`nodes[0] (id "${ROLE}"): property "nonHuman" must be true or false, got "yes"`);
    expect(found).toContain(
      `nodes[1] (id "${BUCKET}"): property "environment" "prod" is not one of production, staging, development, unknown`,
    );
  });

  it('rejects nested maps as property values (Neo4j cannot store them)', () => {
    const input = inventory();
    (input.nodes[0] as { properties: Record<string, unknown> }).properties.tags = { env: 'prod' };
    expect(problems(input)[0]).toMatch(/^nodes\[0\] .* properties\.tags: /);
  });

  it('requires nhiType for non-human principals', () => {
    const input = inventory();
    delete (input.nodes[0] as { properties: Record<string, unknown> }).properties.nhiType;
    expect(problems(input)).toEqual([`nodes[0] (id "${ROLE}"): a non-human principal needs "nhiType"`]);
  });

  it('requires evidence on derived edges and not on structural ones', () => {
    const input = inventory();
    (input.relationships[0] as { evidence: unknown[] }).evidence = [];
    expect(problems(input)).toEqual([
      `relationships[0] (CAN_ACCESS "${ROLE}" -> "${BUCKET}"): a terminal edge needs at least one evidence record`,
    ]);
    const structural = inventory({ relationships: [{ type: 'CONTAINS', from: BUCKET, to: ROLE }] });
    expect(validateInventory(structural, 'x').relationships).toHaveLength(1);
  });

  it('checks relationship endpoints: present, or given a kind', () => {
    const missing = inventory();
    (missing.relationships[0] as { to: string }).to = 'arn:aws:s3:::elsewhere';
    expect(problems(missing)[0]).toMatch(
      /"arn:aws:s3:::elsewhere" is not a node of this inventory; give toKind/,
    );
    const linked = inventory();
    Object.assign(linked.relationships[0] as object, { to: 'arn:aws:s3:::elsewhere', toKind: 'AwsS3Bucket' });
    expect(validateInventory(linked, 'x').relationships[0]?.toKind).toBe('AwsS3Bucket');
  });

  it('checks which kinds an edge may connect', () => {
    const input = inventory();
    Object.assign(input.relationships[0] as object, { from: BUCKET, to: ROLE });
    const found = problems(input);
    expect(found).toContain(
      `relationships[0] (CAN_ACCESS "${BUCKET}" -> "${ROLE}"): CAN_ACCESS cannot start at a AwsS3Bucket (allowed: Principal)`,
    );
    expect(found).toContain(
      `relationships[0] (CAN_ACCESS "${BUCKET}" -> "${ROLE}"): CAN_ACCESS cannot end at a AwsRole (allowed: Resource)`,
    );
  });

  it('requires scopes to be declared', () => {
    const input = inventory({ scopes: [] });
    expect(problems(input)).toContain(
      `nodes[0] (id "${ROLE}"): scope "aws:123456789012" is not declared in "scopes"`,
    );
  });

  it('folds evidence of the same edge given twice, and marks an edge conditional only when every grant is', () => {
    const input = inventory();
    const second = structuredClone(input.relationships[0]) as { evidence: Record<string, unknown>[] };
    second.evidence = [
      {
        source: 'resource-policy',
        ref: BUCKET,
        reason: 'bucket policy allows the role from 10.0.0.0/8',
        conditions: ['aws:SourceIp'],
      },
    ];
    input.relationships.push(second as never);
    const [edge] = validateInventory(input, 'x').relationships;
    expect(edge?.properties.conditional).toBe(false);
    // The reason is not stored: readers derive it from the evidence.
    expect(edge?.properties.reason).toBeUndefined();
    expect(evidenceReason(edge?.evidence ?? [])).toBe('p allows s3:GetObject (+1 more)');
    expect(edge?.properties.conditions).toEqual(['aws:SourceIp']);
    expect(edge?.evidence).toHaveLength(2);

    const onlyConditional = inventory();
    (onlyConditional.relationships[0] as { evidence: unknown[] }).evidence = second.evidence;
    expect(validateInventory(onlyConditional, 'x').relationships[0]?.properties.conditional).toBe(true);
  });

  it('shows at most 25 problems and counts the rest', () => {
    const input = inventory();
    for (let i = 0; i < 30; i++)
      input.nodes.push({
        id: `bad-${i}`,
        kind: 'AwsRole',
        properties: { name: 'x', nonHuman: false },
      } as never);
    try {
      validateInventory(input, 'big.json');
    } catch (error) {
      expect((error as Error).message).toMatch(
        /^big\.json: invalid inventory \(30 problems; nothing was loaded\)/,
      );
      expect((error as Error).message).toMatch(/… and 5 more$/);
      return;
    }
    throw new Error('expected a rejection');
  });
});

describe('values an inventory cannot carry unchanged', () => {
  const withBucket = (properties: Record<string, unknown>) => {
    const input = inventory();
    (input.nodes[1] as { properties: Record<string, unknown> }).properties = {
      name: 'prod-data',
      ...properties,
    };
    return input;
  };

  it('rejects a file that is not UTF-8, naming the file and line, instead of replacing the bytes', () => {
    const text = JSON.stringify(withBucket({ owner: 'OWNER' }), null, 2);
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('OWNER');
    bytes[at] = 0xff; // not a UTF-8 byte anywhere
    const line = text.slice(0, text.indexOf('OWNER')).split('\n').length;
    expect(() => parseInventoryText(bytes, 'inv.json')).toThrow(
      `inv.json: invalid inventory (1 problem; nothing was loaded)\n  not valid UTF-8 (first bad byte sequence on line ${line})`,
    );
    // The same text as bytes that are UTF-8 (including non-ASCII) parses as the text does.
    const ok = Buffer.from(JSON.stringify(withBucket({ owner: 'Zoë – ops' })), 'utf8');
    expect(parseInventoryText(ok, 'inv.json').nodes[1]?.properties.owner).toBe('Zoë – ops');
  });

  it('rejects lone surrogates and whole numbers past 2^53 − 1, naming the record and field', () => {
    const text = JSON.stringify(withBucket({ owner: 'x', objects: 1 })).replace(
      '"owner":"x"',
      '"owner":"\\ud800"',
    );
    const big = JSON.stringify(withBucket({ objects: 1 })).replace(
      '"objects":1',
      '"objects":18446744073709551616',
    );
    expect(() => parseInventoryText(text, 'a.json')).toThrow(
      /nodes\[1\] \(id "arn:aws:s3:::prod-data"\) properties\.owner: not well-formed Unicode/,
    );
    expect(() => parseInventoryText(big, 'b.json')).toThrow(
      /nodes\[1\] \(id "arn:aws:s3:::prod-data"\) properties\.objects: 18446744073709552000 is a whole number beyond ±\(2\^53 − 1\)/,
    );
    // The largest exact whole number, fractions and large floats written as such are fine.
    const fine = withBucket({ objects: Number.MAX_SAFE_INTEGER, ratio: 0.25 });
    expect(validateInventory(fine, 'c.json').nodes[1]?.properties.objects).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('tags that look like secrets', () => {
  it('keeps the key and censors the value when the key or the value looks like a secret', () => {
    const input = inventory();
    (input.nodes[1] as { properties: Record<string, unknown> }).properties.tags = [
      'env=prod',
      'owner=data-team',
      'db_password=hunter2',
      'ApiKey=abc123',
      'note=password=hunter2',
      'bootstrap=AKIAIOSFODNN7EXAMPLE',
      'ci=ghp_0123456789abcdefghijABCDEFGHIJ',
      'author=alice',
    ];
    const valid = validateInventory(input, 'input.json');
    expect(valid.nodes[1]?.properties.tags).toEqual([
      'env=prod',
      'owner=data-team',
      'db_password=[redacted]',
      'ApiKey=[redacted]',
      'note=[redacted]',
      'bootstrap=[redacted]',
      'ci=[redacted]',
      'author=alice',
    ]);
  });
});

describe('validateInventory checks the shape record by record', () => {
  const problemsOf = (input: unknown): string[] => {
    try {
      validateInventory(input, 'f');
    } catch (error) {
      return (error as InventoryError).problems;
    }
    return [];
  };
  const wholeParse = (input: unknown): string[] => {
    const parsed = InventorySchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${JSON.stringify(i.path)} ${i.message}`);
  };
  const sharedRecord = { source: 'identity-policy', ref: '', reason: 'r' };
  const shared = () => [sharedRecord];
  const bad = () => ({
    ...inventory({ bogus: 1 }),
    nodes: [{ id: 'x', kind: 'Nope' }, 5, { id: '', kind: 'AwsRole', extra: 1 }],
    relationships: [{ type: 'BAD', from: '', to: 'b', evidence: [{ source: 'x' }] }, null],
  });

  it('reports what one parse of the whole inventory reports, in its order', () => {
    const cases: unknown[] = [
      bad(),
      { ...bad(), format: 'x', version: 2 },
      { ...bad(), nodes: 'not a list' },
      { ...bad(), relationships: {} },
      { ...inventory(), scopes: [{ id: 'nope', provider: 'aws', extra: true }] },
      // A record's own unknown key after its properties' and evidence's issues.
      {
        ...inventory(),
        relationships: [
          { type: 'CONTAINS', from: 'a', to: 'b', properties: { 'bad key': 1 }, evidence: 'x', extra: 1 },
        ],
      },
      // One record object cited by two edges (as an analyzer shares them): wrong at both places.
      {
        ...inventory(),
        relationships: [shared(), shared()].map((evidence) => ({
          type: 'CAN_ASSUME',
          from: 'a',
          to: 'b',
          evidence,
        })),
      },
      null,
      5,
      {},
    ];
    for (const input of cases) {
      const problems = problemsOf(input);
      const issues = wholeParse(input);
      expect(problems.length).toBe(issues.length);
      // Each problem line holds the message of the issue at the same position (long ones cut).
      problems.forEach((line, i) => {
        const message = line.slice(line.indexOf(': ') + 2).replace(/… \(\d+ characters\)$/, '');
        expect(issues[i]).toContain(message);
      });
    }
  });

  it('keeps the input records instead of a copy, and fills defaults without touching the input', () => {
    const input = inventory();
    const valid = validateInventory(input, 'f');
    expect(valid.inventory.relationships[0]).toBe(input.relationships[0]);
    expect(valid.inventory.nodes[0]).toBe(input.nodes[0]);
    const bare = inventory({
      relationships: [
        { type: 'CONTAINS', from: 'aws:account:123456789012', to: BUCKET, fromKind: 'AwsAccount' },
      ],
    });
    const defaulted = validateInventory(bare, 'f');
    expect(defaulted.inventory.relationships[0]).toEqual({
      ...bare.relationships[0],
      properties: {},
      evidence: [],
    });
    expect(bare.relationships[0]).not.toHaveProperty('properties');
  });
});
