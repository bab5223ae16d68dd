import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compactRoleDataset,
  predefinedRolesOf,
  ROLE_DATASET_FILE,
  rolesOfDocument,
  shippedPredefinedRoles,
} from '../../../src/model/gcp/roles.js';
import { packageRoot } from '../../../src/package-root.js';

describe('the shipped predefined-role dataset', () => {
  it('is dated, sourced, licensed and listed in the package', () => {
    const roles = shippedPredefinedRoles();
    expect(roles.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(roles.source).toContain('MIT');
    expect(readFileSync(join(packageRoot(), 'data/gcp-iam-roles/LICENSE'), 'utf8')).toContain('MIT License');
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('data');
    expect(roles.size).toBeGreaterThan(2000);
  });

  it('expands roles to their permissions', () => {
    const roles = shippedPredefinedRoles();
    expect(roles.role('roles/iam.serviceAccountTokenCreator')?.permissions).toContain(
      'iam.serviceAccounts.getAccessToken',
    );
    expect(roles.role('roles/owner')?.permissions.length).toBeGreaterThan(10_000);
    expect(roles.role('roles/no.such')).toBeUndefined();
  });

  it('compacts a roles list without losing a permission', () => {
    const list = [
      { name: 'roles/a.viewer', title: 'A', stage: 'GA', includedPermissions: ['a.x.get', 'a.x.list'] },
      { name: 'roles/a.admin', includedPermissions: ['a.x.get', 'a.x.delete'] },
    ];
    const compact = compactRoleDataset(list, { source: 'test', date: '2026-01-01' });
    expect(compact.permissions).toEqual(['a.x.delete', 'a.x.get', 'a.x.list']);
    const roles = predefinedRolesOf(compact, 'test');
    expect(roles.role('roles/a.admin')?.permissions).toEqual(['a.x.delete', 'a.x.get']);
    expect(roles.role('roles/a.viewer')).toMatchObject({ title: 'A', stage: 'GA', custom: false });
  });

  it('names the bad entry of a roles document', () => {
    expect(() => rolesOfDocument([{ name: 'owner' }], 'f', false)).toThrow(
      /role \[0\]: name "owner" is not a predefined role name/,
    );
    expect(() =>
      rolesOfDocument([{ name: 'projects/p-12345/roles/x', includedPermissions: 'a' }], 'f', true),
    ).toThrow(/includedPermissions is not a list/);
    expect(() => predefinedRolesOf({ format: 'other' } as never, ROLE_DATASET_FILE)).toThrow(
      /not a reachgraph-gcp-roles v1 file/,
    );
  });
});
