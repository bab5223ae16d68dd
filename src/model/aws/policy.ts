/**
 * The IAM policy grammar as the analyzers evaluate it: documents normalized by
 * `policy-parser.ts` (URL-decoded, single values turned into arrays, statements numbered), so
 * every consumer sees one shape whatever API or CLI output the document came from.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** A policy's `Principal` / `NotPrincipal` element: `"*"` or a map of principal type to values. */
export type PrincipalElement =
  | '*'
  | Partial<Record<'AWS' | 'Service' | 'Federated' | 'CanonicalUser', string[]>>;

/** `Condition`: operator (e.g. `StringEquals`, `ForAnyValue:StringLike`) → condition key → values. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface Statement {
  /** The statement's Sid, when it has one. */
  Sid?: string;
  /** Position in the document's `Statement` array (0-based), so statements without Sid can be named. */
  index: number;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  Condition?: ConditionBlock;
}

/**
 * How messages, reasons and evidence name a statement: its Sid, or `#<index>` when it has none or
 * an empty one (AWS accepts `"Sid": ""`, which the policy generator writes).
 */
export function statementLabel(statement: { Sid?: string | undefined; index: number }): string {
  return statement.Sid ? statement.Sid : `#${statement.index}`;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** Which sort of policy a document is, for the grammar: some elements are valid only in some of them. */
export type PolicyDocumentKind = 'identity' | 'trust' | 'resource' | 'scp' | 'rcp' | 'boundary';

/** Where a policy comes from, for evidence: how it is attached and who manages it. */
export type PolicyKind =
  | 'aws-managed'
  | 'customer-managed'
  | 'inline'
  | 'trust'
  | 'resource'
  | 'permissions-boundary'
  | 'scp'
  | 'rcp';

/** A parsed policy document with what names it: enough to write evidence that cites it. */
export interface NamedPolicy {
  /** Managed: the policy ARN. Inline: `<owner ARN>#inline/<name>`. Trust: the role ARN + `#trust`. Resource: resource ARN + `#policy`. SCP/RCP: the policy ARN. */
  id: string;
  name: string;
  kind: PolicyKind;
  document: PolicyDocument;
}
