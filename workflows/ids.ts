// Names other processes rely on: the worker polls this task queue; the client finds events by these IDs.
export const TASK_QUEUE = 'surge-fallback';

/** One execution per event: Temporal refuses a second start while it runs. */
export function surgeEventWorkflowId(eventId: string): string {
  return `surge-event-${eventId}`;
}

/** An event ID: it names workflows and rides in alert subjects (`[surge <eventId>]`), so never free text. */
export const EVENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
