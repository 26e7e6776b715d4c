// The simulator's view of which tiers are live, read from where the real actuators write them: the Genesys
// sandbox's flags row and flow versions, and the Cloudflare sandbox's KV flags. ControlsSource is synchronous
// and read every few simulated seconds, so the state is cached and refreshed by the world.
import type { ControlsSource, TierControls } from '../contact-center';
import type { KvBackend } from '../cloudflare';
import type { GenesysSandboxState } from '../genesys';

export interface FlowSurgeVersion {
  flowId: string;
  surgeVersion: string;
}

export interface TierControlsWiring {
  /** The Architect data table holding the event's flags row. */
  datatableId: string;
  /** The event's row; when omitted any row of the table with a tier flag set counts. */
  rowKey?: string;
  /** Tier 1 is also live when this flow's published version is its surge version. */
  botFlow?: FlowSurgeVersion;
  /** Tier 2 is live when this flow's published version is its surge version. */
  inboundFlow?: FlowSurgeVersion;
}

export const DEFAULT_TIER_WIRING: TierControlsWiring = {
  datatableId: 'dt-surge-flags',
  botFlow: { flowId: 'flow-bot', surgeVersion: '2.0' },
  inboundFlow: { flowId: 'flow-inbound-message', surgeVersion: '2.0' },
};

export interface CachedTierControls extends ControlsSource {
  /** Re-reads the Genesys state (synchronously) and KV (resolves once read). */
  refresh(): Promise<void>;
  /** Re-reads the Genesys state only: cheap, and enough between KV reads. */
  refreshGenesys(): void;
  current(): TierControls;
}

export function createTierControlsReader(genesys: GenesysSandboxState, kv: KvBackend, wiring: TierControlsWiring): CachedTierControls {
  let fromGenesys = { tier1: false, tier2: false };
  let fromKv = { tier3: false, tier4: false };
  let kvRead: Promise<void> | null = null;

  const published = (flow: FlowSurgeVersion | undefined): boolean => {
    if (!flow) return false;
    const record = genesys.flows.get(flow.flowId);
    // settleFlow completes a publish whose time has come, exactly as a read through the API would.
    return record !== undefined && genesys.settleFlow(record).publishedVersionId === flow.surgeVersion;
  };

  const rowFlag = (column: 'tier1Active' | 'tier2Active'): boolean => {
    const rows = genesys.dataTables.get(wiring.datatableId)?.rows;
    if (!rows) return false;
    if (wiring.rowKey !== undefined) return rows.get(wiring.rowKey)?.[column] === true;
    return [...rows.values()].some((row) => row[column] === true);
  };

  const reader: CachedTierControls = {
    refreshGenesys() {
      fromGenesys = { tier1: rowFlag('tier1Active') || published(wiring.botFlow), tier2: published(wiring.inboundFlow) || rowFlag('tier2Active') };
    },
    refresh() {
      reader.refreshGenesys();
      // One KV read at a time; callers that need the latest value await the one in flight.
      kvRead ??= Promise.all([kv.get('chat_surge_active'), kv.get('chat_fallback_active')])
        .then(([surge, fallback]) => {
          fromKv = { tier3: surge === 'true', tier4: fallback === 'true' };
        })
        // A failed read keeps the last known flags: the edge Worker fails open the same way.
        .catch(() => undefined)
        .finally(() => (kvRead = null));
      return kvRead;
    },
    current: () => ({ ...fromGenesys, ...fromKv }),
    controls: () => reader.current(),
  };
  return reader;
}
