// Event lifecycle and overrides: start, status, tier, pause, resume, end, list.
import { Command, InvalidArgumentError, Option } from 'commander';
import { userInfo } from 'node:os';
import { createGenesysActivities } from '../../activities/genesys';
import { createGenesysSession } from '../../activities/genesys-client';
import { EventConfigError, checkNotOver, loadEventConfig } from '../event-config';
import type { EventConfig } from '../../workflows/types';
import { formatStatus, table } from '../format-status';
import { SurgeClient } from '../surge-client';
import { connectTemporal } from '../temporal-connection';
import type { SurgeStatus } from '../../workflows/messages';
import type { TierNumber, TierMode } from '../../workflows/types';

async function surgeClient(): Promise<SurgeClient> {
  return new SurgeClient(await connectTemporal());
}

const operator = () => process.env.SURGE_OPERATOR ?? userInfo().username;
const byOption = () => new Option('--by <name>', 'who is acting (goes in the audit log)').default(operator(), '$SURGE_OPERATOR or your user name');

function print(status: SurgeStatus, json: boolean): void {
  console.log(json ? JSON.stringify(status, null, 2) : formatStatus(status));
}

function parseTier(value: string): TierNumber {
  const n = Number(value);
  if (![1, 2, 3, 4].includes(n)) throw new InvalidArgumentError('tier must be 1, 2, 3 or 4');
  return n as TierNumber;
}

/**
 * Every queue ID must exist before the event starts: an unknown one is refused by name (the workflow's
 * first poll checks again, for starts that bypass the CLI). Needs this shell's GENESYS_* settings.
 */
export async function refuseUnknownQueues(config: EventConfig, source: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!env.GENESYS_CLIENT_ID || !env.GENESYS_CLIENT_SECRET || !(env.GENESYS_REGION || env.GENESYS_GATEWAY_URL)) {
    console.warn('queue IDs not checked here (GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION are not set); the event checks them on its first poll');
    return;
  }
  const { unknown } = await createGenesysActivities(createGenesysSession(env)).verifyQueues({ queueIds: config.queueIds });
  if (unknown.length > 0) {
    throw new EventConfigError(source, unknown.map((id) => `queueIds.${config.queueIds.indexOf(id)}: queue ${id} does not exist in Genesys Cloud (or the OAuth client cannot see its division)`));
  }
}

export function registerEventCommands(program: Command): void {
  program
    .command('start')
    .description('validate an event config (JSON or YAML) and start its durable controller')
    .argument('<event-config>', 'path to the event config file')
    .option('--attach', 'if the event is already running, attach to it instead of failing')
    .option('--dry-run', 'decide and record everything, call no actuator')
    .option('--validate-only', 'check the config and print it with defaults applied; start nothing')
    .option('--check-lead <hours>', 'run the readiness check this long before the start', (v) => {
      const hours = Number(v);
      if (!(hours >= 0)) throw new InvalidArgumentError('hours must be a number >= 0');
      return hours;
    }, 24)
    .action(async (file: string, opts: { attach?: boolean; dryRun?: boolean; validateOnly?: boolean; checkLead: number }) => {
      const config = await loadEventConfig(file);
      if (opts.dryRun) config.dryRun = true;
      if (opts.validateOnly) {
        console.log(JSON.stringify(config, null, 2));
        return;
      }
      checkNotOver(config);
      await refuseUnknownQueues(config, file);
      const started = await (await surgeClient()).startEvent(config, { attach: opts.attach, checkLeadTimeMs: opts.checkLead * 3_600_000 });
      console.log(
        `${started.attached ? 'attached to running' : 'started'} event ${config.eventId}: workflow ${started.workflowId} (run ${started.runId})` +
          `\n  ${config.startAt} → ${config.endAt}${config.dryRun ? '  DRY RUN' : ''}` +
          (started.readinessCheckAt ? `\n  readiness check scheduled for ${started.readinessCheckAt}` : ''),
      );
    });

  program
    .command('status')
    .description("show an event's tiers, last sample and recent transitions")
    .argument('<event-id>')
    .option('--json', 'print the full status as JSON')
    .action(async (eventId: string, opts: { json?: boolean }) => print(await (await surgeClient()).status(eventId), !!opts.json));

  program
    .command('tier')
    .description('force a tier on or off, or hand it back to its rules (auto)')
    .argument('<event-id>')
    .argument('<tier>', 'tier number, 1-4', parseTier)
    .addArgument(new Command().createArgument('<mode>', 'on | off | auto').choices(['on', 'off', 'auto']))
    .requiredOption('--reason <text>', 'why (goes in the audit log)')
    .addOption(byOption())
    .option('--json', 'print the resulting status as JSON')
    .action(async (eventId: string, tier: TierNumber, mode: TierMode, opts: { reason: string; by: string; json?: boolean }) =>
      print(await (await surgeClient()).setTierMode(eventId, { tier, mode, reason: opts.reason, by: opts.by }), !!opts.json),
    );

  program
    .command('pause')
    .description('freeze every auto tier where it is (forced tiers stay as forced)')
    .argument('<event-id>')
    .requiredOption('--reason <text>', 'why (goes in the audit log)')
    .addOption(byOption())
    .option('--json', 'print the resulting status as JSON')
    .action(async (eventId: string, opts: { reason: string; by: string; json?: boolean }) =>
      print(await (await surgeClient()).pauseAutomation(eventId, { reason: opts.reason, by: opts.by }), !!opts.json),
    );

  program
    .command('resume')
    .description('let the rules move auto tiers again')
    .argument('<event-id>')
    .addOption(byOption())
    .option('--json', 'print the resulting status as JSON')
    .action(async (eventId: string, opts: { by: string; json?: boolean }) => print(await (await surgeClient()).resumeAutomation(eventId, { by: opts.by }), !!opts.json));

  program
    .command('end')
    .description('end the event now: every tier is restored, then the controller completes')
    .argument('<event-id>')
    .requiredOption('--reason <text>', 'why (goes in the audit log)')
    .addOption(byOption())
    .option('--json', 'print the resulting status as JSON')
    .action(async (eventId: string, opts: { reason: string; by: string; json?: boolean }) =>
      print(await (await surgeClient()).endEvent(eventId, { reason: opts.reason, by: opts.by }), !!opts.json),
    );

  program
    .command('list')
    .description('recent events with their phase and highest active tier')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const events = await (await surgeClient()).listEvents();
      if (opts.json) return console.log(JSON.stringify(events, null, 2));
      if (events.length === 0) return console.log('no events');
      console.log(table(['event', 'status', 'phase', 'tier', 'started'], events.map((e) => [e.eventId, e.status, e.phase ?? '-', String(e.highestTier ?? '-'), e.startTime])).join('\n'));
    });
}
