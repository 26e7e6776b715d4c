// Readiness checks: each lever the controller pulls during an event, exercised harmlessly the day before.
// Every check returns a result instead of throwing when the lever is broken, so one bad lever never hides
// the others, and every failing result says what the operator should change (which permission, which ID).
import { ApplicationFailure } from '@temporalio/common';
import type { Models } from 'purecloud-platform-client-v2';
import { createCloudflareActivities, type CloudflareDeps } from './cloudflare';
import { CloudflareFailureType } from './cloudflare-errors';
import { ensureFlagsRow, flagsRowAllOff } from './flags-row';
import { createGenesysActivities } from './genesys';
import { GenesysFailure, type GenesysSession } from './genesys-client';
import type { NotifyDeps } from './notify';

export interface ReadinessResult {
  /** What was checked, naming the lever, e.g. `flow flow-inbound-message (tier 2)`. */
  check: string;
  ok: boolean;
  detail: string;
  /** What the operator should do; null when the check passed. */
  fix: string | null;
}

export interface ReadinessDeps {
  genesys: GenesysSession;
  cloudflare: CloudflareDeps;
  notify: NotifyDeps;
}

export interface FlowVersionsInput {
  flowId: string;
  surgeVersion: string;
  normalVersion: string;
  tiers: number[];
}

/** Cache states meaning the edge may serve the page from cache (MISS: eligible, just not warm yet). */
const FLOW_VERSIONS_PAGE_SIZE = 100;

export type ReadinessActivities = ReturnType<typeof createReadinessActivities>;

const pass = (check: string, detail: string): ReadinessResult => ({ check, ok: true, detail, fix: null });
const fail = (check: string, detail: string, fix: string): ReadinessResult => ({ check, ok: false, detail, fix });

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The fix for a failed platform call; the session's and the KV client's messages already name the permission. */
function fixFor(err: unknown, otherwise: string): string {
  if (err instanceof ApplicationFailure) {
    switch (err.type) {
      case GenesysFailure.loginFailed:
      case GenesysFailure.unauthorized:
        return 'set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET on the worker to an active client-credentials OAuth client';
      case GenesysFailure.config:
        return 'fix the Genesys settings on the worker (GENESYS_REGION or GENESYS_GATEWAY_URL)';
      case GenesysFailure.permissionDenied:
        return `grant the OAuth client's role the permission named above (${/permission (\S+)/.exec(err.message)?.[1] ?? 'see the message'})`;
      case GenesysFailure.unavailable:
      case GenesysFailure.rateLimited:
      case CloudflareFailureType.unavailable:
      case CloudflareFailureType.rateLimited:
        return 'the platform did not answer: run the check again; if it persists, check the platform status page and the network path from the worker';
      case CloudflareFailureType.permissionDenied:
        return `give CLOUDFLARE_API_TOKEN the permission ${/permission (.+)$/.exec(err.message)?.[1] ?? 'Workers KV Storage:Edit'}`;
      case CloudflareFailureType.notFound:
        return 'set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_KV_NAMESPACE_ID to the namespace the edge Worker binds';
    }
  }
  return otherwise;
}

async function allFlowVersionIds(session: GenesysSession, flowId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const listing: Models.FlowVersionEntityListing = await session.call(
      { action: 'list the flow versions', permission: 'architect:flow:view', resource: `flow ${flowId}` },
      () => session.architect.getFlowVersions(flowId, { pageSize: FLOW_VERSIONS_PAGE_SIZE, pageNumber }),
    );
    for (const v of listing?.entities ?? []) if (v.id) ids.push(v.id);
    if (!listing?.pageCount || pageNumber >= listing.pageCount) return ids;
  }
}

/** Every readiness check, as activities the worker registers (the CLI runs them directly). */
export function createReadinessActivities(deps: ReadinessDeps) {
  return { ...createGenesysChecks(deps.genesys), ...createCloudflareChecks(deps.cloudflare), ...createSmtpCheck(deps.notify) };
}

