// The Genesys Data Action contract in integrations/ agrees with what the endpoint accepts and answers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateDeflectionRequest } from '../workflows/deflection-types';

const dir = path.join(__dirname, '../integrations/genesys-data-action');
const read = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('deflection Data Action contract', () => {
  const input = read('input-schema.json');
  const output = read('output-schema.json');
  const action = read('deflection-data-action.json');

  it('the importable action carries exactly the schema files and posts the raw input with the secret header', () => {
    assert.deepEqual(action.contract.input.inputSchema, input);
    assert.deepEqual(action.contract.output.successSchema, output);
    assert.equal(action.config.request.requestType, 'POST');
    assert.equal(action.config.request.requestTemplate, '${input.rawRequest}');
    assert.match(action.config.request.requestUrlTemplate, /\/deflections$/);
    assert.ok('X-Surge-Deflection-Secret' in action.config.request.headers);
  });

  it('uses only flat inputs and names Genesys allows, and every one is a field the endpoint knows', () => {
    const sample = { conversationId: 'c-1', intent: 'order_status', channel: 'email', customerEmail: 'a@b.example', promisedWithinMinutes: 120 };
    for (const [name, schema] of Object.entries(input.properties as Record<string, { type: string }>)) {
      assert.match(name, /^[A-Za-z][A-Za-z0-9_-]*$/);
      assert.ok(['string', 'integer', 'number', 'boolean'].includes(schema.type), `${name} is ${schema.type}`);
      const result = validateDeflectionRequest({ ...sample, [name]: 12345 }, Date.now());
      const complaint = !result.ok && result.errors.find((e) => e.field === name);
      assert.ok(!complaint || !/not a known field/.test(complaint.message), `${name} is unknown to the endpoint`);
    }
    assert.ok(validateDeflectionRequest(sample, Date.now()).ok);
    for (const required of input.required as string[]) {
      const { [required]: _omitted, ...rest } = sample as Record<string, unknown>;
      const result = validateDeflectionRequest(rest, Date.now());
      assert.ok(!result.ok && result.errors.some((e) => e.field === required), `${required} is required by the endpoint too`);
    }
  });

  it('accepts what Genesys sends for unset optional inputs: "" everywhere, no schema rule failing on it', () => {
    // Genesys fills an optional input the flow leaves unset with "" (and ${input.rawRequest} carries it). A JSON
    // Schema enum/minimum/maxLength/pattern on an optional input would reject "" before the endpoint sees it.
    const required = new Set(input.required as string[]);
    const optional = Object.keys(input.properties as object).filter((name) => !required.has(name));
    for (const name of optional) {
      const rules = Object.keys((input.properties as Record<string, object>)[name]).filter((k) => !['type', 'description'].includes(k));
      assert.deepEqual(rules, [], `${name} is optional: its constraints belong to the endpoint, not the contract`);
    }
    const blanks = Object.fromEntries(optional.map((name) => [name, '']));
    const result = validateDeflectionRequest({ ...blanks, conversationId: 'c-1', intent: 'order_status', channel: 'email', customerEmail: 'a@b.example', promisedWithinMinutes: 120 }, Date.now());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.value.customerName, undefined, '"" is treated as absent');
    const byBlank = validateDeflectionRequest({ ...blanks, conversationId: 'c-1', intent: 'order_status', channel: 'sms', customerPhone: '+14155550100', promisedBy: new Date(Date.now() + 3_600_000).toISOString() }, Date.now());
    assert.ok(byBlank.ok, JSON.stringify(!byBlank.ok && byBlank.errors));
  });

  it('describes every field the endpoint answers with', () => {
    assert.deepEqual(Object.keys(output.properties).sort(), ['created', 'promisedBy', 'reference', 'workflowId']);
  });
});
