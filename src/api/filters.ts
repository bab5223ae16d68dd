/**
 * GraphQL filter inputs → the `$who` / `$what` maps the cypher/api files read. Every key is
 * present (null when not asked for), so a Cypher predicate `$who.x IS NULL OR …` reads one rule.
 */
export interface IdentityFilterInput {
  provider?: readonly string[] | null;
  nonHuman?: boolean | null;
  nhiType?: readonly string[] | null;
  environment?: readonly string[] | null;
  nameContains?: string | null;
  kind?: readonly string[] | null;
  scope?: readonly string[] | null;
}

export interface ResourceFilterInput {
  provider?: readonly string[] | null;
  environment?: readonly string[] | null;
  sensitivity?: readonly string[] | null;
  nameContains?: string | null;
  kind?: readonly string[] | null;
  scope?: readonly string[] | null;
}

const list = (value: readonly string[] | null | undefined) => (value && value.length > 0 ? [...value] : null);
const text = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

export function identityParams(filter: IdentityFilterInput | null | undefined): Record<string, unknown> {
  return {
    providers: list(filter?.provider),
    nonHuman: filter?.nonHuman ?? null,
    nhiTypes: list(filter?.nhiType),
    environments: list(filter?.environment),
    nameContains: text(filter?.nameContains),
    kinds: list(filter?.kind),
    scopes: list(filter?.scope),
  };
}

export function resourceParams(filter: ResourceFilterInput | null | undefined): Record<string, unknown> {
  return {
    providers: list(filter?.provider),
    environments: list(filter?.environment),
    sensitivities: list(filter?.sensitivity),
    nameContains: text(filter?.nameContains),
    kinds: list(filter?.kind),
    scopes: list(filter?.scope),
  };
}
