import { isoDate } from './documents.js';

/**
 * The IAM credential report (`aws iam get-credential-report`, its `Content` base64-decoded): one CSV
 * row per user with console password, MFA and access-key facts. Columns and their special values
 * (`N/A`, `not_supported`, `no_information`) are documented at
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */

interface CredentialReportKey {
  active: boolean;
  lastRotated?: string;
  lastUsedDate?: string;
  lastUsedService?: string;
}

export interface CredentialReportRow {
  user: string;
  arn: string;
  passwordEnabled?: boolean;
  passwordLastUsed?: string;
  mfaActive?: boolean;
  keys: CredentialReportKey[];
}

const REQUIRED_COLUMNS = ['user', 'arn', 'password_enabled', 'mfa_active', 'access_key_1_active'];

/** Parses the report; throws an Error naming the problem (the caller names the file). */
export function parseCredentialReport(text: string): CredentialReportRow[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((h) => h.trim());
  if (!header) throw new Error('the credential report is empty');
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`the credential report lacks the columns ${missing.join(', ')}`);
  return lines.slice(1).flatMap((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new Error(`line ${i + 2} has ${cells.length} fields, the header has ${header.length}`);
    }
    const row = (column: string) => known(cells[header.indexOf(column)]);
    const user = row('user');
    const arn = row('arn');
    // The root user's row (`<root_account>`) is not an IAM user.
    if (!user || !arn || user === '<root_account>') return [];
    const keys = [1, 2].map((n) => {
      const key: CredentialReportKey = { active: row(`access_key_${n}_active`) === 'true' };
      const lastRotated = row(`access_key_${n}_last_rotated`);
      const lastUsedDate = row(`access_key_${n}_last_used_date`);
      const lastUsedService = row(`access_key_${n}_last_used_service`);
      if (lastRotated) key.lastRotated = isoDate(lastRotated, `access_key_${n}_last_rotated`);
      if (lastUsedDate) key.lastUsedDate = isoDate(lastUsedDate, `access_key_${n}_last_used_date`);
      if (lastUsedService) key.lastUsedService = lastUsedService;
      return key;
    });
    const out: CredentialReportRow = { user, arn, keys };
    const password = row('password_enabled');
    if (password === 'true' || password === 'false') out.passwordEnabled = password === 'true';
    const passwordLastUsed = row('password_last_used');
    if (passwordLastUsed) out.passwordLastUsed = isoDate(passwordLastUsed, 'password_last_used');
    const mfa = row('mfa_active');
    if (mfa === 'true' || mfa === 'false') out.mfaActive = mfa === 'true';
    return [out];
  });
}

/** `N/A`, `not_supported` and `no_information` mean "no value". */
function known(cell: string | undefined): string | undefined {
  const value = cell?.trim();
  if (!value || value === 'N/A' || value === 'not_supported' || value === 'no_information') return undefined;
  return value;
}
