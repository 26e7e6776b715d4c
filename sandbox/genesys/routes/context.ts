// What an API route handler receives and returns.
import type { GenesysSandboxState, TokenRecord } from '../state';
import { badRequest } from '../http';

export interface ApiContext {
  state: GenesysSandboxState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  token: TokenRecord;
}

export interface ApiReply {
  status?: number;
  body?: unknown;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  /** The permission the platform checks; a denied one answers 403 `missing.any.permissions`. */
  permission: string;
  handler: (ctx: ApiContext) => ApiReply;
}

/** `pageSize`/`pageNumber` paging with the entity-listing envelope the platform uses. */
export function page<T>(items: T[], query: URLSearchParams, path: string, maxPageSize = 500): Record<string, unknown> {
  const pageSize = Math.min(positiveInt(query.get('pageSize'), 25, 'pageSize'), maxPageSize);
  const pageNumber = positiveInt(query.get('pageNumber'), 1, 'pageNumber');
  const total = items.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const entities = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const uri = (n: number) => `${path}?pageSize=${pageSize}&pageNumber=${n}`;
  return {
    entities,
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    lastUri: uri(pageCount),
    selfUri: uri(pageNumber),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
  };
}

function positiveInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw badRequest(`${name} must be a positive integer, got "${raw}"`);
  }
  return n;
}

/** A list query parameter: the SDK joins arrays with commas (`id=a,b`); repeated keys work too. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
