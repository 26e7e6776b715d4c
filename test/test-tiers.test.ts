// Every test file runs in exactly one tier (scripts/test-tiers.ts), and the listed files exist.
import assert from 'node:assert/strict';
import { UNIT, WORKFLOW, allTestFiles, testFilesOf } from '../scripts/test-tiers';

describe('test tiers', () => {
  const all = allTestFiles();

  it('every test file belongs to exactly one tier', () => {
    const tiers = (['unit', 'workflow', 'e2e'] as const).map((t) => testFilesOf(t, all));
    for (const file of all) {
      const owners = tiers.filter((files) => files.includes(file)).length;
      assert.equal(owners, 1, `${file} is in ${owners} tiers`);
    }
    assert.equal(tiers.flat().length, all.length);
  });

  it('every listed unit and workflow file exists (a renamed file would otherwise vanish from its tier)', () => {
    for (const file of [...UNIT, ...WORKFLOW]) assert.ok(all.includes(file), `${file} is listed but does not exist`);
  });
});
