import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, type ConfigFileSpec, parseConfigFile, readConfigFile } from '../../src/config/file.js';
import { ReachgraphError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const Schema = z.strictObject({
  jobs: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-z]+$/, 'expected lower-case letters'),
      sync: z.strictObject({ snapshot: z.string(), password: z.string().min(12, 'use 12 characters') }),
    }),
  ),
});
const spec = { schema: Schema, title: 'test config' };

/** The error a text gives; fails the test if it parses. */
function errorOf(
  text: string,
  file = '/etc/test.yaml',
  options: ConfigFileSpec<z.infer<typeof Schema>> = spec,
): ConfigError {
  try {
    parseConfigFile(file, text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(ReachgraphError);
    return error as ConfigError;
  }
  throw new Error('expected the text to be rejected');
}

const valid = { jobs: [{ name: 'a', sync: { snapshot: 's', password: 'long-enough-1' } }] };

describe('the config-file reader', () => {
  it('reads YAML, and JSON by extension', () => {
    expect(
      parseConfigFile('/x.yaml', 'jobs: [{name: a, sync: {snapshot: s, password: long-enough-1}}]', spec),
    ).toEqual(valid);
    expect(parseConfigFile('/x.json', JSON.stringify(valid), spec)).toEqual(valid);
    // A .json file is JSON only: YAML syntax in it is an error naming JSON.
    expect(errorOf('jobs: []', '/x.json').message).toMatch(/^test config \/x\.json: not valid JSON: /);
  });

  it('names the file, the place inside it and the value found', () => {
    const error = errorOf(
      'jobs:\n  - name: a\n    sync: {snapshot: s, password: long-enough-1}\n  - name: B2\n    sync: {snapshot: 3, password: long-enough-2}\n',
    );
    expect(error.file).toBe('/etc/test.yaml');
    expect(error.message).toBe(
      [
        'test config /etc/test.yaml is invalid:',
        '  jobs[1].name: expected lower-case letters, got "B2"',
        '  jobs[1].sync.snapshot: Invalid input: expected string, received number, got 3',
      ].join('\n'),
    );
  });

  it('names unknown keys where they are', () => {
    expect(errorOf('jobs: []\nretries: 3\n').message).toContain('(top level): Unrecognized key: "retries"');
    expect(
      errorOf('jobs: [{name: a, sync: {snapshot: s, password: long-enough-1, snapshots: []}}]').message,
    ).toContain('jobs[0].sync: Unrecognized key: "snapshots"');
  });

  it('never repeats a value found under a secret key', () => {
    const message = errorOf('jobs: [{name: a, sync: {snapshot: s, password: hunter2}}]').message;
    expect(message).toContain('jobs[0].sync.password: use 12 characters');
    expect(message).not.toContain('hunter2');
  });

  it('says when a file cannot be read or parsed, and what an empty file means', () => {
    const missing = join(dir, 'missing.yaml');
    expect(() => readConfigFile(missing, spec)).toThrow(`test config ${missing}: cannot be read: ENOENT`);
    expect(errorOf('jobs: [unclosed\n').message).toMatch(
      /^test config \/etc\/test\.yaml: not valid YAML or JSON: /,
    );
    expect(errorOf('# nothing yet\n').message).toContain('(top level): Invalid input: expected object');
    expect(parseConfigFile('/x.yaml', '# nothing yet\n', { ...spec, empty: { jobs: [] } })).toEqual({
      jobs: [],
    });
    const file = join(dir, 'jobs.yml');
    writeFileSync(file, 'jobs: []\n');
    expect(readConfigFile(file, spec)).toEqual({ jobs: [] });
  });

  it('keeps a file kind’s own wording where it has one', () => {
    const error = errorOf('jobs: 3', '/x.yaml', {
      ...spec,
      wording: { invalid: (name, problems) => `${name}: ${problems.length} problem` },
    });
    expect(error.message).toBe('test config /x.yaml: 1 problem');
  });
});
