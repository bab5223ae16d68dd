import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { gcpIds } from '../../model/gcp/ids.js';

/**
 * Findings about the bindings of the resource hierarchy, read as written (the report rules
 * gcp-service-account-basic-role and gcp-default-compute-service-account-editor): a service account
 * holding a basic role that can change the project (`roles/owner`, `roles/editor`,
 * https://cloud.google.com/iam/docs/roles-overview#basic), and the Compute Engine default service
 * account, `PROJECT_NUMBER-compute@developer.gserviceaccount.com`, which projects grant
 * `roles/editor` automatically unless the organization policy
 * `iam.automaticIamGrantsForDefaultServiceAccounts` stops it
 * (https://cloud.google.com/compute/docs/access/service-accounts#default_service_account).
 * A binding under a condition is still a finding, at a lower severity, naming the condition.
 */

const BASIC_WRITE_ROLES = new Set(['roles/owner', 'roles/editor']);
const DEFAULT_COMPUTE = /^\d+-compute@developer\.gserviceaccount\.com$/i;
// Google-managed service agents (the Google APIs Service Agent `N@cloudservices.gserviceaccount.com`,
// `service-N@gcp-sa-*.iam.gserviceaccount.com`) hold their roles by Google's design
// (https://cloud.google.com/iam/docs/service-agents): CIS 1.5 is about user-managed accounts.
const SERVICE_AGENT = /@(cloudservices\.gserviceaccount\.com|gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com)$/i;

export function basicRoleFindings(environment: GcpEnvironment): AnalysisFinding[] {
  const findings: AnalysisFinding[] = [];
  for (const container of environment.containers.values())
    for (const [index, binding] of (container.policy?.bindings ?? []).entries()) {
      if (!BASIC_WRITE_ROLES.has(binding.role)) continue;
      for (const member of binding.members) {
        if (!member.startsWith('serviceAccount:')) continue;
        const email = member.slice('serviceAccount:'.length);
        // A GKE workload (`PROJECT.svc.id.goog[NS/KSA]`) is no service account node of GCP.
        if (email.includes('[') || SERVICE_AGENT.test(email)) continue;
        const defaultCompute = DEFAULT_COMPUTE.test(email) && binding.role === 'roles/editor';
        const condition = binding.condition;
        const when = condition ? ` under the condition ${condition.title ?? condition.expression}` : '';
        findings.push({
          subject: gcpIds.serviceAccount(email),
          rule: defaultCompute
            ? 'gcp-default-compute-service-account-editor'
            : 'gcp-service-account-basic-role',
          severity: condition
            ? 'medium'
            : binding.role === 'roles/owner' || container.kind !== 'project'
              ? 'critical'
              : 'high',
          message: defaultCompute
            ? `the Compute Engine default service account ${email} holds roles/editor on ${container.name}${when}: every VM, and every workload that runs as it, can change almost everything there`
            : `service account ${email} holds the basic role ${binding.role} on ${container.name}${when}`,
          evidence: [
            {
              source: 'iam-binding',
              ref: container.name,
              statement: `bindings[${index}] ${binding.role} ${member}`,
              reason: `${container.policy?.source ?? container.name} grants ${binding.role} to ${member} on ${container.name}${container.kind === 'project' ? '' : ' and everything below it'}`,
              ...(condition ? { conditions: [condition.expression] } : {}),
            },
          ],
        });
      }
    }
  return findings;
}
