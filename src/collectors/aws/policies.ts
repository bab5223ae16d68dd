import type { PolicyDocument, PolicyDocumentKind } from '../../model/aws/policy.js';
import { PolicyParseError, parsePolicyDocument } from '../../model/aws/policy-parser.js';
import type { ScopeReader } from './documents.js';

/**
 * Parses a policy document found in a CLI document, reporting problems instead of throwing.
 * A statement AWS would reject is reported (naming account, principal or resource, policy and
 * statement) and left out; the document's other statements are kept, so one bad statement does
 * not hide the rest of the policy. A document that is not a policy at all (invalid JSON, no
 * Statement) yields `undefined`.
 */
export function parsePolicy(
  reader: ScopeReader,
  raw: unknown,
  source: string,
  object: string,
  kind: PolicyDocumentKind,
): PolicyDocument | undefined {
  const where = `${source}: ${object}`;
  try {
    return parsePolicyDocument(raw, where, kind);
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    if (error.statement === undefined) {
      reader.issue('error', source, error.message, object);
      return undefined;
    }
    return salvageStatements(reader, decoded(raw), where, source, object, kind);
  }
}

/** The document as a value (the parser accepted it as JSON, so this does not fail). */
function decoded(raw: unknown): { Version?: unknown; Id?: unknown; Statement?: unknown } {
  if (typeof raw !== 'string') return raw as { Statement?: unknown };
  const text = raw.trim();
  return JSON.parse(text.startsWith('{') ? text : decodeURIComponent(text));
}

function salvageStatements(
  reader: ScopeReader,
  document: { Version?: unknown; Id?: unknown; Statement?: unknown },
  where: string,
  source: string,
  object: string,
  kind: PolicyDocumentKind,
): PolicyDocument {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const out: PolicyDocument = {
    ...(typeof document.Version === 'string' ? { Version: document.Version } : {}),
    Statement: [],
  };
  if (typeof document.Id === 'string') out.Id = document.Id;
  statements.forEach((statement, index) => {
    try {
      // Parse the statement on its own, then give it back its place in the document.
      const single = parsePolicyDocument({ Statement: [statement] }, where, kind).Statement[0];
      if (single) out.Statement.push({ ...single, index });
    } catch (error) {
      if (!(error instanceof PolicyParseError)) throw error;
      const message = error.message.replace(/statement #0\b/, `statement #${index}`);
      reader.issue('error', source, `${message} (statement left out)`, object);
    }
  });
  return out;
}
