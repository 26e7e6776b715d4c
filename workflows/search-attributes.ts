// Search attributes that make events findable in the Temporal UI (e.g. `SurgeTier >= 2 AND ExecutionStatus = "Running"`).
// They must be registered on the namespace first (the local stack and the tests do it).
import { defineSearchAttributeKey } from '@temporalio/common';

export const SURGE_EVENT_ID = defineSearchAttributeKey('SurgeEventId', 'KEYWORD');
export const SURGE_TIER = defineSearchAttributeKey('SurgeTier', 'INT');
export const SURGE_PHASE = defineSearchAttributeKey('SurgePhase', 'KEYWORD');

export const SURGE_SEARCH_ATTRIBUTES = [SURGE_EVENT_ID, SURGE_TIER, SURGE_PHASE];
