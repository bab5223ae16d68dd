import { describe, expect, it } from 'vitest';
import { proposeGcpRoles, usedGcpPermissions } from '../../../../src/activity/least-privilege/gcp-roles.js';
import { type PredefinedRoles, shippedPredefinedRoles } from '../../../../src/model/gcp/roles.js';

function dataset(roles: Record<string, string[]>): PredefinedRoles {
  return {
    source: 'test',
    date: '2026-12-01',
    size: Object.keys(roles).length,
    names: () => Object.keys(roles),
    role: (name) =>
      roles[name] ? { name, permissions: roles[name] as string[], custom: false, source: 'test' } : undefined,
  };
}

describe('GCP least-privilege roles', () => {
  it('maps logged methods to the permissions they used', () => {
    expect(
      usedGcpPermissions([
        'storage.objects.get',
        'google.iam.admin.v1.CreateServiceAccountKey',
        'google.cloud.run.v2.Services.GetService',
      ]),
    ).toEqual(['iam.serviceAccountKeys.create', 'storage.objects.get']);
  });

  it('covers the used permissions with the fewest extra permissions, never a basic role', () => {
    const roles = dataset({
      'roles/owner': ['a.b.get', 'a.b.list', 'c.d.get', 'x.y.z'],
      'roles/a.viewer': ['a.b.get', 'a.b.list'],
      'roles/a.admin': ['a.b.get', 'a.b.list', 'a.b.delete', 'a.b.create', 'c.d.get'],
      'roles/c.reader': ['c.d.get', 'c.d.list'],
    });
    const p = proposeGcpRoles('gcp:sa:x@p.iam.gserviceaccount.com', ['a.b.get', 'c.d.get', 'e.f.get'], roles);
    expect(p.roles).toEqual([
      { role: 'roles/a.viewer', title: null, covers: ['a.b.get'], extraPermissions: 1 },
      { role: 'roles/c.reader', title: null, covers: ['c.d.get'], extraPermissions: 1 },
    ]);
    expect(p.uncovered).toEqual(['e.f.get']);
    expect(p.customRole.includedPermissions).toEqual(['a.b.get', 'c.d.get', 'e.f.get']);
  });

  it('covers object reads from the shipped dataset with Cloud Storage roles, fewer extras than objectViewer', () => {
    const shipped = shippedPredefinedRoles();
    const used = ['storage.objects.get', 'storage.objects.list'];
    const p = proposeGcpRoles('gcp:sa:x@p', used, shipped);
    expect(p.uncovered).toEqual([]);
    expect(p.roles.flatMap((r) => r.covers).sort()).toEqual(used);
    expect(p.roles.every((r) => r.role.startsWith('roles/storage.'))).toBe(true);
    const viewerExtras = (shipped.role('roles/storage.objectViewer')?.permissions.length ?? 0) - used.length;
    expect(p.roles.reduce((n, r) => n + r.extraPermissions, 0)).toBeLessThanOrEqual(viewerExtras);
  });

  it('prefers a role of the permission’s own service to another service’s that happens to hold it', () => {
    const roles = dataset({
      'roles/other.runner': ['a.b.get'],
      'roles/a.viewer': ['a.b.get', 'a.b.list'],
    });
    expect(proposeGcpRoles('gcp:sa:x@p', ['a.b.get'], roles).roles.map((r) => r.role)).toEqual([
      'roles/a.viewer',
    ]);
  });

  it('never proposes more than the identity holds today, and names what it leaves out', () => {
    const roles = dataset({
      'roles/a.viewer': ['a.b.get', 'a.b.list'],
      'roles/a.getter': ['a.b.get'],
      'roles/c.reader': ['c.d.get', 'c.d.list'],
    });
    const held = new Set(['a.b.get', 'a.b.list', 'c.d.get']);
    const p = proposeGcpRoles('gcp:sa:x@p', ['a.b.get', 'c.d.get', 'e.f.get'], roles, held);
    // roles/c.reader would add c.d.list, which the identity does not hold.
    expect(p.roles.map((r) => r.role)).toEqual(['roles/a.getter']);
    expect(p.widerThanGranted).toEqual(['roles/c.reader']);
    expect(p.uncovered).toEqual(['c.d.get']);
    expect(p.notGranted).toEqual(['e.f.get']);
    expect(p.customRole.includedPermissions).toEqual(['a.b.get', 'c.d.get']);
    expect(p.customRole.includedPermissions.every((perm) => held.has(perm))).toBe(true);
  });
});
