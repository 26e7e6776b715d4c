// One queue's agents with messaging concurrency. Agents sit in buckets by how many conversations they hold,
// so routing and counting IDLE agents (bucket 0) are O(1) whatever the head count.
// Routing: 'fill-up' gives a new chat to the busiest agent with a free slot (so IDLE agents are real spare
// capacity and "agents available" means something); 'least-busy' spreads chats (IDLE drops to 0 early).

export type Routing = 'fill-up' | 'least-busy';

export interface Agent {
  load: number;
  /** Index inside its bucket, or inside the draining list while draining. */
  pos: number;
  /** Signed off: takes no new conversation, leaves when its last one ends. */
  draining: boolean;
}

export interface AgentPool {
  /** On-queue agents (not draining). */
  readonly onQueue: number;
  readonly idle: number;
  readonly draining: number;
  hasCapacity(): boolean;
  /** Takes an agent with a free slot per the routing rule; call hasCapacity() first. */
  assign(): Agent;
  release(agent: Agent): void;
  /** Brings the on-queue head count to `count`: idle agents leave first, busy ones drain; draining ones come back first. */
  setStaff(count: number): void;
}

export function createAgentPool(concurrency: number, initialCount: number, routing: Routing = 'fill-up'): AgentPool {
  const buckets: Agent[][] = Array.from({ length: concurrency + 1 }, () => []);
  let onQueue = 0;
  const drainingList: Agent[] = [];

  const put = (agent: Agent) => {
    agent.pos = buckets[agent.load].length;
    buckets[agent.load].push(agent);
  };
  const take = (agent: Agent) => {
    const bucket = buckets[agent.load];
    const last = bucket.pop()!;
    if (last !== agent) {
      bucket[agent.pos] = last;
      last.pos = agent.pos;
    }
  };

  const pool: AgentPool = {
    get onQueue() {
      return onQueue;
    },
    get idle() {
      return buckets[0].length;
    },
    get draining() {
      return drainingList.length;
    },
    hasCapacity() {
      for (let l = 0; l < concurrency; l++) if (buckets[l].length > 0) return true;
      return false;
    },
    assign() {
      const fillUp = routing === 'fill-up';
      for (let i = 0; i < concurrency; i++) {
        const bucket = buckets[fillUp ? concurrency - 1 - i : i];
        if (bucket.length > 0) {
          const agent = bucket.pop()!;
          agent.load++;
          put(agent);
          return agent;
        }
      }
      throw new Error('assign() called with no free agent slot');
    },
    release(agent) {
      if (agent.draining) {
        agent.load--;
        if (agent.load === 0) {
          const last = drainingList.pop()!;
          if (last !== agent) {
            drainingList[agent.pos] = last;
            last.pos = agent.pos;
          }
        }
        return;
      }
      take(agent);
      agent.load--;
      put(agent);
    },
    setStaff(count) {
      while (onQueue < count) {
        const back = drainingList.pop();
        if (back) back.draining = false;
        put(back ?? { load: 0, pos: 0, draining: false });
        onQueue++;
      }
      for (let l = 0; l <= concurrency && onQueue > count; l++) {
        const bucket = buckets[l];
        while (bucket.length > 0 && onQueue > count) {
          const agent = bucket.pop()!;
          onQueue--;
          if (agent.load > 0) {
            agent.draining = true;
            agent.pos = drainingList.length;
            drainingList.push(agent);
          }
        }
      }
    },
  };
  pool.setStaff(initialCount);
  return pool;
}
