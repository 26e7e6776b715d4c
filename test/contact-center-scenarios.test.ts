// Scenario files: every shipped file validates, and bad input is rejected naming the field.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { activeApiFaults, listScenarios, loadScenario, parseScenario, ScenarioError, SCENARIOS_DIR } from '../sandbox/scenarios/load';

const raw = (name: string) => JSON.parse(readFileSync(path.join(SCENARIOS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;

describe('contact-center: scenarios', () => {
  it('ships the five scenarios and each one validates', () => {
    const names = listScenarios();
    for (const expected of ['steady-day', 'flash-sale-10x', 'viral-spike-20x', 'genesys-brownout', 'oscillation']) {
      assert.ok(names.includes(expected), `missing scenario ${expected}`);
    }
    for (const name of names) assert.equal(loadScenario(name).name, name, `${name}.json: name field must match the file name`);
  });

  it('declares API fault windows for the Genesys sandbox in genesys-brownout', () => {
    const s = loadScenario('genesys-brownout');
    assert.deepEqual(activeApiFaults(s, 10), []);
    assert.deepEqual(activeApiFaults(s, 45).map((f) => f.kind), ['outage']);
    assert.ok(s.apiFaults.some((f) => f.kind === '5xx') && s.apiFaults.some((f) => f.kind === 'latency'));
  });

  it('viral-spike-20x reaches 20x baseline within 2 minutes', () => {
    const s = loadScenario('viral-spike-20x');
    const ramp = s.arrivals.profile.find((p) => p.shape === 'linear');
    assert.ok(ramp && ramp.shape === 'linear');
    assert.equal(ramp.to, 20);
    assert.ok(ramp.toMinute - ramp.fromMinute <= 2);
  });

  const rejects = (mutate: (s: Record<string, unknown>) => void, field: RegExp) => {
    const s = raw('steady-day');
    mutate(s);
    assert.throws(
      () => parseScenario(s, 'scenario test.json'),
      (err: Error) => err instanceof ScenarioError && /scenario test\.json is invalid/.test(err.message) && field.test(err.message),
    );
  };

  it('names the field of a wrong value', () => {
    rejects((s) => ((s.queues as { share: number }[])[0].share = 1.5), /queues\.0\.share/);
    rejects((s) => ((s.service as Record<string, unknown>).concurrency = 0), /service\.concurrency/);
    rejects((s) => ((s.service as Record<string, unknown>).handleTime = { distribution: 'gamma', meanSeconds: 1 }), /service\.handleTime/);
  });

  it('names a misspelt (unknown) field instead of ignoring it', () => {
    rejects((s) => ((s.bot as Record<string, unknown>).concurencyLimit = 3), /bot.*concurencyLimit/);
  });

  it('checks cross-field rules: shares sum to 1, windows in order and inside the scenario', () => {
    rejects((s) => ((s.queues as { share: number }[])[0].share = 0.5), /queues: queue shares must sum to 1/);
    rejects(
      (s) => ((s.arrivals as Record<string, unknown>).profile = [{ fromMinute: 10, toMinute: 5, shape: 'constant', multiplier: 2 }]),
      /arrivals\.profile\.0\.toMinute/,
    );
    rejects((s) => (s.apiFaults = [{ fromMinute: 10, toMinute: 999, kind: 'outage' }]), /apiFaults\.0\.toMinute.*past durationMinutes/);
    rejects((s) => delete s.durationMinutes, /durationMinutes/);
  });

  it('reports a missing file and bad JSON clearly', () => {
    assert.throws(() => loadScenario('no-such-scenario'), /scenario no-such-scenario: cannot read/);
    const dir = mkdtempSync(path.join(tmpdir(), 'scenario-'));
    try {
      writeFileSync(path.join(dir, 'broken.json'), '{ "name": ');
      assert.throws(() => loadScenario(path.join(dir, 'broken.json')), /scenario broken\.json: not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
