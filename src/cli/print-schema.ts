import type { Command } from 'commander';
import { printApiSchema } from '../api/schema.js';
import type { CliContext } from './context.js';

export function registerPrintSchema(program: Command, context: () => CliContext): void {
  program
    .command('print-schema')
    .description('Print the GraphQL schema (what schema.graphql holds)')
    .action(() => {
      context().output.out(printApiSchema().trimEnd());
    });
}
