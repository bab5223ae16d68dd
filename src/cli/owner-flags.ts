import type { Command } from 'commander';
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

/** The owner sources of a run; a CODEOWNERS line GitHub would ignore is a warning on stderr. */
export function ownerSourcesOf(ctx: CliContext, flags: OwnerFlags): OwnerSources {
  const { warnings, ...sources } = readOwnerSources(ctx.config.owners, flags);
  for (const warning of warnings) ctx.output.err(`warning: ${warning}`);
  return sources;
}
