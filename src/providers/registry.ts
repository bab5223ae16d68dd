import { statSync } from 'node:fs';
import { join } from 'node:path';
import { awsProvider } from './aws/index.js';
import type { AnyProvider } from './contract.js';
import { gcpProvider } from './gcp/index.js';
import { kubernetesProvider } from './kubernetes/index.js';

/**
 * The registered providers, in the order a run collects them. `createProviderRegistry` rejects two
 * providers with one name, or one snapshot folder, so that each CLI word and folder belongs to
 * exactly one provider.
 */
export interface ProviderRegistry {
  readonly providers: readonly AnyProvider[];
  /** The named providers, in the order named; an unknown name throws, listing the known ones. */
  named(names: readonly string[]): AnyProvider[];
  /** The providers whose snapshot folder exists in a snapshot root; none throws, naming the folders looked for. */
  inSnapshot(root: string): AnyProvider[];
}

export function createProviderRegistry(providers: readonly AnyProvider[]): ProviderRegistry {
  unique(providers, 'name', (p) => p.name);
  unique(providers, 'snapshot folder', (p) => p.snapshotLayout.folder);
  for (const p of providers)
    if (!/^[a-z][a-z0-9-]*$/.test(p.name))
      throw new Error(`provider name "${p.name}" must be one lower-case word (it is a CLI argument)`);
  const known = () => providers.map((p) => p.name).join(', ');
  return {
    providers,
    named(names) {
      const unknown = names.filter((n) => !providers.some((p) => p.name === n));
      if (unknown.length > 0)
        throw new Error(
          `unknown provider${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${known()})`,
        );
      return [...new Set(names)].map((n) => providers.find((p) => p.name === n) as AnyProvider);
    },
    inSnapshot(root) {
      if (!isDirectory(root)) throw new Error(`${root}: the snapshot root is not a directory`);
      const present = providers.filter((p) => isDirectory(join(root, p.snapshotLayout.folder)));
      if (present.length === 0)
        throw new Error(
          `${root}: no provider folder in the snapshot root (looked for ${providers.map((p) => `${p.snapshotLayout.folder}/`).join(', ')})`,
        );
      return present;
    },
  };
}

function unique(providers: readonly AnyProvider[], what: string, key: (p: AnyProvider) => string): void {
  const seen = new Set<string>();
  for (const p of providers) {
    const value = key(p);
    if (seen.has(value)) throw new Error(`two providers share the ${what} "${value}"`);
    seen.add(value);
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Every provider reachgraph collects; docs/providers.md says how to add one. */
export const PROVIDER_REGISTRY = createProviderRegistry([awsProvider, kubernetesProvider, gcpProvider]);
