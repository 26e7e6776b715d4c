// The reconciler, table-driven, with no Temporal server: which writes it plans and which drifts it records
// for every combination of desired, last confirmed and observed.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Observation } from '../workflows/observation';
import { applyTierMode, initialPolicyState } from '../workflows/policy';
import { confirmWrite, desiredActuators, manualFix, notNormal, reconcile } from '../workflows/reconciler';
import { at, testEventConfig } from './helpers/event-config';

const config = testEventConfig({
  actuators: {
    2: [{ kind: 'dataTableFlag' }, { kind: 'flowVersion', flowId: 'flow-in', surgeVersion: '2.0', normalVersion: '1.0' }],
    3: [{ kind: 'edgeFlag', key: 'chat_surge_active' }, { kind: 'messengerDeployment', deploymentId: 'dep-1', surgeConfigurationVersion: '7', normalConfigurationVersion: '6' }],
  },
});
const normal = initialPolicyState(config, at(0));
const tier3On = applyTierMode(normal, 3, 'on', 'approved', 'alice', at(1)).state;
const KV = 'tier3:kv:chat_surge_active';
const FLOW = 'tier2:flow:flow-in';
const DEP = 'tier3:deployment:dep-1';
const ROW = 'flags-row';

const ok = (value: string | null) => ({ ok: true as const, value });
const failed = { ok: false as const, error: 'HTTP 503', failureClass: 'platform' as const };

describe('reconciler', () => {
  it('derives every site-wide actuator with its desired and normal canonical value', () => {
    const all = desiredActuators(config, tier3On);
    assert.deepEqual(
      all.map((a) => [a.id, a.tier, a.desired, a.normal, a.read.kind]),
      [
        [FLOW, 2, '1.0', '1.0', 'flow'],
        [KV, 3, 'true', 'false', 'kv'],
        [DEP, 3, '7', '6', 'deployment'],
        ['tier4:kv:chat_fallback_active', 4, 'false', 'false', 'kv'],
        [ROW, null, '0010', '0000', 'flags-row'],
      ],
    );
  });

  type Row = {
    name: string;
    known: Record<string, string | null>;
    observed: Observation['actuators'];
    openDrifts?: string[];
    writes: string[];
    drifts: [string, string | null, string | null][];
    alerts: string[];
    open: string[];
  };
  const rows: Row[] = [
    {
      name: 'first poll, nothing known, all absent: writes everything that differs, no drift',
      known: {},
      observed: { [KV]: ok(null), [FLOW]: ok('1.0'), [DEP]: ok('6'), [ROW]: ok(null), 'tier4:kv:chat_fallback_active': ok('false') },
      writes: [KV, DEP, ROW],
      drifts: [],
      alerts: [],
      open: [],
    },
    {
      name: 'everything as confirmed and desired: no write',
      known: { [KV]: 'true', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: ok('true'), 'tier4:kv:chat_fallback_active': ok('false') },
      writes: [],
      drifts: [],
      alerts: [],
      open: [],
    },
    {
      name: 'KV flipped behind our back: drift recorded and alerted, re-asserted',
      known: { [KV]: 'true', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: ok('false') },
      writes: [KV],
      drifts: [[KV, 'true', 'false']],
      alerts: [KV],
      open: [KV],
    },
    {
      name: 'a drift already alerted and still there (the write failed): recorded, not alerted again',
      known: { [KV]: 'false', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: ok('false') },
      openDrifts: [KV],
      writes: [KV],
      drifts: [],
      alerts: [],
      open: [KV],
    },
    {
      name: 'an open drift seen corrected closes',
      known: { [KV]: 'true', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: ok('true') },
      openDrifts: [KV],
      writes: [],
      drifts: [],
      alerts: [],
      open: [],
    },
    {
      name: 'flow, deployment and flags row changed behind our back: each a drift',
      known: { [KV]: 'true', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [FLOW]: ok('3.0'), [DEP]: ok('6'), [ROW]: ok(null) },
      writes: [FLOW, DEP, ROW],
      drifts: [
        [FLOW, '1.0', '3.0'],
        [DEP, '7', '6'],
        [ROW, '0010', null],
      ],
      alerts: [FLOW, DEP, ROW],
      open: [FLOW, DEP, ROW],
    },
    {
      name: 'a failed read is judged by what is known: no write when known is desired, no drift',
      known: { [KV]: 'true', [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: failed },
      writes: [],
      drifts: [],
      alerts: [],
      open: [],
    },
    {
      name: 'a failed read of something never confirmed: written (asserted, not assumed)',
      known: { [FLOW]: '1.0', [DEP]: '7', [ROW]: '0010', 'tier4:kv:chat_fallback_active': 'false' },
      observed: { [KV]: failed },
      writes: [KV],
      drifts: [],
      alerts: [],
      open: [],
    },
    {
      name: 'desired changed (tier 3 forced on) and not read this poll: written from what is known',
      known: { [KV]: 'false', [FLOW]: '1.0', [DEP]: '6', [ROW]: '0000', 'tier4:kv:chat_fallback_active': 'false' },
      observed: {},
      writes: [KV, DEP, ROW],
      drifts: [],
      alerts: [],
      open: [],
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = reconcile({ actuators: desiredActuators(config, tier3On), known: row.known, observed: row.observed, openDrifts: row.openDrifts ?? [] });
      assert.deepEqual(plan.writes.map((w) => w.id), row.writes);
      assert.deepEqual(plan.drifts.map((d) => [d.id, d.expected, d.observed]), row.drifts);
      assert.deepEqual(plan.alertDrifts.map((d) => d.id), row.alerts);
      assert.deepEqual([...plan.openDrifts].sort(), [...row.open].sort());
      for (const [id, part] of Object.entries(row.observed)) if (part.ok) assert.equal(plan.known[id], part.value, `${id} known after the read`);
    });
  }

  it('a confirmed write is known, so reading it next poll is no drift', () => {
    const all = desiredActuators(config, tier3On);
    const kv = all.find((a) => a.id === KV)!;
    const known = confirmWrite({ [KV]: 'false' }, kv);
    const plan = reconcile({ actuators: [kv], known, observed: { [KV]: ok('true') }, openDrifts: [] });
    assert.deepEqual(plan.drifts, []);
    assert.deepEqual(plan.writes, []);
  });

  it('notNormal lists every actuator not observed at its normal value, failed reads included', () => {
    const all = desiredActuators(config, normal);
    const left = notNormal(all, { [KV]: ok('true'), [FLOW]: ok('1.0'), [DEP]: failed, [ROW]: ok('0000'), 'tier4:kv:chat_fallback_active': ok('false') });
    assert.deepEqual(left.map((l) => [l.actuator.id, l.observed, l.error]), [
      [KV, 'true', undefined],
      [DEP, undefined, 'HTTP 503'],
    ]);
  });

  it('names the manual fix for each actuator kind', () => {
    const all = desiredActuators(config, normal);
    const fix = (id: string) => manualFix(all.find((a) => a.id === id)!);
    assert.match(fix(KV), /^npx wrangler kv key put chat_surge_active false --namespace-id=/);
    assert.match(fix(FLOW), /publish version 1\.0/);
    assert.match(fix(DEP), /configuration version 6/);
    assert.match(fix(ROW), /dt-surge-flags.*tier1Active\.\.tier4Active to false/);
  });
});
