// The event config's semantic rules (README "Rules, precisely" and the event-config section), through the
// public entry points: validateEventConfig on a config built WITHOUT the parser (so the validator alone
// decides), and parseEventConfig / loadEventConfig for defaults and file errors. `problems` and
// `validConfig` are the one place to adapt when the config schema moves.
// Since issue 11 every type, bound and message comes from ONE zod schema (workflows/config-schema.ts):
// type and shape errors carry zod's wording ("Invalid input: expected number, received string"), so they are
// matched by field path here; the cross-field rules carry our own wording and are matched by it.
// test/config-schema.test.ts holds the table of bad values refused by both the CLI and the workflow; this
// file keeps the README's rules, each test named after the rule it protects.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventConfigError, checkNotOver, loadEventConfig, parseEventConfig } from '../client/event-config';
import { validateEventConfig } from '../workflows/validate-config';
import { DEFAULT_ACTUATORS, DEFAULT_TIER_CONFIG } from '../workflows/tiers';
import type { EventConfig } from '../workflows/types';

/** The playbook defaults assembled by hand, never through parseEventConfig (which validates). */
function validConfig(): EventConfig {
  return structuredClone({
    eventId: 'test-event',
    name: 'Test event',
    startAt: '2026-11-27T10:00:00.000Z',
    endAt: '2026-11-27T20:00:00.000Z',
    queueIds: ['q-sales'],
    pollIntervalSeconds: 30,
    staleAfterSeconds: 90,
    dryRun: false,
    tiers: { 1: DEFAULT_TIER_CONFIG[1], 2: DEFAULT_TIER_CONFIG[2], 3: DEFAULT_TIER_CONFIG[3], 4: DEFAULT_TIER_CONFIG[4] },
    actuators: DEFAULT_ACTUATORS,
    dataTable: { datatableId: 'dt-surge-flags', rowKey: 'surge-test-event' },
    alerts: { recipients: ['ops@example.com'] },
  }) as EventConfig;
}

