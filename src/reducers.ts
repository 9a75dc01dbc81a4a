/**
 * Pure functions that turn API answers and event-stream frames into UI state.
 *
 * Nothing here touches the network or the DOM, so every rule the UI relies
 * on (what counts as healthy, how reason cards merge, how errors read) is
 * unit-tested in isolation.
 */
import type {
  HealthState,
  IDecisionSet,
  IDiffResult,
  IHealthReport,
  IReasonCard,
  IStreamEvent
} from './tokens';

/** An API failure with the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Build from a response body, preferring `{"error": {"code", "message"}}`. */
  static fromBody(status: number, body: unknown, statusText = ''): ApiError {
    const error = isRecord(body) && isRecord(body.error) ? body.error : null;
    if (error && typeof error.message === 'string') {
      const code = typeof error.code === 'string' ? error.code : `http_${status}`;
      return new ApiError(status, code, error.message);
    }
    const detail = typeof body === 'string' && body.length < 200 ? body : statusText;
    return new ApiError(status, `http_${status}`, `HTTP ${status} ${detail}`.trim());
  }
}

export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A readable one-line message for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status === 404 && error.code === 'http_404'
      ? 'This route is not available on the server (404).'
      : error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Validate a `GET health` body.
 *
 * @throws {Error} naming the first missing or mistyped field
 */
export function parseHealth(raw: unknown): IHealthReport {
  if (!isRecord(raw)) {
    throw new Error('health answer is not a JSON object');
  }
  if (typeof raw.status !== 'string') {
    throw new Error('health answer has no "status"');
  }
  const database = isRecord(raw.database) ? raw.database : {};
  return {
    status: raw.status,
    version: typeof raw.version === 'string' ? raw.version : 'unknown',
    database: {
      kind: typeof database.kind === 'string' ? database.kind : 'unknown',
      revision: typeof database.revision === 'string' ? database.revision : null
    },
    queue: isRecord(raw.queue) ? raw.queue : {},
    cluster: isRecord(raw.cluster) ? raw.cluster : {}
  };
}

/** Health state from a parsed report: only `status: "ok"` is healthy. */
export function healthFromReport(report: IHealthReport): HealthState {
  return report.status === 'ok' ? { kind: 'healthy', report } : { kind: 'degraded', report };
}

/** Status-bar label, tooltip and whether the dot is green. */
export function describeHealth(state: HealthState): {
  label: string;
  tooltip: string;
  ok: boolean;
} {
  switch (state.kind) {
    case 'unknown':
      return {
        label: 'agilab-lab: checking…',
        tooltip: 'Waiting for the first health check',
        ok: false
      };
    case 'unreachable':
      return { label: 'agilab-lab: unreachable', tooltip: state.message, ok: false };
    default: {
      const { report } = state;
      const revision = report.database.revision ?? 'no migration';
      const tooltip =
        `agilab-lab ${report.version}\n` +
        `database: ${report.database.kind} (revision ${revision})\n` +
        'Click to refresh';
      const label =
        state.kind === 'healthy' ? 'agilab-lab: healthy' : `agilab-lab: ${report.status}`;
      return { label, tooltip, ok: state.kind === 'healthy' };
    }
  }
}

/**
 * Items of a list answer. Routes answer either a bare array or an object
 * holding the array under a key (`{"apps": [...]}`), both are accepted.
 */
export function unwrapList<T>(raw: unknown, key: string): T[] {
  if (Array.isArray(raw)) {
    return raw as T[];
  }
  if (isRecord(raw)) {
    for (const candidate of [key, 'items', 'results']) {
      if (Array.isArray(raw[candidate])) {
        return raw[candidate] as T[];
      }
    }
  }
  return [];
}

/**
 * Decode one SSE `data:` field into an event-log record.
 *
 * @param lastEventId - the SSE `id:` field, used when the JSON has no id
 * @returns `null` for heartbeats and for frames that are not JSON records
 */
export function parseStreamEvent(data: string, lastEventId = ''): IStreamEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(raw) || typeof raw.kind !== 'string') {
    return null;
  }
  const id = typeof raw.id === 'number' ? raw.id : Number(lastEventId) || 0;
  return {
    id,
    topic: typeof raw.topic === 'string' ? raw.topic : undefined,
    kind: raw.kind,
    payload: isRecord(raw.payload) ? raw.payload : {},
    ts: typeof raw.ts === 'string' ? raw.ts : undefined
  };
}

const RISKS = new Set(['low', 'medium', 'high']);

