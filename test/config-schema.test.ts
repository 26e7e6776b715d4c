// ONE schema: every bad value from issue 11 is refused, naming the field, by the CLI loader (file + defaults)
// and by the workflow-side validator (the resolved config, no defaults), which share workflows/config-schema.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { EventConfigError, checkNotOver, parseEventConfig } from '../client/event-config';
import { parseResolvedEventConfig } from '../workflows/config-schema';
import { DEFAULT_LEADING, TIER_TABLE } from '../workflows/tiers';
import { validateEventConfig } from '../workflows/validate-config';

const validFile = () => ({
  eventId: 'bf-2026',
  name: 'Black Friday',
  startAt: '2026-11-27T06:00:00Z',
  endAt: '2026-11-28T06:00:00Z',
  queueIds: ['q-sales', 'q-support'],
  pollIntervalSeconds: 30,
  dataTable: { datatableId: 'dt-flags' },
  alerts: { recipients: ['ops@example.com'], dashboardUrl: 'https://surge.example.com' },
});

/** issue 14 (leading): complete `leading` settings (the resolved form has no defaults, so both sides get them whole). */
const LEADING = { horizonSeconds: 120, arrivalWindowSeconds: 300, agentConcurrency: 3, handleTimeSeconds: 720, botFlowId: 'flow-bot', botConcurrencyLimit: 500 };
const NO_BOT = { horizonSeconds: 120, arrivalWindowSeconds: 300, agentConcurrency: 3, handleTimeSeconds: 720 };
const leadingWith = (patch: Record<string, unknown>): [Path, unknown] => [['leading'], { ...LEADING, ...patch }];
const earlyRule = (t: number, rule: unknown): [Path, unknown][] => [[['leading'], LEADING], [['tiers', t, 'activateEarly'], rule]];

type Path = (string | number)[];
const set = (obj: Record<string, unknown>, path: Path, value: unknown) => {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
};