/** The problems validateEventConfig reports for the valid config after `patch`. */
function problems(patch: (c: EventConfig) => void): string[] {
  const config = validConfig();
  patch(config);
  return validateEventConfig(config);
}
const refused = (patch: (c: EventConfig) => void, expected: RegExp) => {
  const found = problems(patch);
  assert.ok(found.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(found)}`);
};
const accepted = (patch: (c: EventConfig) => void) => assert.deepEqual(problems(patch), []);
type Loose = Record<string, unknown>;

describe('config rule: the playbook defaults form a valid config', () => {
  it('validateEventConfig finds no problem in the defaults (built without the parser)', () => accepted(() => {}));
  // Changed by issue 11: a missing object (tiers, actuators, alerts) is one problem naming that object, not one
  // per field inside it.
  it('and finds problems in an empty object, one per field, each naming its field', () => {
    const found = validateEventConfig({} as EventConfig);
    for (const field of ['eventId', 'name', 'startAt', 'endAt', 'queueIds', 'pollIntervalSeconds', 'staleAfterSeconds', 'dryRun', 'tiers', 'actuators', 'alerts']) {
      assert.ok(found.some((p) => p.startsWith(`${field}: `)), `${field} in ${JSON.stringify(found)}`);
    }
  });
});

describe('config rule: "a config whose restore condition overlaps its activate condition is refused (it would flap)"', () => {
  it('restore waiting < 52 overlaps activate waiting > 50 at waiting 51', () =>
    refused((c) => (c.tiers[1].restore = { waitingBelow: 52, sustainSeconds: 300 }), /^tiers\.1\.restore: overlaps tiers\.1\.activate \(waiting 51, agents available 0 meets both\)/));
  it('restore at exactly the activate bound does not overlap (bounds are strict)', () => accepted((c) => (c.tiers[1].restore = { waitingBelow: 51, sustainSeconds: 300 })));
  it('fractional bounds: waiting > 50.5 and waiting < 51.5 overlap at 51; < 51 does not', () => {
    refused((c) => (c.tiers[1] = { ...c.tiers[1], activate: { waitingAbove: 50.5, sustainSeconds: 600 }, restore: { waitingBelow: 51.5, sustainSeconds: 300 } }), /^tiers\.1\.restore: overlaps.*waiting 51,/);
    accepted((c) => (c.tiers[1] = { ...c.tiers[1], activate: { waitingAbove: 50.5, sustainSeconds: 600 }, restore: { waitingBelow: 51, sustainSeconds: 300 } }));
  });
  it('agents-only rules: activate agents < 5 and restore agents > 4 are separate; restore agents > 3 overlaps at 4', () => {
    accepted((c) => (c.tiers[2] = { ...c.tiers[2], activate: { agentsAvailableBelow: 5, consecutivePolls: 3 }, restore: { agentsAvailableAbove: 4, sustainSeconds: 300 } }));
    refused(
      (c) => (c.tiers[2] = { ...c.tiers[2], activate: { agentsAvailableBelow: 5, consecutivePolls: 3 }, restore: { agentsAvailableAbove: 3, sustainSeconds: 300 } }),
      /^tiers\.2\.restore: overlaps tiers\.2\.activate \(waiting 0, agents available 4 meets both\)/,
    );
  });
  it('an activate rule ANDing waiting and agents is separated from a restore on either one', () => {
    accepted((c) => (c.tiers[2].restore = { agentsAvailableAbove: 4, sustainSeconds: 300 }));
    refused((c) => (c.tiers[2].restore = { agentsAvailableAbove: 3, waitingAbove: 250, sustainSeconds: 300 }), /overlaps.*waiting 251, agents available 4/);
  });
  it('rules on unrelated bounds overlap (waiting > 50 vs agents > 2)', () =>
    refused((c) => (c.tiers[1].restore = { agentsAvailableAbove: 2, sustainSeconds: 300 }), /^tiers\.1\.restore: overlaps.*waiting 51, agents available 3/));
});

describe('config rule: every tier 1-3 rule has a bound, bounds are numbers >= 0, and exactly one of sustainSeconds or consecutivePolls', () => {
  it('a missing tier or rule is refused', () => {
    refused((c) => delete (c.tiers as Loose)['2'], /^tiers\.2: .*expected object/);
    refused((c) => delete (c.tiers[3] as unknown as Loose).activate, /^tiers\.3\.activate: .*expected object/);
    refused((c) => delete (c.tiers[1] as unknown as Loose).restore, /^tiers\.1\.restore: .*expected object/);
  });
  it('a rule with no bound is refused', () =>
    assert.equal(problems((c) => (c.tiers[3].activate = { consecutivePolls: 2 }))[0], 'tiers.3.activate: needs at least one of waitingAbove, waitingBelow, agentsAvailableAbove, agentsAvailableBelow'));
  it('bounds below 0 or not finite are refused; 0 is a bound', () => {
    refused((c) => (c.tiers[1].activate = { waitingAbove: -1, sustainSeconds: 600 }), /^tiers\.1\.activate\.waitingAbove: Too small: expected number to be >=0$/);
    refused((c) => (c.tiers[2].activate = { waitingAbove: 200, agentsAvailableBelow: Infinity, consecutivePolls: 3 }), /^tiers\.2\.activate\.agentsAvailableBelow: .*Infinity/);
    refused((c) => (c.tiers[2].restore = { agentsAvailableAbove: '5' as unknown as number, sustainSeconds: 300 }), /^tiers\.2\.restore\.agentsAvailableAbove: .*expected number/);
    // Changed by issue 11: `waitingBelow: 0` (never true, the rule could never fire) is now refused; see
    // config-schema.test.ts. `waitingAbove: 0` is still a bound:
    accepted((c) => (c.tiers[1] = { ...c.tiers[1], activate: { waitingAbove: 0, sustainSeconds: 600 }, restore: { waitingBelow: 1, sustainSeconds: 300 } }));
  });
  it('both or neither of sustainSeconds and consecutivePolls is refused', () => {
    refused((c) => (c.tiers[2].activate = { waitingAbove: 1, sustainSeconds: 60, consecutivePolls: 2 }), /^tiers\.2\.activate: needs exactly one of sustainSeconds or consecutivePolls/);
    refused((c) => (c.tiers[2].activate = { waitingAbove: 1 }), /^tiers\.2\.activate: needs exactly one/);
  });
  it('consecutivePolls is a whole number >= 1', () => {
    refused((c) => (c.tiers[2].activate = { waitingAbove: 200, consecutivePolls: 0 }), /^tiers\.2\.activate\.consecutivePolls: Too small: expected number to be >=1$/);
    refused((c) => (c.tiers[2].activate = { waitingAbove: 200, consecutivePolls: 1.5 }), /^tiers\.2\.activate\.consecutivePolls: must be a whole number$/);
    accepted((c) => (c.tiers[2].activate = { waitingAbove: 200, consecutivePolls: 1 }));
  });
  it('sustainSeconds is > 0 and at least one poll interval (the window must be covered by samples)', () => {
    // Since issue 11 a window of 0 s also gets the (true) "shorter than pollIntervalSeconds" line after "> 0".
    assert.equal(problems((c) => (c.tiers[1].activate = { waitingAbove: 50, sustainSeconds: 0 }))[0], 'tiers.1.activate.sustainSeconds: must be > 0');
    refused((c) => (c.tiers[1].activate = { waitingAbove: 50, sustainSeconds: 29 }), /^tiers\.1\.activate\.sustainSeconds: 29 s is shorter than pollIntervalSeconds \(30 s\)/);
    accepted((c) => (c.tiers[1].activate = { waitingAbove: 50, sustainSeconds: 30 }));
  });
});

describe('config rule: tier 4 needs whole numbers >= 1 of failed probes to activate and healthy probes to restore', () => {
  it('restore.healthyProbes 0 is refused (tier 4 would restore with no healthy probe)', () =>
    refused((c) => (c.tiers[4].restore.healthyProbes = 0), /^tiers\.4\.restore\.healthyProbes/));
  it('activate.failedProbes 0 or 2.5 is refused; 1 is accepted', () => {
    refused((c) => (c.tiers[4].activate.failedProbes = 0), /^tiers\.4\.activate\.failedProbes/);
    refused((c) => (c.tiers[4].activate.failedProbes = 2.5), /^tiers\.4\.activate\.failedProbes/);
    accepted((c) => ((c.tiers[4].activate.failedProbes = 1), (c.tiers[4].restore.healthyProbes = 1)));
  });
  it('a missing tier 4 is refused', () => refused((c) => delete (c.tiers as Loose)['4'], /^tiers\.4: .*expected object/));
});

describe('config rule: actuators', () => {
  const flow = (flowId: string, surgeVersion = '2', normalVersion = '1') => ({ kind: 'flowVersion' as const, flowId, surgeVersion, normalVersion });
  it('a flow\'s surge version equal to its normal version is refused (the tier would change nothing)', () =>
    refused((c) => (c.actuators[1] = [flow('f', '3', '3')]), /^actuators\.1\.0\.surgeVersion: must differ from normalVersion/));
  it('one flow driven by two tiers (or twice by one) is refused; two flows are fine', () => {
    refused((c) => ((c.actuators[1] = [flow('f')]), (c.actuators[2] = [flow('f', '3')])), /^actuators\.2\.0\.flowId: flow f is already driven by actuators\.1\.0$/);
    refused((c) => (c.actuators[2] = [flow('f'), flow('f', '3')]), /^actuators\.2\.1\.flowId: flow f is already driven by actuators\.2\.0$/);
    accepted((c) => ((c.actuators[1] = [flow('f')]), (c.actuators[2] = [flow('g')])));
  });
  it('flowVersion needs flowId, surgeVersion and normalVersion', () => {
    const found = problems((c) => (c.actuators[1] = [{ kind: 'flowVersion' } as unknown as EventConfig['actuators'][1][0]]));
    assert.deepEqual(found.map((p) => p.split(':')[0]), ['actuators.1.0.flowId', 'actuators.1.0.surgeVersion', 'actuators.1.0.normalVersion']);
    refused((c) => (c.actuators[1] = [{ kind: 'flowVersion', flowId: '', surgeVersion: '2', normalVersion: '1' }]), /^actuators\.1\.0\.flowId: must not be empty$/);
    refused((c) => (c.actuators[1] = [{ kind: 'flowVersion', flowId: 'f', surgeVersion: ' 2', normalVersion: '1' }]), /^actuators\.1\.0\.surgeVersion: must not be blank or have leading\/trailing spaces$/);
  });
  it('dataTableFlag needs dataTable.datatableId; a dataTable needs datatableId and rowKey', () => {
    refused((c) => delete c.dataTable, /^actuators\.1\.0: dataTableFlag needs dataTable\.datatableId/);
    refused((c) => (c.dataTable = { datatableId: 'dt', rowKey: '' }), /^dataTable\.rowKey: must not be empty/);
    refused((c) => (c.dataTable = { datatableId: '', rowKey: 'r' }), /^dataTable\.datatableId: must not be empty/);
    accepted((c) => ((c.actuators[1] = []), (c.actuators[2] = []), delete c.dataTable));
  });
  it('edgeFlag keys are chat_surge_active or chat_fallback_active', () => {
    refused((c) => (c.actuators[3] = [{ kind: 'edgeFlag', key: 'chat_off' as 'chat_surge_active' }]), /^actuators\.3\.0\.key: .*"chat_surge_active"\|"chat_fallback_active"/);
    accepted((c) => ((c.actuators[3] = [{ kind: 'edgeFlag', key: 'chat_fallback_active' }]), (c.actuators[4] = [])));
  });
  it('messengerDeployment needs deploymentId and both configuration versions', () => {
    const found = problems((c) => (c.actuators[3] = [{ kind: 'messengerDeployment' } as unknown as EventConfig['actuators'][3][0]]));
    assert.deepEqual(found.map((p) => p.split(':')[0]), ['actuators.3.0.deploymentId', 'actuators.3.0.surgeConfigurationVersion', 'actuators.3.0.normalConfigurationVersion']);
    refused((c) => (c.actuators[3] = [{ kind: 'messengerDeployment', deploymentId: 'd', surgeConfigurationVersion: '2', normalConfigurationVersion: '2' }]), /^actuators\.3\.0\.surgeConfigurationVersion: must differ from normalConfigurationVersion$/);
    accepted((c) => (c.actuators[3] = [{ kind: 'messengerDeployment', deploymentId: 'd', surgeConfigurationVersion: '2', normalConfigurationVersion: '1' }]));
  });
  it('an unknown actuator kind or a tier without a list is refused', () => {
    refused((c) => (c.actuators[4] = [{ kind: 'webhook' } as unknown as never]), /^actuators\.4\.0\.kind: .*'flowVersion' \| 'dataTableFlag' \| 'edgeFlag' \| 'messengerDeployment'$/);
    refused((c) => (c.actuators[4] = [null as unknown as never]), /^actuators\.4\.0: .*received null/);
    refused((c) => delete (c.actuators as Loose)['2'], /^actuators\.2: .*expected array/);
    accepted((c) => (c.actuators[4] = []));
  });
});

describe('config rule: event identity, schedule, queues, polling and alerts', () => {
  it('eventId: 1-63 lowercase letters, digits or dashes, starting with a letter or digit', () => {
    for (const id of ['a', '7', 'black-friday-2026', 'a'.repeat(63)]) accepted((c) => (c.eventId = id));
    for (const id of ['', '-a', 'Black', 'a b', 'a_b', 'a'.repeat(64)]) refused((c) => (c.eventId = id), /^eventId: must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit$/);
    refused((c) => delete (c as unknown as Loose).eventId, /^eventId: .*expected string/);
  });
  it('startAt and endAt are ISO instants, endAt after startAt', () => {
    const notAnInstant = 'must be an ISO 8601 instant with an explicit offset (Z or +hh:mm), e.g. 2026-11-27T09:00:00Z';
    assert.deepEqual(problems((c) => (c.endAt = 'later')), [`endAt: ${notAnInstant}`], 'no "after startAt" about an instant that is not one');
    assert.deepEqual(problems((c) => (c.startAt = 'soon')), [`startAt: ${notAnInstant}`]);
    assert.deepEqual(problems((c) => (c.startAt = '2026-13-45T10:00:00Z')), [`startAt: ${notAnInstant}`], 'the right form but no such day');
    refused((c) => (c.endAt = c.startAt), /^endAt: must be after startAt/);
    refused((c) => (c.endAt = '2026-11-27T09:59:59.000Z'), /^endAt: must be after startAt$/);
    // A 1 s event is after its start; since issue 11 its rules (each longer than the event) are refused instead.
    assert.deepEqual(problems((c) => (c.endAt = '2026-11-27T10:00:01.000Z')).filter((p) => /^(endAt|startAt):/.test(p)), []);
  });
  it('at least one queue', () => refused((c) => (c.queueIds = []), /^queueIds: at least one queue ID is required/));
  // Tightened by issue 11 (was "numbers > 0"): a real org polls every 5-300 s and a sample is stale only after
  // two whole polls were missed. Outside values are in config-schema.test.ts; the bounds themselves are here.
  it('pollIntervalSeconds is 5-300 s and staleAfterSeconds at least two polls', () => {
    for (const poll of [5, 300]) accepted((c) => ((c.pollIntervalSeconds = poll), (c.staleAfterSeconds = 2 * poll), (c.tiers[1].activate.sustainSeconds = 600), (c.tiers[1].restore.sustainSeconds = 300)));
    assert.deepEqual(problems((c) => (c.pollIntervalSeconds = 4.9)), ['pollIntervalSeconds: must be 5-300 s, got 4.9']);
    refused((c) => ((c.pollIntervalSeconds = 300.5), (c.staleAfterSeconds = 601)), /^pollIntervalSeconds: must be 5-300 s, got 300\.5$/);
    assert.deepEqual(problems((c) => (c.staleAfterSeconds = 59)), ['staleAfterSeconds: must be at least 2 polls (60 s), got 59']);
    accepted((c) => (c.staleAfterSeconds = 60));
    refused((c) => (c.staleAfterSeconds = -1), /^staleAfterSeconds: Too small: expected number to be >0$/);
    refused((c) => (c.staleAfterSeconds = NaN), /^staleAfterSeconds: /);
  });
  it('tiers, actuators and modes only know tiers 1-4', () => {
    refused((c) => ((c.tiers as Loose)['5'] = {}), /^tiers: Unrecognized key: "5"$/);
    refused((c) => ((c.actuators as Loose)['0'] = []), /^actuators: Unrecognized key: "0"$/);
    refused((c) => (c.modes = { 9: 'on' } as unknown as EventConfig['modes']), /^modes: Unrecognized key: "9"$/);
    accepted((c) => (c.modes = { 1: 'on', 4: 'off' }));
  });
  it('alert recipients are a list of email addresses', () => {
    assert.deepEqual(problems((c) => (c.alerts.recipients = ['ops@example.com', 'not-an-address'])), ['alerts.recipients.1: Invalid email address']);
    for (const bad of ['a b@example.com', 'ops@example.com<x', '<ops@example.com']) refused((c) => (c.alerts.recipients = [bad]), /^alerts\.recipients\.0: Invalid email address$/);
    refused((c) => (c.alerts = {} as EventConfig['alerts']), /^alerts\.recipients: .*expected array/);
    accepted((c) => (c.alerts.recipients = []));
  });
});

describe('config rule: "a probe URL reaching our own edge" or any local address is refused (the probe would test the wrong thing)', () => {
  // The probe goes to the Genesys apps host; a loopback, link-local (cloud metadata) or private-network target
  // is never that, and would let the controller reach internal services. Each written form an operator might use.
  const local = [
    'http://localhost/x.js', 'http://edge.localhost/x.js', 'http://127.0.0.1/x.js', 'http://127.1.2.3/x.js', 'http://2130706433/x.js',
    'http://0.0.0.0/x.js', 'http://10.1.2.3/x.js', 'http://169.254.169.254/latest/meta-data', 'http://172.16.0.1/x.js', 'http://172.31.255.1/x.js',
    'http://192.168.1.1/x.js', 'http://[::1]/x.js', 'http://[::]/x.js', 'http://[fe80::1]/x.js', 'http://[febf::1]/x.js', 'http://[fc00::1]/x.js',
    'http://[fd12:3456::1]/x.js', 'http://[::ffff:127.0.0.1]/x.js', 'http://[::ffff:10.0.0.1]/x.js', 'http://[::ffff:169.254.169.254]/x.js',
    'http://[::ffff:172.20.0.1]/x.js', 'http://[::ffff:192.168.0.1]/x.js', 'http://LOCALHOST/x.js',
  ];
  const publicHosts = [
    'https://apps.mypurecloud.com/genesys-bootstrap/genesys.min.js', 'http://172.15.0.1/x.js', 'http://172.32.0.1/x.js', 'http://192.169.0.1/x.js',
    'http://169.253.0.1/x.js', 'http://170.254.0.1/x.js', 'http://11.0.0.1/x.js', 'http://128.0.0.1/x.js', 'http://[2001:db8::1]/x.js', 'http://[fec0::1]/x.js',
    'http://[fc::1]/x.js', 'http://fdshop.example/x.js', 'http://fcbank.example/x.js', 'http://fe80.example/x.js', 'http://localhost.example/x.js',
    'http://[::ffff:8.8.8.8]/x.js', 'http://[::ffff:172.32.0.1]/x.js', 'http://8.20.0.1/x.js', 'http://8.168.0.1/x.js', 'http://10.0.0.1.example.com/x.js',
    // Only a whole address in a private range is local: these merely contain such a group or prefix.
    'http://[2001:db8:fe80::1]/x.js', 'http://[2001:db8:fc00::1]/x.js', 'http://[1::ffff:7f00:1]/x.js', 'http://[::ffff:7f00:1:2]/x.js',
  ];
  for (const url of local) {
    it(`refuses ${url}`, () => assert.deepEqual(problems((c) => (c.messengerProbeUrl = url)), [
      'messengerProbeUrl: must not be a loopback, link-local or private-network address (point it at https://apps.<region>/genesys-bootstrap/genesys.min.js)',
    ]));
  }
  it('accepts public hosts, including names and addresses next to the private ranges', () => {
    for (const url of publicHosts) assert.deepEqual(problems((c) => (c.messengerProbeUrl = url)), [], url);
  });
  it('the sandbox (simulated time) may probe its local Messenger', () =>
    accepted((c) => ((c.messengerProbeUrl = 'http://127.0.0.1:8903/genesys-bootstrap/genesys.min.js'), (c.simulatedTimeScale = 1))));
  it('a probe or dashboard URL that is not a URL at all is refused by name, nothing else said about it', () => {
    assert.deepEqual(problems((c) => (c.messengerProbeUrl = 'not a url')), ['messengerProbeUrl: must be an http(s) URL']);
    assert.deepEqual(problems((c) => (c.alerts.dashboardUrl = 'surge.example.com')), ['alerts.dashboardUrl: must be an http(s) URL']);
  });
});

describe('config rule: a rule that could never be met within the event is refused (tiers 1-4)', () => {
  // The event is 10 h = 36,000 s with 30 s polls: 1,200 polls fit exactly, 1,201 do not.
  const tooLong = (what: string) => `${what}is longer than the event (36000 s), so it could never be met`;
  it('a sustain window as long as the event is accepted; one second longer is refused', () => {
    accepted((c) => (c.tiers[1].activate.sustainSeconds = 36_000));
    assert.deepEqual(problems((c) => (c.tiers[1].activate.sustainSeconds = 36_001)), [`tiers.1.activate.sustainSeconds: ${tooLong('the window (36001 s) ')}`]);
  });
  it('consecutivePolls count poll intervals: 1,200 polls of 30 s fit, 1,201 do not', () => {
    accepted((c) => (c.tiers[2].activate.consecutivePolls = 1_200));
    assert.deepEqual(problems((c) => (c.tiers[2].activate.consecutivePolls = 1_201)), [`tiers.2.activate.consecutivePolls: ${tooLong('1201 polls (36030 s) ')}`]);
  });
  it('tier 4 failed and healthy probes count poll intervals too', () => {
    accepted((c) => ((c.tiers[4].activate.failedProbes = 1_200), (c.tiers[4].restore.healthyProbes = 1_200)));
    assert.deepEqual(problems((c) => (c.tiers[4].activate.failedProbes = 1_201)), [`tiers.4.activate.failedProbes: ${tooLong('1201 polls (36030 s) ')}`]);
    assert.deepEqual(problems((c) => (c.tiers[4].restore.healthyProbes = 1_201)), [`tiers.4.restore.healthyProbes: ${tooLong('1201 polls (36030 s) ')}`]);
  });
  it('an event that ends when it starts is refused once, at endAt, not again for every rule', () =>
    assert.deepEqual(problems((c) => (c.endAt = c.startAt)), ['endAt: must be after startAt']));
});

describe('config rule: histories recorded before tier 4 had activate/restore still read as the same rule', () => {
  it('either old key alone is read as the new shape, so the missing count is named where it now lives', () => {
    assert.deepEqual(problems((c) => ((c.tiers as Loose)[4] = { trigger: 'auto', activateAfterFailedProbes: 3 })), ['tiers.4.restore.healthyProbes: Invalid input: expected number, received undefined']);
    assert.deepEqual(problems((c) => ((c.tiers as Loose)[4] = { trigger: 'auto', restoreAfterHealthyProbes: 5 })), ['tiers.4.activate.failedProbes: Invalid input: expected number, received undefined']);
  });
  it('a tier 4 that is not an object is refused as one', () => refused((c) => ((c.tiers as Loose)[4] = null), /^tiers\.4: .*expected object, received null$/));
});

describe('config files: defaults, and every problem refused by field', () => {
  const file = { eventId: 'flash-sale', startAt: '2026-11-27T10:00:00Z', endAt: '2026-11-27T12:00:00Z', queueIds: ['q'], dataTable: { datatableId: 'dt' } };

  it('applies the playbook defaults', () => {
    const c = parseEventConfig(file);
    assert.equal(c.name, 'flash-sale');
    assert.equal(c.startAt, '2026-11-27T10:00:00.000Z');
    assert.equal(c.pollIntervalSeconds, 30);
    assert.equal(c.staleAfterSeconds, 90, 'three polls');
    assert.equal(c.dryRun, false);
    assert.deepEqual(c.tiers, DEFAULT_TIER_CONFIG);
    assert.deepEqual(c.actuators, DEFAULT_ACTUATORS);
    assert.deepEqual(c.dataTable, { datatableId: 'dt', rowKey: 'surge-flash-sale' });
    assert.deepEqual(c.alerts, { recipients: [] });
    assert.equal('modes' in c, false);
    assert.equal('messengerProbeUrl' in c, false);
    assert.equal('simulatedTimeScale' in c, false, 'a real event says nothing about simulated time');
  });

  it('staleAfterSeconds defaults to three polls, at least 60 s', () => {
    assert.equal(parseEventConfig({ ...file, pollIntervalSeconds: 10, tiers: { 1: { activate: { waitingAbove: 50, sustainSeconds: 600 } } } }).staleAfterSeconds, 60);
    assert.equal(parseEventConfig({ ...file, pollIntervalSeconds: 60 }).staleAfterSeconds, 180);
  });

  // Changed by issue 11: tier 4 has activate/restore rules like tiers 1-3, so "tier 4 fields merge" became "a
  // tier 4 rule replaces its default"; the old flat keys are read only from recorded histories, not from files.
  it('a rule given in the file replaces the default rule whole, tier 4 too', () => {
    const c = parseEventConfig({ ...file, tiers: { 1: { activate: { waitingAbove: 80, consecutivePolls: 4 } }, 3: { trigger: 'auto' }, 4: { restore: { healthyProbes: 2 } } } });
    assert.deepEqual(c.tiers[1].activate, { waitingAbove: 80, consecutivePolls: 4 });
    assert.deepEqual(c.tiers[1].restore, DEFAULT_TIER_CONFIG[1].restore);
    assert.equal(c.tiers[3].trigger, 'auto');
    assert.deepEqual(c.tiers[4], { trigger: 'auto', activate: { failedProbes: 3 }, restore: { healthyProbes: 2 } });
    assert.throws(() => parseEventConfig({ ...file, tiers: { 4: { restoreAfterHealthyProbes: 2 } } }), (e: unknown) => e instanceof EventConfigError && e.problems[0] === 'tiers.4: Unrecognized key: "restoreAfterHealthyProbes"');
  });

  it('keeps the given name, row key, modes, probe URL and alert settings', () => {
    const c = parseEventConfig({
      ...file,
      name: 'Flash sale',
      dryRun: true,
      dataTable: { datatableId: 'dt', rowKey: 'row' },
      modes: { 3: 'on' },
      messengerProbeUrl: 'https://shop.example/genesys-bootstrap/genesys.min.js',
      alerts: { recipients: ['ops@example.com'], dashboardUrl: 'https://dash.example' },
    });
    assert.equal(c.name, 'Flash sale');
    assert.equal(c.dryRun, true);
    assert.equal(c.dataTable?.rowKey, 'row');
    assert.deepEqual(c.modes, { 3: 'on' });
    assert.equal(c.messengerProbeUrl, 'https://shop.example/genesys-bootstrap/genesys.min.js');
    assert.deepEqual(c.alerts, { recipients: ['ops@example.com'], dashboardUrl: 'https://dash.example' });
  });

  it('a semantic problem in a file is refused by field, nothing half-applied', () => {
    assert.throws(
      () => parseEventConfig({ ...file, tiers: { 4: { restore: { healthyProbes: 0 } } } }, 'sale.yaml'),
      (e: unknown) => e instanceof EventConfigError && e.source === 'sale.yaml' && e.problems.length === 1 && /^tiers\.4\.restore\.healthyProbes: /.test(e.problems[0]) && e.message.startsWith('invalid event config sale.yaml:\n  - tiers.4'),
    );
    assert.throws(
      () => parseEventConfig({ ...file, pollIntervalSeconds: 0, queueIds: [] }),
      (e: unknown) => e instanceof EventConfigError && e.name === 'EventConfigError' && e.source === '(input)' && /^invalid event config \(input\):\n  - \S+: .*\n  - \S+: /.test(e.message),
    );
  });

  it('shape errors name the field path (or the top level)', () => {
    assert.throws(() => parseEventConfig({ ...file, tiers: { 2: { activate: { waitingAbove: -1, consecutivePolls: 3 } } } }), (e: unknown) => e instanceof EventConfigError && /^tiers\.2\.activate\.waitingAbove: /.test(e.problems[0]));
    assert.throws(() => parseEventConfig({ ...file, actuators: { 3: [{ kind: 'edgeFlag', key: 'other' }] } }), (e: unknown) => e instanceof EventConfigError && /^actuators\.3\.0\.key: /.test(e.problems[0]));
    for (const notAnObject of ['not an object', null, [file]]) {
      assert.throws(() => parseEventConfig(notAnObject), (e: unknown) => e instanceof EventConfigError && e.problems.length === 1 && /^\(top level\): .*expected object/.test(e.problems[0]), JSON.stringify(notAnObject));
    }
    assert.throws(() => parseEventConfig({ ...file, endAt: 'soon' }), (e: unknown) => e instanceof EventConfigError && /^endAt: must be an ISO 8601 instant/.test(e.problems[0]));
    // Changed by issue 11: an instant is a string with its offset; a Date object (never produced by the JSON or
    // YAML 1.2 readers) is refused by name instead of converted.
    assert.throws(() => parseEventConfig({ ...file, endAt: new Date('2026-11-27T12:00:00Z') }), (e: unknown) => e instanceof EventConfigError && /^endAt: .*expected string/.test(e.problems[0]));
  });

  it('surge start refuses an event whose end is now or past (it would start, restore and end at once)', () => {
    const c = parseEventConfig(file);
    assert.throws(() => checkNotOver(c, Date.parse(c.endAt)), (e: unknown) => e instanceof EventConfigError && /^endAt: 2026-11-27T12:00:00.000Z is already past/.test(e.problems[0]));
    assert.doesNotThrow(() => checkNotOver(c, Date.parse(c.endAt) - 1));
  });

  it('reads JSON and YAML files, and names the file when it is unreadable or malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-config-'));
    await writeFile(join(dir, 'e.json'), JSON.stringify(file));
    await writeFile(join(dir, 'e.yml'), 'eventId: flash-sale\nstartAt: 2026-11-27T10:00:00Z\nendAt: 2026-11-27T12:00:00Z\nqueueIds: [q]\ndataTable: {datatableId: dt}\n');
    await writeFile(join(dir, 'bad.json'), '{eventId:');
    await writeFile(join(dir, 'bad.yaml'), 'a: [');
    assert.equal((await loadEventConfig(join(dir, 'e.json'))).eventId, 'flash-sale');
    assert.equal((await loadEventConfig(join(dir, 'e.yml'))).endAt, '2026-11-27T12:00:00.000Z');
    await assert.rejects(loadEventConfig(join(dir, 'bad.json')), (e: unknown) => e instanceof EventConfigError && /^not valid JSON: /.test(e.problems[0]) && e.source.endsWith('bad.json'));
    await assert.rejects(loadEventConfig(join(dir, 'bad.yaml')), (e: unknown) => e instanceof EventConfigError && /^not valid YAML: /.test(e.problems[0]));
    await assert.rejects(loadEventConfig(join(dir, 'none.yaml')), (e: unknown) => e instanceof EventConfigError && /^cannot read the file: /.test(e.problems[0]));
  });
});
