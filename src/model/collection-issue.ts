/**
 * A problem met while collecting or analyzing, of any provider. Problems never stop a run: each is
 * recorded, naming the file (snapshot) or API call (live) and the object, and the rest is kept. An
 * error leaves the scope it concerns incomplete, so its previously loaded data is kept.
 */
export interface CollectionIssue {
  severity: 'error' | 'warning' | 'info';
  /** The file (snapshot) or API call (live) concerned. */
  source: string;
  /** The object concerned (account, principal, policy, statement), when there is one. */
  object?: string;
  message: string;
}
