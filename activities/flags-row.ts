// The flags row of the Architect data table: read it, and create it when it is missing. Observed state first: a
// GET tells whether the row exists (GET /api/v2/flows/datatables/{id}/rows/{rowId}, getFlowsDatatableRow), so nothing
// depends on which error a PUT to a missing row would answer (undocumented: 404 or 400).
import { ApplicationFailure } from '@temporalio/common';
import type { FlagsRow } from '../workflows/types';
import { GenesysFailure, type GenesysSession } from './genesys-client';

/** All tiers off: the row a missing one is created with (the flows read "no surge"). */
export function flagsRowAllOff(key: string, now = new Date()): FlagsRow {
  return { key, tier1Active: false, tier2Active: false, tier3Active: false, tier4Active: false, waiting: 0, agentsAvailable: 0, updatedAt: now.toISOString() };
}

/** Whether the row exists. Any failure other than "not found" is thrown as it came (auth, unknown table...). */
export async function flagsRowExists(session: GenesysSession, datatableId: string, key: string): Promise<boolean> {
  return session
    .call({ action: 'read the flags row', permission: 'architect:datatableRow:view', resource: `row ${key} of data table ${datatableId}` }, () =>
      session.architect.getFlowsDatatableRow(datatableId, key, { showbrief: false }),
    )
    .then(
      () => true,
      (err: unknown) => {
        if (err instanceof ApplicationFailure && err.type === GenesysFailure.notFound) return false;
        throw err;
      },
    );
}

/** Creates `row` when no row with its key exists. Returns whether it created it. A concurrent creator is fine. */
export async function ensureFlagsRow(session: GenesysSession, datatableId: string, row: FlagsRow): Promise<boolean> {
  if (await flagsRowExists(session, datatableId, row.key)) return false;
  try {
    // POST /api/v2/flows/datatables/{id}/rows: the row is the 2nd positional argument (SDK 262 postFlowsDatatableRows).
    await session.call({ action: 'create the flags row', permission: 'architect:datatableRow:add', resource: `data table ${datatableId}` }, () =>
      session.architect.postFlowsDatatableRows(datatableId, { ...row }),
    );
    return true;
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === GenesysFailure.conflict && (await flagsRowExists(session, datatableId, row.key))) return false;
    throw err;
  }
}
