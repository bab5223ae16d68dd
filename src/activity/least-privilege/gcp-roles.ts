import type { PredefinedRoles } from '../../model/gcp/roles.js';
import { gcpPermissionOf, isGcpPermission } from '../gcp/method-permissions.js';

export interface ProposedGcpRole {
  role: string;
  title: string | null;
  /** The used permissions this role is chosen for. */
  covers: string[];
  /** Permissions of the role that no logged call used. */
  extraPermissions: number;
}

export interface GcpRolesProposal {
  /** Predefined roles covering the used permissions with the fewest extra permissions. */
  roles: ProposedGcpRole[];
  /** Used permissions no predefined role holds: only the custom role grants them. */
  uncovered: string[];
  /** The exact alternative: a custom role of the used permissions (`gcloud iam roles create --file`). */
  customRole: { title: string; description: string; stage: 'GA'; includedPermissions: string[] };
  /** The dataset the roles come from (its date). */
  dataset: string;
  /**
   * Used permissions the identity's current grants (as the graph holds them) do not give: the
   * proposal leaves them out, since it never grants what the identity does not have today.
   */
  notGranted: string[];
  /** Predefined roles that would cover a used permission but also grant one the identity does not hold. */
  widerThanGranted: string[];
}

/** Roles never proposed: basic roles (https://cloud.google.com/iam/docs/roles-overview#basic) and deprecated ones. */
const BASIC = new Set(['roles/owner', 'roles/editor', 'roles/viewer', 'roles/browser']);

/** The IAM permissions the logged methods used (Cloud Audit Logs names some calls by RPC). */
export function usedGcpPermissions(actions: string[]): string[] {
  return [...new Set(actions.map(gcpPermissionOf).filter(isGcpPermission))].sort();
}

/**
 * The predefined roles that cover the used permissions with the fewest extra permissions (pure): a
 * greedy weighted set cover (the problem is NP-hard; greedy is within a log factor of the best and is
 * what a person does by hand) that takes each time the role adding the fewest extra permissions per
 * permission newly covered, ties to the one covering more, then by name; a permission that a role of
 * its own service holds is covered by one of those. Basic and deprecated roles are never proposed. Permissions no predefined role holds are listed for the custom role.
 */
export function proposeGcpRoles(
  identity: string,
  usedPermissions: string[],
  dataset: PredefinedRoles,
  held?: ReadonlySet<string>,
): GcpRolesProposal {
  // Never wider than today: with the identity's current permissions known, a used permission it does
  // not hold (the graph missed a grant, or it was removed since) is left out, and a role holding any
  // permission it does not hold is not proposed.
  const used = held ? usedPermissions.filter((p) => held.has(p)) : usedPermissions;
  const notGranted = held ? usedPermissions.filter((p) => !held.has(p)).sort() : [];
  const withinGrants = (permissions: readonly string[]) => !held || permissions.every((p) => held.has(p));
  const wanted = new Set(used);
  // A role of the permission's own service (`roles/storage.*` for `storage.objects.get`) when one
  // holds it, as a person would choose: another service's role that happens to hold it is a surprise.
  const services = new Set(used.map((p) => p.split('.')[0]));
  const own = (name: string) => services.has(name.slice('roles/'.length).split('.')[0]);
  const heldByOwn = new Set(
    dataset
      .names()
      .filter(own)
      .flatMap((n) => dataset.role(n)?.permissions ?? []),
  );
  const widerThanGranted: string[] = [];
  const candidates = dataset
    .names()
    .filter((n) => !BASIC.has(n))
    .flatMap((n) => {
      const role = dataset.role(n);
      const useful = role?.permissions.some((p) => wanted.has(p) && (own(n) || !heldByOwn.has(p)));
      if (!role || !useful || role.stage === 'DEPRECATED') return [];
      if (!withinGrants(role.permissions)) {
        widerThanGranted.push(n);
        return [];
      }
      return [{ role, permissions: new Set(role.permissions) }];
    });
  const uncovered = new Set(used.filter((p) => !candidates.some((c) => c.permissions.has(p))));
  const left = new Set(used.filter((p) => !uncovered.has(p)));
  const roles: ProposedGcpRole[] = [];
  while (left.size > 0) {
    let best: { c: (typeof candidates)[number]; gain: number; cost: number } | undefined;
    for (const c of candidates) {
      const gain = [...left].filter(
        (p) => c.permissions.has(p) && (own(c.role.name) || !heldByOwn.has(p)),
      ).length;
      if (gain === 0) continue;
      const cost = [...c.permissions].filter((p) => !wanted.has(p)).length;
      const better =
        !best ||
        cost * best.gain < best.cost * gain ||
        (cost * best.gain === best.cost * gain &&
          (gain > best.gain || (gain === best.gain && c.role.name < best.c.role.name)));
      if (better) best = { c, gain, cost };
    }
    if (!best) break;
    const covers = [...left].filter((p) => best.c.permissions.has(p)).sort();
    for (const p of covers) left.delete(p);
    roles.push({
      role: best.c.role.name,
      title: best.c.role.title ?? null,
      covers,
      extraPermissions: best.cost,
    });
  }
  const name = identity.replace(/^gcp:[a-z]+:/, '');
  return {
    roles,
    uncovered: [...uncovered].sort(),
    customRole: {
      title: `Least privilege of ${name}`.slice(0, 100),
      description: `The permissions ${name} used over the logged window`.slice(0, 256),
      stage: 'GA',
      includedPermissions: [...used].sort(),
    },
    dataset: `${dataset.source} (${dataset.date})`,
    notGranted,
    widerThanGranted: widerThanGranted.sort(),
  };
}
