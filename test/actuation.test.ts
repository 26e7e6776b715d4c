// Actuator planning (workflows/actuation.ts), pure: what every actuator should look like for the tiers'
// desired state, and when a tier counts as applied. The workflow calls only the actuators whose confirmed
// fingerprint differs ("reconcile against observed state"), so these ids and fingerprints are the contract.
import assert from 'node:assert/strict';
import { actuatorId, actuatorTargets, tierApplied } from '../workflows/actuation';
import { applyTierMode, evaluate, initialPolicyState } from '../workflows/policy';
import type { EventConfig, PolicyState, TierNumber } from '../workflows/types';
import { at, testEventConfig } from './helpers/event-config';

function withActive(config: EventConfig, tiers: TierNumber[]): PolicyState {
  let state = initialPolicyState(config, at(0));
  for (const t of tiers) state = applyTierMode(state, t, 'on', 'test', 'ops', at(0)).state;
  return state;
}

describe('actuation: targets per actuator, from the tiers\' desired state', () => {
  const config = testEventConfig({
    actuators: {
      1: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'bot-flow', surgeVersion: '8', normalVersion: '7' }],
      2: [{ kind: 'dataTableFlag' }],
      3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }, { kind: 'messengerDeployment', deploymentId: 'dep', surgeConfigurationVersion: '2', normalConfigurationVersion: '1' }],
      4: [{ kind: 'edgeFlag', key: 'chat_fallback_active' }],
    },
  });

  it('one target per actuator (data-table flags folded into one flags-row write), desired = tier active', () => {
    const targets = actuatorTargets(config, withActive(config, [3]));
    assert.deepEqual(
      targets.map((t) => [t.id, t.tier, t.fingerprint, 'desired' in t ? t.desired : null]),
      [
        ['tier1:flow:bot-flow', 1, 'off', false],
        ['tier3:kv:chat_surge_active', 3, 'on', true],
        ['tier3:deployment:dep', 3, 'on', true],
        ['tier4:kv:chat_fallback_active', 4, 'off', false],
        ['flags-row', null, '0010', null],
      ],
    );
  });

  it('the flags row carries every tier\'s flag and the latest good sample\'s numbers; only the flags decide a rewrite', () => {
    let state = withActive(config, [1, 4]);
    state = evaluate(state, { ok: true, at: at(30), waiting: 42, agentsAvailable: 3, perQueue: [] }, config, at(30)).state;
    const row = actuatorTargets(config, state).find((t) => t.id === 'flags-row');
    assert.ok(row && 'row' in row);
    assert.equal(row.fingerprint, '1001');
    assert.equal(row.datatableId, 'dt-surge-flags');
    assert.deepEqual(row.row, { key: 'surge-test-event', tier1Active: true, tier2Active: false, tier3Active: false, tier4Active: true, waiting: 42, agentsAvailable: 3 });
    const failed = evaluate(state, { ok: false, at: at(60), error: 'HTTP 503' }, config, at(60)).state;
    const rowAfterFailure = actuatorTargets(config, failed).find((t) => t.id === 'flags-row');
    assert.ok(rowAfterFailure && 'row' in rowAfterFailure);
    assert.deepEqual([rowAfterFailure.row.waiting, rowAfterFailure.row.agentsAvailable, rowAfterFailure.fingerprint], [0, 0, '1001']);
  });

  it('no data table: no flags row', () => {
    const plain = testEventConfig({ dataTable: undefined, actuators: { 1: [], 2: [] } });
    assert.deepEqual(actuatorTargets(plain, withActive(plain, [])).map((t) => t.id), ['tier3:kv:chat_surge_active', 'tier4:kv:chat_fallback_active']);
  });

  it('ids name the tier and the thing driven', () => {
    assert.equal(actuatorId(2, 0, { kind: 'dataTableFlag' }), 'tier2:datatable:0');
    assert.equal(actuatorId(4, 1, { kind: 'edgeFlag', key: 'chat_fallback_active' }), 'tier4:kv:chat_fallback_active');
  });

  it('a tier is applied when every actuator serving it, and the flags row, confirmed the desired fingerprint', () => {
    const targets = actuatorTargets(config, withActive(config, [3]));
    const all = Object.fromEntries(targets.map((t) => [t.id, t.fingerprint]));
    assert.equal(tierApplied(targets, all, 3), true);
    assert.equal(tierApplied(targets, { ...all, 'tier3:deployment:dep': 'off' }, 3), false, 'one actuator of the tier behind');
    assert.equal(tierApplied(targets, { ...all, 'flags-row': '0000' }, 3), false, 'the shared flags row behind');
    assert.equal(tierApplied(targets, { ...all, 'tier1:flow:bot-flow': 'on' }, 3), true, 'another tier\'s actuator does not matter');
    assert.equal(tierApplied(targets, {}, 2), false, 'tier 2 has only the flags row, unconfirmed');
  });
});
