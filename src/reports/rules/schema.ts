import { z } from 'zod';
import { RULE_CATEGORIES, SEVERITIES } from '../types.js';

/**
 * The shape of one rule file (rules/<id>.yaml), checked when the registry loads it. Unknown keys are
 * errors, so a misspelt field never silently falls back to a default.
 */

export const RULE_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const SeveritySchema = z.enum(SEVERITIES);

export const RuleParameterValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.string())]);

export const ComplianceSchema = z.strictObject({
  soc2: z.array(z.string().regex(/^CC\d+\.\d+$/, 'a SOC 2 criterion such as CC6.1')).optional(),
  iso27001: z
    .array(z.string().regex(/^A\.\d+\.\d+$/, 'an ISO 27001:2022 Annex A control such as A.5.15'))
    .optional(),
  cisAws: z.array(z.string().regex(/^\d+\.\d+$/, 'a CIS recommendation number such as 1.14')).optional(),
  cisKubernetes: z
    .array(z.string().regex(/^\d+\.\d+\.\d+$/, 'a CIS Kubernetes Benchmark recommendation such as 5.1.3'))
    .optional(),
  cisGcp: z
    .array(
      z
        .string()
        .regex(/^\d+\.\d+(\.\d+)?$/, 'a CIS Google Cloud Platform Foundations recommendation such as 1.4'),
    )
    .optional(),
});

/**
 * The compliance frameworks a rule may map to, in display order: `name` in documents and the HTML
 * report, `tag` in SARIF (`<tag>/<control>`). CIS numbers follow the CIS Amazon Web Services
 * Foundations Benchmark v3.0.0, the CIS Kubernetes Benchmark v1.10.0 and the CIS Google Cloud
 * Platform Foundation Benchmark v3.0.0.
 */
export const COMPLIANCE_FRAMEWORKS: readonly {
  key: keyof z.infer<typeof ComplianceSchema>;
  name: string;
  short: string;
  tag: string;
}[] = [
  { key: 'soc2', name: 'SOC 2', short: 'SOC 2', tag: 'soc2' },
  { key: 'iso27001', name: 'ISO 27001:2022', short: 'ISO 27001', tag: 'iso27001' },
  { key: 'cisAws', name: 'CIS AWS Foundations', short: 'CIS AWS', tag: 'cis-aws' },
  { key: 'cisKubernetes', name: 'CIS Kubernetes', short: 'CIS Kubernetes', tag: 'cis-kubernetes' },
  { key: 'cisGcp', name: 'CIS Google Cloud Foundations', short: 'CIS GCP', tag: 'cis-gcp' },
];

export const RuleDeclarationSchema = z
  .strictObject({
    id: z
      .string()
      .regex(RULE_ID_PATTERN, 'kebab-case: lower-case letters and digits joined by single dashes'),
    title: z.string().min(1),
    category: z.enum(RULE_CATEGORIES),
    severity: SeveritySchema,
    description: z.string().min(1),
    recommendation: z.string().min(1),
    compliance: ComplianceSchema,
    query: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'the name of a file under cypher/findings/, without .cypher')
      .optional(),
    detector: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'the name of an anomaly detector (docs/activity.md)')
      .optional(),
    parameters: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'a Cypher parameter name'), RuleParameterValueSchema)
      .default({}),
    references: z.array(z.url()).default([]),
  })
  .refine((rule) => (rule.query === undefined) !== (rule.detector === undefined), {
    message: 'a rule names either a query (cypher/findings/) or a detector (an anomaly rule), not both',
  });

/** Parameters every query receives from the runner; a rule may not declare them. */
export const RESERVED_PARAMETERS = ['now', 'routes'] as const;
