/**
 * The fields of a log event that activity reads, declared once: DuckDB reads them with the type
 * `duckdbType` gives (unknown fields are ignored), and the line-by-line reader checks an event with
 * `shapeProblem` before handing it to DuckDB, so an event DuckDB would refuse is named and skipped
 * on its own instead of failing its file.
 */
export type Shape = 'string' | { [field: string]: Shape } | [Shape];

/** The DuckDB type of a shape: strings are VARCHAR (any JSON value casts to its text), objects STRUCT, arrays lists. */
export function duckdbType(shape: Shape): string {
  if (shape === 'string') return 'VARCHAR';
  if (Array.isArray(shape)) return `${duckdbType(shape[0])}[]`;
  const fields = Object.entries(shape).map(([name, inner]) => `"${name}" ${duckdbType(inner)}`);
  return `STRUCT(${fields.join(', ')})`;
}

/** Why a value does not fit the shape (`userIdentity.sessionContext: not an object`), or undefined. */
export function shapeProblem(value: unknown, shape: Shape, path = ''): string | undefined {
  if (value === null || value === undefined || shape === 'string') return undefined;
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return `${path || 'value'}: not an array`;
    for (const [i, item] of value.entries()) {
      const problem = shapeProblem(item, shape[0], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return `${path || 'value'}: not an object`;
  for (const [name, inner] of Object.entries(shape)) {
    const problem = shapeProblem(
      (value as Record<string, unknown>)[name],
      inner,
      path ? `${path}.${name}` : name,
    );
    if (problem) return problem;
  }
  return undefined;
}