const cases: { name: string; patch: [Path, unknown][]; field: RegExp }[] = [
  { name: 'poll every 1 ms', patch: [[['pollIntervalSeconds'], 0.001]], field: /^pollIntervalSeconds: must be 5-300 s/ },
  { name: 'poll every 10 minutes', patch: [[['pollIntervalSeconds'], 600]], field: /^pollIntervalSeconds: must be 5-300 s/ },
  { name: 'staleness below the poll interval', patch: [[['staleAfterSeconds'], 20]], field: /^staleAfterSeconds: must be at least 2 polls/ },
  { name: 'staleness of one poll', patch: [[['staleAfterSeconds'], 30]], field: /^staleAfterSeconds: must be at least 2 polls/ },
  { name: 'a whitespace queue ID', patch: [[['queueIds'], ['q-sales', ' q-support']]], field: /^queueIds\.1: must not be blank/ },
  { name: 'a blank queue ID', patch: [[['queueIds'], ['q-sales', '   ']]], field: /^queueIds\.1: must not be blank/ },
  { name: 'a duplicate queue ID', patch: [[['queueIds'], ['q-sales', 'q-sales']]], field: /^queueIds\.1: duplicate of queueIds\.0/ },
  { name: 'no queue IDs', patch: [[['queueIds'], []]], field: /^queueIds: at least one/ },
  { name: '10,000 queue IDs', patch: [[['queueIds'], Array.from({ length: 10_000 }, (_, i) => `q-${i}`)]], field: /^queueIds: at most 1000/ },
  { name: 'queue IDs that are not strings', patch: [[['queueIds'], [123, null]]], field: /^queueIds\.0: .*string/ },
  { name: 'restore waitingBelow 0 (never restores)', patch: [[['tiers', 2, 'restore'], { waitingBelow: 0, sustainSeconds: 300 }]], field: /^tiers\.2\.restore\.waitingBelow: must be > 0/ },
  { name: 'consecutivePolls 1e9', patch: [[['tiers', 2, 'activate'], { waitingAbove: 200, consecutivePolls: 1e9 }]], field: /^tiers\.2\.activate\.consecutivePolls: .*longer than the event/ },
  { name: 'consecutivePolls 0', patch: [[['tiers', 2, 'activate'], { waitingAbove: 200, consecutivePolls: 0 }]], field: /^tiers\.2\.activate\.consecutivePolls/ },
  { name: 'fractional consecutivePolls', patch: [[['tiers', 2, 'activate'], { waitingAbove: 200, consecutivePolls: 2.5 }]], field: /^tiers\.2\.activate\.consecutivePolls: must be a whole number/ },
  { name: 'a sustain window longer than the event', patch: [[['tiers', 1, 'activate'], { waitingAbove: 50, sustainSeconds: 200_000 }]], field: /^tiers\.1\.activate\.sustainSeconds: .*longer than the event/ },
  { name: 'tier 4 streak longer than the event', patch: [[['tiers', 4, 'activate'], { failedProbes: 100_000 }]], field: /^tiers\.4\.activate\.failedProbes: .*longer than the event/ },
  { name: 'tier 4 zero healthy probes', patch: [[['tiers', 4, 'restore'], { healthyProbes: 0 }]], field: /^tiers\.4\.restore\.healthyProbes/ },
  { name: 'restore overlapping activate (flaps)', patch: [[['tiers', 1, 'restore'], { waitingBelow: 60, sustainSeconds: 300 }]], field: /^tiers\.1\.restore: overlaps/ },
  { name: 'one KV key driven by two tiers', patch: [[['actuators', 2], [{ kind: 'edgeFlag', key: 'chat_surge_active' }]]], field: /^actuators\.3\.0\.key: KV key chat_surge_active is already driven by actuators\.2\.0/ },
  {
    name: 'one deployment driven by two tiers',
    patch: [
      [['actuators', 1], [{ kind: 'messengerDeployment', deploymentId: 'd1', surgeConfigurationVersion: '2', normalConfigurationVersion: '1' }]],
      [['actuators', 2], [{ kind: 'messengerDeployment', deploymentId: 'd1', surgeConfigurationVersion: '3', normalConfigurationVersion: '1' }]],
    ],
    field: /^actuators\.2\.0\.deploymentId: deployment d1 is already driven by actuators\.1\.0/,
  },
  {
    name: 'one flow driven by two tiers',
    patch: [
      [['actuators', 1], [{ kind: 'flowVersion', flowId: 'f', surgeVersion: '2', normalVersion: '1' }]],
      [['actuators', 2], [{ kind: 'flowVersion', flowId: 'f', surgeVersion: '3', normalVersion: '1' }]],
    ],
    field: /^actuators\.2\.0\.flowId: flow f is already driven by actuators\.1\.0/,
  },
  { name: 'a file: probe URL', patch: [[['messengerProbeUrl'], 'file:///etc/passwd']], field: /^messengerProbeUrl: must be an http\(s\) URL/ },
  { name: 'a link-local probe URL', patch: [[['messengerProbeUrl'], 'http://169.254.169.254/latest/meta-data']], field: /^messengerProbeUrl: must not be a loopback, link-local/ },
  { name: 'a loopback probe URL', patch: [[['messengerProbeUrl'], 'http://127.0.0.1:8903/genesys-bootstrap/genesys.min.js']], field: /^messengerProbeUrl: must not be a loopback/ },
  { name: 'an ftp dashboard URL', patch: [[['alerts', 'dashboardUrl'], 'ftp://surge.example.com']], field: /^alerts\.dashboardUrl: must be an http\(s\) URL/ },
  { name: 'a javascript: Temporal UI URL', patch: [[['alerts', 'temporalUiUrl'], 'javascript:alert(1)']], field: /^alerts\.temporalUiUrl: must be an http\(s\) URL/ },
  { name: 'a start time without an offset', patch: [[['startAt'], '2026-11-27T09:00:00']], field: /^startAt: must be an ISO 8601 instant with an explicit offset/ },
  { name: 'an end time without an offset', patch: [[['endAt'], '2026-11-28T09:00']], field: /^endAt: must be an ISO 8601 instant with an explicit offset/ },
  { name: 'end before start', patch: [[['endAt'], '2026-11-27T05:00:00Z']], field: /^endAt: must be after startAt/ },
  { name: 'modes {1: "bogus"}', patch: [[['modes'], { 1: 'bogus' }]], field: /^modes\.1: / },
  { name: 'a mode for tier 5', patch: [[['modes'], { 5: 'on' }]], field: /^modes: Unrecognized key: "5"/ },
  { name: 'trigger "bogus"', patch: [[['tiers', 1, 'trigger'], 'bogus']], field: /^tiers\.1\.trigger: / },
  { name: 'dryRun "no" (truthy)', patch: [[['dryRun'], 'no']], field: /^dryRun: .*boolean/ },
  { name: 'an unknown actuator kind', patch: [[['actuators', 1], [{ kind: 'carrierPigeon' }]]], field: /^actuators\.1\.0\.kind: / },
  { name: 'a bad event ID', patch: [[['eventId'], 'Black Friday']], field: /^eventId: / },
  // issue 14 (leading): the `leading` settings and the per-tier `activateEarly` rules
  { name: 'a leading rule without leading settings', patch: [[['tiers', 1, 'activateEarly'], { forecastWaitingAbove: 100, consecutivePolls: 2 }]], field: /^tiers\.1\.activateEarly: needs the `leading` settings/ },
  { name: 'a leading rule with no bound', patch: earlyRule(2, { consecutivePolls: 1 }), field: /^tiers\.2\.activateEarly: needs at least one of forecastWaitingAbove/ },
  { name: 'a negative leading bound', patch: earlyRule(2, { arrivalRateAbove: -1, consecutivePolls: 1 }), field: /^tiers\.2\.activateEarly\.arrivalRateAbove: .*>=0/ },
  { name: 'a bot load given as a percentage', patch: earlyRule(2, { botLoadAbove: 90, consecutivePolls: 1 }), field: /^tiers\.2\.activateEarly\.botLoadAbove: is a fraction of the bot's limit/ },
  { name: 'a forecast bot load given as a percentage', patch: earlyRule(1, { forecastBotLoadAbove: 70, consecutivePolls: 1 }), field: /^tiers\.1\.activateEarly\.forecastBotLoadAbove: is a fraction/ },
  { name: 'a leading rule with both hold kinds', patch: earlyRule(2, { arrivalRateAbove: 100, consecutivePolls: 1, sustainSeconds: 60 }), field: /^tiers\.2\.activateEarly: needs exactly one of sustainSeconds or consecutivePolls/ },
  { name: 'a leading window shorter than a poll', patch: earlyRule(2, { arrivalRateAbove: 100, sustainSeconds: 10 }), field: /^tiers\.2\.activateEarly\.sustainSeconds: 10 s is shorter than pollIntervalSeconds/ },
  { name: 'a leading window longer than the event', patch: earlyRule(3, { arrivalRateAbove: 100, sustainSeconds: 200_000 }), field: /^tiers\.3\.activateEarly\.sustainSeconds: .*longer than the event/ },
  { name: 'a fractional leading poll count', patch: earlyRule(2, { arrivalRateAbove: 100, consecutivePolls: 1.5 }), field: /^tiers\.2\.activateEarly\.consecutivePolls: must be a whole number/ },
  { name: 'leading consecutivePolls 1e9', patch: earlyRule(2, { arrivalRateAbove: 100, consecutivePolls: 1e9 }), field: /^tiers\.2\.activateEarly\.consecutivePolls: .*longer than the event/ },
  { name: 'an unknown field in a leading rule', patch: earlyRule(1, { forecastWaitingOver: 5, consecutivePolls: 1 }), field: /^tiers\.1\.activateEarly: Unrecognized key: "forecastWaitingOver"/ },
  { name: 'a bot bound without a bot flow', patch: [[['leading'], NO_BOT], [['tiers', 1, 'activateEarly'], { botLoadAbove: 0.5, consecutivePolls: 1 }]], field: /^tiers\.1\.activateEarly: botLoadAbove \/ forecastBotLoadAbove need leading\.botFlowId/ },
  { name: 'an arrival window not in whole minutes', patch: [leadingWith({ arrivalWindowSeconds: 150 })], field: /^leading\.arrivalWindowSeconds: must be whole minutes from 120 to 900/ },
  { name: 'an arrival window of one minute', patch: [leadingWith({ arrivalWindowSeconds: 60 })], field: /^leading\.arrivalWindowSeconds: must be whole minutes from 120 to 900/ },
  { name: 'an arrival window of an hour', patch: [leadingWith({ arrivalWindowSeconds: 3600 })], field: /^leading\.arrivalWindowSeconds: must be whole minutes from 120 to 900/ },
  { name: 'a zero handle time', patch: [leadingWith({ handleTimeSeconds: 0 })], field: /^leading\.handleTimeSeconds: must be > 0/ },
  { name: 'a negative agent concurrency', patch: [leadingWith({ agentConcurrency: -1 })], field: /^leading\.agentConcurrency: must be > 0/ },
  { name: 'no agent concurrency', patch: [[['leading'], { handleTimeSeconds: 720 }]], field: /^leading\.agentConcurrency: / },
  { name: 'a zero patience', patch: [leadingWith({ patienceSeconds: 0 })], field: /^leading\.patienceSeconds: must be > 0/ },
  { name: 'a horizon over an hour', patch: [leadingWith({ horizonSeconds: 7200 })], field: /^leading\.horizonSeconds: at most 3600/ },
  { name: 'a horizon of "2m"', patch: [leadingWith({ horizonSeconds: '2m' })], field: /^leading\.horizonSeconds: .*number/ },
  { name: 'a bot flow without its limit', patch: [[['leading'], { ...NO_BOT, botFlowId: 'flow-bot' }]], field: /^leading\.botConcurrencyLimit: is required with botFlowId/ },
  { name: 'a bot limit without its flow', patch: [[['leading'], { ...NO_BOT, botConcurrencyLimit: 500 }]], field: /^leading\.botFlowId: is required with botConcurrencyLimit/ },
  { name: 'a fractional bot limit', patch: [leadingWith({ botConcurrencyLimit: 2.5 })], field: /^leading\.botConcurrencyLimit: must be a whole number/ },
  { name: 'a blank bot flow ID', patch: [leadingWith({ botFlowId: '  ' })], field: /^leading\.botFlowId: must not be blank/ },
  { name: 'an unknown leading setting', patch: [leadingWith({ horizonMinutes: 2 })], field: /^leading: Unrecognized key: "horizonMinutes"/ },
];

describe('config schema: every bad value is refused naming the field, by the CLI and by the workflow (one schema)', () => {
  const resolved = () => structuredClone(parseEventConfig(validFile())) as unknown as Record<string, unknown>;

  it('the valid file parses, and its resolved form passes the workflow-side validator unchanged', () => {
    const config = parseEventConfig(validFile());
    assert.deepEqual(validateEventConfig(config), []);
    const again = parseResolvedEventConfig(config);
    assert.ok(again.ok && JSON.stringify(again.config) === JSON.stringify(config), 'no default added, nothing changed');
  });

  for (const c of cases) {
    it(c.name, () => {
      const file = validFile() as Record<string, unknown>;
      for (const [path, value] of c.patch) set(file, path, value);
      assert.throws(
        () => parseEventConfig(file),
        (err: unknown) => err instanceof EventConfigError && err.problems.some((p) => c.field.test(p)),
        `CLI: expected ${c.field}`,
      );
      const config = resolved();
      for (const [path, value] of c.patch) set(config, path, value);
      const problems = validateEventConfig(config);
      assert.ok(problems.some((p) => c.field.test(p)), `workflow: expected ${c.field} in ${JSON.stringify(problems)}`);
    });
  }

  it('the workflow-side validator never applies a default: a missing field is refused, not filled', () => {
    const config = resolved();
    delete config.staleAfterSeconds;
    delete config.dryRun;
    const problems = validateEventConfig(config);
    assert.ok(problems.some((p) => /^staleAfterSeconds: /.test(p)) && problems.some((p) => /^dryRun: /.test(p)), JSON.stringify(problems));
  });

  it('leading settings: the CLI fills the horizon, the window and each tier\'s playbook leading rule; the resolved form passes unchanged', () => {
    const config = parseEventConfig({ ...validFile(), leading: { agentConcurrency: 3, handleTimeSeconds: 720, botFlowId: 'flow-bot', botConcurrencyLimit: 500 } });
    assert.equal(config.leading?.horizonSeconds, DEFAULT_LEADING.horizonSeconds);
    assert.equal(config.leading?.arrivalWindowSeconds, DEFAULT_LEADING.arrivalWindowSeconds);
    assert.deepEqual(config.tiers[2].activateEarly, TIER_TABLE[2].activateEarly.withBot);
    const queueOnly = parseEventConfig({ ...validFile(), leading: { agentConcurrency: 3, handleTimeSeconds: 720 }, tiers: { 3: { activateEarly: false } } });
    assert.deepEqual(queueOnly.tiers[1].activateEarly, TIER_TABLE[1].activateEarly.queueOnly);
    assert.equal(queueOnly.tiers[3].activateEarly, undefined, '`false` turns the playbook rule off');
    const again = parseResolvedEventConfig(config);
    assert.ok(again.ok && JSON.stringify(again.config) === JSON.stringify(config), 'no default added, nothing changed');
    assert.equal(parseEventConfig(validFile()).tiers[1].activateEarly, undefined, 'no leading settings: no leading rule');
  });

  it('the workflow-side validator never fills a leading default: a missing horizon is refused', () => {
    const config = resolved();
    config.leading = { arrivalWindowSeconds: 300, agentConcurrency: 3, handleTimeSeconds: 720 };
    assert.ok(validateEventConfig(config).some((p) => /^leading\.horizonSeconds: /.test(p)));
  });

  it('reads the old tier-4 shape (committed histories) as the same rule', () => {
    const config = resolved();
    (config.tiers as Record<number, unknown>)[4] = { trigger: 'auto', activateAfterFailedProbes: 3, restoreAfterHealthyProbes: 5 };
    const parsed = parseResolvedEventConfig(config);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config.tiers[4], { trigger: 'auto', activate: { failedProbes: 3 }, restore: { healthyProbes: 5 } });
  });

  it('an operator file may not accelerate time; the sandbox must say so explicitly, and bounds apply to simulated time', () => {
    const file = { ...validFile(), pollIntervalSeconds: 1, simulatedTimeScale: 30 };
    assert.throws(() => parseEventConfig(file), (err: unknown) => err instanceof EventConfigError && err.problems.some((p) => /^simulatedTimeScale: only the sandbox/.test(p)));
    assert.equal(parseEventConfig(file, 'sandbox', { sandbox: true }).pollIntervalSeconds, 1, '1 s x 30 = 30 simulated seconds');
    assert.throws(() => parseEventConfig({ ...file, simulatedTimeScale: 2 }, 'sandbox', { sandbox: true }), /pollIntervalSeconds: must be 5-300 s \(2x simulated time\)/);
    assert.ok(parseEventConfig({ ...validFile(), messengerProbeUrl: 'http://127.0.0.1:1/x.js', simulatedTimeScale: 1 }, 'sandbox', { sandbox: true }), 'loopback probes only in the sandbox');
  });

  it('times are written as UTC instants, keeping the given offset', () => {
    assert.equal(parseEventConfig({ ...validFile(), startAt: '2026-11-27T07:00:00+01:00' }).startAt, '2026-11-27T06:00:00.000Z');
  });

  it('surge start refuses an event whose end has passed (wall clock: the CLI, never the workflow)', () => {
    const config = parseEventConfig(validFile());
    assert.throws(() => checkNotOver(config, Date.parse('2026-11-28T06:00:01Z')), /endAt: .* is already past/);
    assert.doesNotThrow(() => checkNotOver(config, Date.parse('2026-11-27T00:00:00Z')));
  });
});
