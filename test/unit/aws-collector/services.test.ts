import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AWS_SERVICES,
  createServiceRegistry,
  RESOURCE_KINDS,
} from '../../../src/collectors/aws/services/registry.js';
import { nodeKind } from '../../../src/model/node-kinds.js';
import { packageRoot } from '../../../src/package-root.js';

// scripts/snapshot-aws.sh stays a script (it runs where only the AWS CLI is trusted), so it is
// checked against the service registry: every document a service reads is written by the script,
// in the right folder, and the script writes nothing for a service that the service does not read.

const script = readFileSync(join(packageRoot(), 'scripts/snapshot-aws.sh'), 'utf8');

/** `save "$R" kms-list-keys …` and `save "$DIR" "s3api-get-bucket-policy/$bucket" …`: folder variable, command, per-resource. */
const saves = [...script.matchAll(/save "\$(\w+)" "?([a-z0-9-]+)(\/)?/g)].map(([, base, command, slash]) => ({
  base: base as string,
  command: command as string,
  perResource: slash === '/',
}));

/** Per-resource folders the script creates before any call, so that "none" is told from "never asked". */
const folders = new Set([
  ...[...script.matchAll(/mkdir -p "\$R"\/\{([^}]+)\}/g)].flatMap(([, list]) => (list as string).split(',')),
  ...[...script.matchAll(/for command in ([^;]+); do\s+mkdir -p "\$DIR\/s3api-\$command"/g)].flatMap(
    ([, list]) =>
      (list as string)
        .trim()
        .split(/\s+/)
        .map((c) => `s3api-${c}`),
  ),
]);

/** Region discovery: written for the collector itself, read by no service. */
const NOT_A_SERVICE = new Set(['ec2-describe-regions']);

describe('the AWS service registry and scripts/snapshot-aws.sh', () => {
  it('the script writes every document of every service, in the service’s folder', () => {
    const missing: string[] = [];
    for (const service of AWS_SERVICES) {
      const base = service.placement === 'region' ? 'R' : 'DIR';
      for (const command of service.snapshot.documents)
        if (!saves.some((s) => s.command === command && s.base === base && !s.perResource))
          missing.push(`${service.name}: ${command}.json in $${base}`);
      for (const command of service.snapshot.perResource) {
        if (!saves.some((s) => s.command === command && s.base === base && s.perResource))
          missing.push(`${service.name}: ${command}/<resource>.json in $${base}`);
        if (!folders.has(command)) missing.push(`${service.name}: mkdir ${command}/`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the script writes nothing for a service that the service does not declare', () => {
    const declared = new Set(
      AWS_SERVICES.flatMap((s) => [...s.snapshot.documents, ...s.snapshot.perResource]),
    );
    const undeclared = saves
      .filter((s) => AWS_SERVICES.some((service) => s.command.startsWith(`${service.name}-`)))
      .filter((s) => !declared.has(s.command) && !NOT_A_SERVICE.has(s.command))
      .map((s) => s.command);
    expect(undeclared).toEqual([]);
    // The parse itself found the script's calls.
    expect(saves.length).toBeGreaterThan(40);
  });
});

describe('the AWS service registry', () => {
  it('gives every resource type a node kind of the AWS provider whose id pattern accepts an ARN', () => {
    for (const [type, spec] of RESOURCE_KINDS) {
      const kind = nodeKind(spec.kind);
      expect(kind?.provider, type).toBe('aws');
      expect(kind?.idFormat, type).toMatch(/^arn:aws/);
    }
    expect([...RESOURCE_KINDS.keys()]).toHaveLength(21);
  });

  it('rejects a service registered twice, a type claimed twice and a command outside its service', () => {
    const [s3, kms] = AWS_SERVICES;
    if (!s3 || !kms) throw new Error('the registry lists services');
    expect(() => createServiceRegistry([s3, s3])).toThrow('AWS service "s3api" is registered twice');
    expect(() => createServiceRegistry([s3, { ...kms, resources: s3.resources }])).toThrow(
      'AWS resource type "s3-bucket" is claimed twice (kms)',
    );
    expect(() =>
      createServiceRegistry([
        { ...kms, snapshot: { documents: ['lambda-list-functions'], perResource: [] } },
      ]),
    ).toThrow('AWS service "kms": command "lambda-list-functions" is not one of its CLI commands');
  });
});
