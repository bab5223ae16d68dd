import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareCatalogueIds } from '../../../../src/analyzers/aws-iam/escalation/catalogue-ids.js';
import {
  inCatalogueOrder,
  TECHNIQUES,
  technique,
} from '../../../../src/analyzers/aws-iam/escalation/registry.js';
import { ACT_ON_EXISTING_RESOURCE } from '../../../../src/analyzers/aws-iam/escalation/techniques/act-on-existing-resource.js';
import { MODIFY_AND_ACT } from '../../../../src/analyzers/aws-iam/escalation/techniques/modify-and-act.js';
import { MODIFY_ITSELF } from '../../../../src/analyzers/aws-iam/escalation/techniques/modify-itself.js';
import { PASS_ROLE_AND_RUN } from '../../../../src/analyzers/aws-iam/escalation/techniques/pass-role-and-run.js';
import type { EscalationTechnique } from '../../../../src/analyzers/aws-iam/escalation/types.js';

const TECHNIQUES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../src/analyzers/aws-iam/escalation/techniques',
);
const TABLES = {
  'pass-role-and-run.ts': PASS_ROLE_AND_RUN,
  'act-on-existing-resource.ts': ACT_ON_EXISTING_RESOURCE,
  'modify-itself.ts': MODIFY_ITSELF,
  'modify-and-act.ts': MODIFY_AND_ACT,
};

const sortedIds = (ids: string[]) => [...ids].sort(compareCatalogueIds);

describe('catalogue order', () => {
  it('puts IAM first, then orders ids by code unit', () => {
    expect(
      sortedIds([
        'ec2instanceconnect-sendsshpublickey',
        'ecs-001',
        'iam-setdefaultpolicyversion',
        'ec2-004',
        'iam-026',
        'apprunner-001',
      ]),
    ).toEqual([
      'iam-026',
      'iam-setdefaultpolicyversion',
      'apprunner-001',
      'ec2-004',
      'ec2instanceconnect-sendsshpublickey',
      'ecs-001',
    ]);
  });

  it.each(Object.entries(TABLES))('keeps the rows of %s in catalogue-id order', (_file, rows) => {
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual(sortedIds(ids));
  });

  it('lists every technique in catalogue order', () => {
    const ids = TECHNIQUES.map((t) => t.id);
    expect(ids).toEqual(sortedIds(ids));
    expect(ids.slice(0, 2)).toEqual(['iam-001', 'iam-002']);
  });
});

describe('technique registry', () => {
  const fake = (id: string, aliases?: string[]): EscalationTechnique => ({
    ...(technique('iam-001') as EscalationTechnique),
    id,
    slug: `slug-${id}`,
    ...(aliases ? { aliases } : {}),
  });

  it('rejects an id declared by two techniques, even as an alias', () => {
    expect(() => inCatalogueOrder([fake('x-001'), fake('x-002', ['x-001'])])).toThrow(
      'escalation technique id x-001 is declared twice',
    );
  });

  it('holds every table row and every technique file, once', async () => {
    const files = readdirSync(TECHNIQUES_DIR).filter((f) => !(f in TABLES));
    const fromFiles = await Promise.all(
      files.map(async (f) => Object.values(await import(join(TECHNIQUES_DIR, f))) as EscalationTechnique[]),
    );
    const declared = [...Object.values(TABLES).flat(), ...fromFiles.flat()].map((t) => t.id);
    expect(sortedIds(declared)).toEqual(TECHNIQUES.map((t) => t.id));
  });

  // A technique with logic of its own lives in `<id>-<slug>.ts`, the slug without its `iam-`
  // prefix (`iam-005-putrolepolicy.ts`), or `<id>.ts` when it has no catalogue id (id = slug).
  it('names each technique file after its id and slug', async () => {
    const files = readdirSync(TECHNIQUES_DIR).filter((f) => !(f in TABLES));
    for (const file of files) {
      const exported = Object.values(await import(join(TECHNIQUES_DIR, file))) as EscalationTechnique[];
      expect(exported, file).toHaveLength(1);
      const [t] = exported as [EscalationTechnique];
      const name = t.id === t.slug ? t.id : `${t.id}-${t.slug.replace(/^iam-/, '')}`;
      expect(basename(file, '.ts')).toBe(name);
    }
  });
});
