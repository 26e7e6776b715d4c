// Architect data tables: the table with its JSON schema, and rows keyed by the reference column `key`.
// Codes: `flows.datatables.table.not.found` is what the live API answers for a missing table; the row codes
// are this sandbox's best guess (404 for a PUT to a missing row; the platform publishes no list).
import { GenesysHttpError, badRequest, isRecord, notFound } from '../http';
import type { DataTableRecord, GenesysSandboxState } from '../state';
import type { ApiRoute } from './context';
import { listParam, page } from './context';

const MAX_KEY_LENGTH = 256;

function schemaOf(table: DataTableRecord): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    key: { title: 'key', type: 'string', $id: '/properties/key', displayOrder: 0, minLength: 1, maxLength: MAX_KEY_LENGTH },
  };
  table.columns.forEach((c, i) => (properties[c.name] = { title: c.name, type: c.type, $id: `/properties/${c.name}`, displayOrder: i + 1 }));
  return { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['key'], properties, additionalProperties: false };
}

function tableBody(table: DataTableRecord, expandSchema: boolean): Record<string, unknown> {
  return {
    id: table.id,
    name: table.name,
    division: { id: 'div-home', name: 'Home' },
    ...(expandSchema ? { schema: schemaOf(table) } : {}),
    selfUri: `/api/v2/flows/datatables/${table.id}`,
  };
}

function findTable(state: GenesysSandboxState, id: string): DataTableRecord {
  const table = state.dataTables.get(id);
  if (!table) throw notFound(`Data table ${id} not found`, 'flows.datatables.table.not.found');
  return table;
}

function findRow(table: DataTableRecord, rowId: string): Record<string, unknown> {
  const row = table.rows.get(rowId);
  if (!row) throw notFound(`Row ${rowId} not found in data table ${table.id}`, 'flows.datatables.row.not.found');
  return row;
}

/** Checks a row against the table's schema: `key` required, no unknown fields, each value of its column's type. */
function validateRow(table: DataTableRecord, body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest('The row must be a JSON object', 'flows.datatables.syntax.error');
  const key = body.key;
  if (typeof key !== 'string' || key === '') throw badRequest('The row needs a non-empty string "key"', 'flows.datatables.schema.exception');
  if (key.length > MAX_KEY_LENGTH) throw badRequest(`The row key is over ${MAX_KEY_LENGTH} characters`, 'flows.datatables.schema.exception');
  for (const [field, value] of Object.entries(body)) {
    if (field === 'key') continue;
    const column = table.columns.find((c) => c.name === field);
    if (!column) {
      throw badRequest(`Field "${field}" is not in data table ${table.id} (fields: key, ${table.columns.map((c) => c.name).join(', ')})`, 'flows.datatables.schema.exception');
    }
    const ok =
      value === null ||
      (column.type === 'string' && typeof value === 'string') ||
      (column.type === 'boolean' && typeof value === 'boolean') ||
      (column.type === 'integer' && Number.isInteger(value)) ||
      (column.type === 'number' && typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw badRequest(`Field "${field}" must be of type ${column.type}, got ${JSON.stringify(value)}`, 'flows.datatables.schema.exception');
  }
  return { ...body };
}

/** `showbrief` defaults to true on the live API: only the key comes back unless it is `false`. */
function shown(row: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  return query.get('showbrief') === 'false' ? { ...row } : { key: row.key };
}

export const dataTableRoutes: ApiRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v2/flows/datatables',
    permission: 'architect:datatable:view',
    handler: ({ state, query }) => {
      const expand = listParam(query, 'expand').includes('schema');
      return { body: page([...state.dataTables.values()].map((t) => tableBody(t, expand)), query, '/api/v2/flows/datatables') };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/flows/datatables/:datatableId',
    permission: 'architect:datatable:view',
    handler: ({ state, params, query }) => ({ body: tableBody(findTable(state, params.datatableId), listParam(query, 'expand').includes('schema')) }),
  },
  {
    method: 'GET',
    pattern: '/api/v2/flows/datatables/:datatableId/rows',
    permission: 'architect:datatableRow:view',
    handler: ({ state, params, query }) => {
      const table = findTable(state, params.datatableId);
      const rows = [...table.rows.values()].sort((a, b) => String(a.key).localeCompare(String(b.key)));
      return { body: page(rows.map((r) => shown(r, query)), query, `/api/v2/flows/datatables/${table.id}/rows`) };
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/flows/datatables/:datatableId/rows/:rowId',
    permission: 'architect:datatableRow:view',
    handler: ({ state, params, query }) => ({ body: shown(findRow(findTable(state, params.datatableId), params.rowId), query) }),
  },
  {
    method: 'POST',
    pattern: '/api/v2/flows/datatables/:datatableId/rows',
    permission: 'architect:datatableRow:add',
    handler: ({ state, params, body }) => {
      const table = findTable(state, params.datatableId);
      const row = validateRow(table, body);
      if (table.rows.has(String(row.key))) {
        throw new GenesysHttpError(409, 'flows.datatables.row.already.exists', `A row with key ${String(row.key)} already exists in data table ${table.id}`);
      }
      table.rows.set(String(row.key), row);
      return { body: { ...row } };
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v2/flows/datatables/:datatableId/rows/:rowId',
    permission: 'architect:datatableRow:edit',
    handler: ({ state, params, body }) => {
      const table = findTable(state, params.datatableId);
      findRow(table, params.rowId);
      if (body === undefined) throw badRequest('The PUT body is empty: send the whole row', 'flows.datatables.syntax.error');
      const row = validateRow(table, isRecord(body) && body.key === undefined ? { ...body, key: params.rowId } : body);
      if (row.key !== params.rowId) throw badRequest(`The row key "${String(row.key)}" does not match the path's row ID "${params.rowId}"`, 'flows.datatables.schema.exception');
      table.rows.set(params.rowId, row);
      return { body: { ...row } };
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/v2/flows/datatables/:datatableId/rows/:rowId',
    permission: 'architect:datatableRow:delete',
    handler: ({ state, params }) => {
      const table = findTable(state, params.datatableId);
      findRow(table, params.rowId);
      table.rows.delete(params.rowId);
      return { status: 204 };
    },
  },
];
