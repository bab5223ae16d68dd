/**
 * The shapes of the API's answers that several pages read, with the field lists that ask for them:
 * a page's query names `${IDENTITY_FIELDS}` and types the answer with `IdentityRow`, so the two stay
 * together. (The schema itself is schema.graphql.)
 */
export const IDENTITY_FIELDS = 'id name kind provider environment nhiType nonHuman owner scope';
export const RESOURCE_FIELDS = 'id name kind provider environment sensitivity scope';
export const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface IdentityRow {
  id: string;
  name: string;
  kind: string;
  provider: string | null;
  environment: string;
  nhiType: string | null;
  nonHuman: boolean;
  owner: string | null;
  scope: string | null;
}

export interface ResourceRow {
  id: string;
  name: string;
  kind: string;
  provider: string | null;
  environment: string;
  sensitivity: string;
  scope: string | null;
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
}