/** A reason card from an event payload (`payload` itself or `payload.card`). */
export function reasonCardFrom(payload: Record<string, unknown>): IReasonCard | null {
  const raw = isRecord(payload.card) ? payload.card : payload;
  if (
    typeof raw.id !== 'string' ||
    typeof raw.agent !== 'string' ||
    typeof raw.title !== 'string'
  ) {
    return null;
  }
  return {
    id: raw.id,
    agent: raw.agent,
    title: raw.title,
    summary: typeof raw.summary === 'string' ? raw.summary : '',
    decision: typeof raw.decision === 'string' ? raw.decision : '',
    alternatives: Array.isArray(raw.alternatives) ? raw.alternatives.map(String) : [],
    confidence: typeof raw.confidence === 'number' ? raw.confidence : 1,
    risk: RISKS.has(raw.risk) ? raw.risk : 'low',
    ts: typeof raw.ts === 'number' ? raw.ts : 0
  };
}

/** What the Designer shows for one project, built from its event stream. */
export interface IDesignerFeed {
  /** Reason cards in time order, one per card id. */
  cards: IReasonCard[];
  /** Latest status per decision set id. */
  statuses: Record<string, string>;
  /** Newest decision set the stream mentioned. */
  decisionSetId: string | null;
  /** Progress and error lines, newest last. */
  log: { id: number; kind: string; text: string }[];
  /** Highest event id applied; events at or below it are replays and ignored. */
  lastEventId: number;
}

export const EMPTY_FEED: IDesignerFeed = {
  cards: [],
  statuses: {},
  decisionSetId: null,
  log: [],
  lastEventId: 0
};

/** How many progress lines the feed keeps. */
const LOG_LIMIT = 200;

/**
 * Apply one project event to the feed.
 *
 * Idempotent under replays (a stream reconnect resends from
 * Last-Event-ID, and a first load may overlap the stream): an event whose id
 * is not above `lastEventId` leaves the feed unchanged, and a card that
 * arrives twice replaces its earlier copy instead of being listed twice.
 */
export function reduceDesignerEvent(feed: IDesignerFeed, event: IStreamEvent): IDesignerFeed {
  if (event.id > 0 && event.id <= feed.lastEventId) {
    return feed;
  }
  const next: IDesignerFeed = { ...feed, lastEventId: Math.max(feed.lastEventId, event.id) };
  const payload = event.payload;
  const card = reasonCardFrom(payload);
  if (card) {
    const others = feed.cards.filter(c => c.id !== card.id);
    next.cards = [...others, card].sort((a, b) => a.ts - b.ts);
  }
  const setId = typeof payload.decision_set_id === 'string' ? payload.decision_set_id : null;
  if (setId) {
    next.decisionSetId = setId;
    if (typeof payload.status === 'string') {
      next.statuses = { ...feed.statuses, [setId]: payload.status };
    }
  }
  if (!card) {
    const text = describeEvent(event);
    next.log = [...feed.log, { id: event.id, kind: event.kind, text }].slice(-LOG_LIMIT);
  }
  return next;
}

/** One human line for a non-card event. */
export function describeEvent(event: IStreamEvent): string {
  const p = event.payload;
  for (const key of ['message', 'error', 'status', 'state', 'title', 'node', 'step']) {
    if (typeof p[key] === 'string' && p[key]) {
      return `${event.kind}: ${p[key]}`;
    }
  }
  return event.kind;
}

/**
 * Whether the approval gate accepts approve/reject/revise. A set that is
 * `awaiting_input` waits for answers to its open questions instead.
 */
export function awaitsApproval(set: Pick<IDecisionSet, 'status'> | null): boolean {
  return set !== null && set.status === 'awaiting_approval';
}

/** Monthly cost of a decision set, when its cost critic reported one. */
export function monthlyCost(set: IDecisionSet | null): number | null {
  const value = set?.monthly_usd ?? set?.critics?.cost?.monthly_usd;
  return typeof value === 'number' ? value : null;
}

/** Project name derived from free-text requirements: the first few words. */
export function projectNameFrom(text: string, maxWords = 6): string {
  const words = text.trim().split(/\s+/).filter(Boolean).slice(0, maxWords);
  const name = words
    .join(' ')
    .replace(/[^\w\s.,-]/g, '')
    .slice(0, 60)
    .trim();
  return name || 'Untitled design';
}

/** One unified-diff document: plan and cost changes as a header, then every file's patch. */
export function diffToText(diff: IDiffResult): string {
  const lines = [`# agilab-lab decision-set diff ${diff.from} -> ${diff.to}`];
  if (typeof diff.cost_delta_usd === 'number') {
    const pct =
      typeof diff.cost_delta_pct === 'number' ? ` (${diff.cost_delta_pct.toFixed(1)}%)` : '';
    lines.push(`# monthly cost delta: ${diff.cost_delta_usd.toFixed(2)} USD${pct}`);
  }
  for (const change of diff.plan_changes ?? []) {
    lines.push(`# plan ${change.capability}: ${change.from ?? '-'} -> ${change.to ?? '-'}`);
  }
  if (diff.files.length === 0) {
    lines.push('# no file changed');
  }
  for (const file of diff.files) {
    lines.push(`# ${file.change}: ${file.path}`);
    lines.push(file.patch.endsWith('\n') ? file.patch.slice(0, -1) : file.patch);
  }
  return lines.join('\n') + '\n';
}
