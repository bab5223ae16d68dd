import type { Command } from 'commander';
import { activityDatabasePath } from '../activity/store.js';
import { readCreators } from '../owners/creators.js';
import type { OwnerSources } from '../owners/resolve.js';
import { type OwnerFlags, readOwnerSources } from '../owners/sources.js';
import type { CliContext } from './context.js';

/** `--owners FILE` and `--codeowners ORG/REPO=FILE` (repeatable), for the commands that resolve owners. */
export function ownerOptions(command: Command): Command {
  return command
    .option('--owners <file>', 'the owners file (docs/owners.md; default from config: owners.file)')
    .option(
      '--codeowners <repo=file>',
      'the CODEOWNERS file of a repository CI identities come from (ORG/REPO=FILE), repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

/**
 * The owner sources of a run, with the creators the activity store names (docs/owners.md); a
 * CODEOWNERS line GitHub would ignore, or a store that cannot be read, is a warning on stderr.
 */
export async function ownerSourcesOf(ctx: CliContext, flags: OwnerFlags): Promise<OwnerSources> {
  const { warnings, ...sources } = readOwnerSources(ctx.config.owners, flags);
  for (const warning of warnings) ctx.output.err(`warning: ${warning}`);
  try {
    const creators = await readCreators(activityDatabasePath(ctx.config));
    return creators.size > 0 ? { ...sources, creators } : sources;
  } catch (error) {
    ctx.output.err(`warning: creators from the activity store not read: ${(error as Error).message}`);
    return sources;
  }
}
