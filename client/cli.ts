#!/usr/bin/env -S npx tsx
// `surge`: the operators' command line. Each command lives in client/commands/; this file only wires them.
import { Command, CommanderError } from 'commander';
import { registerCheckCommand } from './commands/check';
import { registerDrillCommand } from './commands/drill';
import { registerEventCommands } from './commands/events';
import { registerReplayCommand } from './commands/replay';
import { EventConfigError } from './event-config';
import { SurgeClientError } from './surge-client';

export function buildProgram(): Command {
  const program = new Command('surge')
    .description('Shed Genesys Cloud Web Messaging load in four tiers, durably, on Temporal.')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    // Throw instead of exiting so main() maps every failure to a documented exit code (set before the
    // subcommands are added: they copy it).
    .exitOverride();
  registerEventCommands(program);
  registerCheckCommand(program);
  registerDrillCommand(program);
  registerReplayCommand(program);
  return program;
}

/** Exit codes: 0 done, 1 failed or refused, 2 bad usage or bad config, 3 not found. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof EventConfigError) {
      console.error(err.message);
      return 2;
    }
    if (err instanceof SurgeClientError) {
      console.error(`surge: ${err.message}`);
      return err.kind === 'not-found' ? 3 : err.kind === 'invalid' ? 2 : 1;
    }
    console.error(`surge: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
