// The workflow bundle's entry point: every workflow the worker runs.
export { surgeEvent } from './surge-event';
export { flowPublish } from './flow-publish';
export { deflectionFollowUp } from './deflection-follow-up';
export { preEventCheck } from './pre-event-check';
export { actuatorClaim } from './actuator-claim';