/** Credentials, queues, flows and the flags table. */
export function createGenesysChecks(session: GenesysSession) {
  const genesys = createGenesysActivities(session);
  return {
    /** Logs in with the worker's OAuth client. */
    async checkGenesysCredentials(): Promise<ReadinessResult> {
      const check = 'Genesys credentials';
      try {
        await session.ensureToken();
        return pass(check, 'the OAuth client logged in (client-credentials grant)');
      } catch (err) {
        return fail(check, messageOf(err), fixFor(err, 'check GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION on the worker'));
      }
    },

    /** Every queue the event watches exists and is visible to the OAuth client. */
    async checkQueues(input: { queueIds: string[] }): Promise<ReadinessResult> {
      const check = 'queues';
      try {
        const { queues } = await genesys.describeGenesysSetup({ queueIds: input.queueIds, flowIds: [] });
        if (queues.missing.length > 0) {
          return fail(
            check,
            `not found: ${queues.missing.join(', ')} (found ${queues.found.length} of ${input.queueIds.length})`,
            `correct queueIds in the event config, or move queue(s) ${queues.missing.join(', ')} into a division the OAuth client can see`,
          );
        }
        return pass(check, `all ${queues.found.length} found: ${queues.found.join(', ')}`);
      } catch (err) {
        return fail(check, messageOf(err), fixFor(err, 'check queueIds in the event config'));
      }
    },

    /** The flow exists and has both versions the tier's actuator publishes. */
    async checkFlowVersions(input: FlowVersionsInput): Promise<ReadinessResult> {
      const check = `flow ${input.flowId} (tier ${input.tiers.join(', ')})`;
      try {
        const { flows } = await genesys.describeGenesysSetup({ queueIds: [], flowIds: [input.flowId] });
        if (flows.missing.length > 0) {
          return fail(check, `flow ${input.flowId} does not exist`, `correct flowId ${input.flowId} in the event config's flowVersion actuator, or create the flow in Architect`);
        }
        const versions = await allFlowVersionIds(session, input.flowId);
        const wanted = [
          ['surge', input.surgeVersion],
          ['normal', input.normalVersion],
        ] as const;
        const missing = wanted.filter(([, v]) => !versions.includes(v));
        const live = flows.found[0]?.publishedVersion;
        if (missing.length > 0) {
          return fail(
            check,
            `${missing.map(([role, v]) => `${role} version ${v}`).join(' and ')} not found (versions: ${versions.join(', ') || 'none'})`,
            `set ${missing.map(([role]) => `${role}Version`).join(' and ')} of flow ${input.flowId} to an existing version, or check in that version in Architect`,
          );
        }
        const note = live === input.surgeVersion ? ' (the surge version is live now: publish the normal one before the event)' : '';
        return pass(check, `surge ${input.surgeVersion} and normal ${input.normalVersion} exist; live: ${live ?? 'none'}${note}`);
      } catch (err) {
        return fail(check, messageOf(err), fixFor(err, `check flowId ${input.flowId} in the event config`));
      }
    },

    /** The flags data table exists with every column the controller writes; reports whether the row exists. */
    async checkFlagsTable(input: { datatableId: string; rowKey: string }): Promise<ReadinessResult> {
      const check = `data table ${input.datatableId}`;
      try {
        const { datatable } = await genesys.describeGenesysSetup({ queueIds: [], flowIds: [], datatableId: input.datatableId });
        if (!datatable?.found) {
          return fail(check, `data table ${input.datatableId} does not exist`, `correct dataTable.datatableId in the event config, or create the flags table in Architect`);
        }
        if (datatable.missingColumns.length > 0) {
          return fail(
            check,
            `missing column(s): ${datatable.missingColumns.join(', ')}`,
            `add column(s) ${datatable.missingColumns.join(', ')} to data table ${input.datatableId} (booleans tier1Active..tier4Active, integers waiting and agentsAvailable, string updatedAt)`,
          );
        }
        // Observed state, then the difference: the row is created here (all tiers off), before any event needs it.
        const created = await ensureFlagsRow(session, input.datatableId, flagsRowAllOff(input.rowKey));
        return pass(check, `schema complete; row ${input.rowKey} ${created ? 'created (all tiers off)' : 'exists'}`);
      } catch (err) {
        return fail(check, messageOf(err), fixFor(err, `check dataTable.datatableId ${input.datatableId} in the event config`));
      }
    },

  };
}

/** The KV namespace the edge reads, and the fallback page's cache state. */
export function createCloudflareChecks(deps: CloudflareDeps) {
  const cloudflare = createCloudflareActivities(deps);
  return {
    /** Writes, reads back and deletes a canary key: proves the token can edit the namespace the edge reads. */
    async checkKvWritable(): Promise<ReadinessResult> {
      const check = 'Cloudflare KV writable';
      try {
        const { key, deleted } = await cloudflare.canaryKvWrite();
        return pass(check, `canary ${key} written, read back and ${deleted ? 'deleted' : 'left to expire (delete refused for now)'} in namespace ${deps.namespaceId}`);
      } catch (err) {
        return fail(check, messageOf(err), fixFor(err, 'check CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_KV_NAMESPACE_ID on the worker'));
      }
    },

    /**
     * The fallback page URL answers. The edge Worker serves the static page itself (from its assets, `no-store`) and
     * marks it `x-surge-mode: fallback`; it never depends on Cloudflare's cache, so CF-Cache-Status says nothing here
     * (it is reported, not judged). With tier 4 off the site's own page answers, unmarked.
     */
    async checkFallbackPage(input: { url: string }): Promise<ReadinessResult> {
      const check = 'fallback page';
      try {
        const s = await cloudflare.checkCacheStatus({ url: input.url });
        const where = `${s.url} answered ${s.status}, x-surge-mode ${s.surgeMode ?? '(absent)'}, CF-Cache-Status ${s.cfCacheStatus ?? '(absent)'}`;
        if (s.status < 200 || s.status >= 300) return fail(check, where, `make ${s.url} answer 200 (deploy edge/public/support-fallback.html and its route)`);
        if (s.surgeMode === 'fallback') return pass(check, `${where}: the edge serves the static fallback page (tier 4 is on)`);
        if (s.surgeMode !== null) {
          return fail(check, where, `${s.url} is not a support path of the edge Worker: set SUPPORT_PATH_PREFIXES in edge/wrangler.toml, or check fallbackPageUrl`);
        }
        return pass(check, `${where}: the site's page (tier 4 is off; the edge swaps in the static page while it is on)`);
      } catch (err) {
        return fail(check, messageOf(err), `check the fallback page URL ${input.url} and that the edge serves it`);
      }
    },

  };
}

/** The mail relay alerts go through. */
export function createSmtpCheck(notify: NotifyDeps) {
  return {
    /** Connects and greets (and authenticates, when SMTP_URL carries credentials): no mail is sent. */
    async checkSmtp(): Promise<ReadinessResult> {
      const check = 'SMTP reachable';
      try {
        await notify.transport.verify();
        return pass(check, 'the mail server accepted a connection and greeting');
      } catch (err) {
        const e = err as Error & { code?: string; responseCode?: number };
        const why = [e.code, e.responseCode].filter((x) => x !== undefined).join(' ');
        return fail(
          check,
          `${why ? `${why}: ` : ''}${e.message}`,
          e.code === 'EAUTH' ? 'fix the user and password in SMTP_URL on the worker' : 'set SMTP_URL on the worker to a reachable mail relay (host, port, smtp:// or smtps://)',
        );
      }
    },
  };
}
