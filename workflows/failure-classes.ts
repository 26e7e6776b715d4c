// Which failures may move tier 4. The controller must never cause the outage it exists to prevent:
// only a platform outage counts toward the static fallback; our own mistakes (auth, unknown IDs, bad
// config) and rate limits hold the tiers and alert. Pure and shared: activities throw ApplicationFailures
// whose `type` is one of the names below (or a more specific SDK type listed here), the workflow
// classifies what it caught with `failureClassOf`.

/** `platform`: counts toward tier 4. `controller`: hold tiers 1-3, alert "misconfigured". `rate-limited`: hold everything, wait. */
export type FailureClass = 'platform' | 'controller' | 'rate-limited';

/** Generic ApplicationFailure types any activity may throw when no more specific one fits. */
export const FailureType = {
  platformUnavailable: 'PlatformUnavailable',
  controllerMisconfigured: 'ControllerMisconfigured',
  rateLimited: 'RateLimited',
} as const;

const CLASS_BY_TYPE: Record<string, FailureClass> = {
  [FailureType.platformUnavailable]: 'platform',
  [FailureType.controllerMisconfigured]: 'controller',
  [FailureType.rateLimited]: 'rate-limited',
  // activities/genesys-client.ts GenesysFailure
  GenesysNotFound: 'controller',
  GenesysPermissionDenied: 'controller',
  GenesysUnauthorized: 'controller',
  GenesysLoginFailed: 'controller',
  GenesysBadRequest: 'controller',
  GenesysConflict: 'controller',
  GenesysConfigError: 'controller',
  GenesysRateLimited: 'rate-limited',
  GenesysUnavailable: 'platform',
  GenesysMalformedResponse: 'platform',
  GenesysPublishFailed: 'platform',
  // activities/cloudflare-errors.ts CloudflareFailure
  CloudflarePermissionDenied: 'controller',
  CloudflareNotFound: 'controller',
  CloudflareRequestRejected: 'controller',
  CloudflareNotConfigured: 'controller',
  InvalidInput: 'controller',
  CloudflareRateLimited: 'rate-limited',
  CloudflareUnavailable: 'platform',
  CloudflareWriteNotConfirmed: 'platform',
  // activities/probe.ts: the Messenger bootstrap did not load from the Genesys apps host
  MessengerUnavailable: 'platform',
  // activities/genesys.ts: an activity handed input no call could use (a config the schema should have refused)
  InvalidActivityInput: 'controller',
};

/**
 * The class of a failure by its ApplicationFailure type. Anything unnamed (a timeout, a connection
 * error, an activity that died) is the platform's: it is what an outage looks like from here.
 */
export function failureClassOf(type: string | null | undefined): FailureClass {
  return (type && CLASS_BY_TYPE[type]) || 'platform';
}
