/**
 * Event streams into UI state: SSE frames into events, designer events into the
 * live feed (reason cards, statuses, validation steps), run events into log lines.
 *
 * Pure functions: nothing here touches the network or the DOM.
 */
import { isRecord } from './errors';
import type { ILogLine, IReasonCard, IStreamEvent, IValidationStep } from './tokens';

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
  /** Validation steps per decision set id, in the order they started. */
  steps: Record<string, IValidationStep[]>;
  /** Highest event id applied; events at or below it are replays and ignored. */
  lastEventId: number;
}

export const EMPTY_FEED: IDesignerFeed = {
  cards: [],
  statuses: {},
  decisionSetId: null,
  log: [],
  steps: {},
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
  const step = event.kind === 'validation_step' ? validationStepFrom(payload) : null;
  if (step && setId) {
    next.steps = { ...feed.steps, [setId]: mergeStep(feed.steps[setId] ?? [], step) };
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

/** A validation step from a `validation_step` event payload. */
export function validationStepFrom(payload: Record<string, unknown>): IValidationStep | null {
  if (
    typeof payload.name !== 'string' ||
    !['started', 'finished'].includes(String(payload.state))
  ) {
    return null;
  }
  const step: IValidationStep = {
    name: payload.name,
    state: payload.state as IValidationStep['state']
  };
  if (typeof payload.passed === 'boolean') {
    step.passed = payload.passed;
  }
  if (typeof payload.seconds === 'number') {
    step.seconds = payload.seconds;
  }
  if (payload.skipped === true) {
    step.skipped = true;
  }
  return step;
}

/**
 * Add a step to a list: a finished check replaces its own start, and the
 * start of a checker that reports several checks (checkov) once they finish.
 */
export function mergeStep(
  steps: readonly IValidationStep[],
  step: IValidationStep
): IValidationStep[] {
  if (step.state === 'started') {
    return steps.some(s => s.name === step.name) ? [...steps] : [...steps, step];
  }
  const family = step.name.split('_')[0];
  const kept = steps.filter(
    s => s.name !== step.name && !(s.state === 'started' && s.name === family)
  );
  return [...kept, step];
}

/** How many log lines a run view keeps. */
export const RUN_LOG_LIMIT = 2000;

/**
 * The readable lines of a run event: a `log` event's text (its `lines`, or the one
 * `line` of logs written before lines were batched) with its worker and stream, or
 * a one-line description of any other event (status, worker).
 */
export function logLinesFrom(event: IStreamEvent): ILogLine[] {
  const p = event.payload;
  const worker = typeof p.worker === 'string' ? p.worker : '';
  if (event.kind === 'log') {
    const texts = Array.isArray(p.lines) ? p.lines : typeof p.line === 'string' ? [p.line] : null;
    if (texts) {
      const stream = p.stream === 'stderr' ? 'stderr' : 'stdout';
      return texts.map(text => ({ id: event.id, worker, stream, text: String(text) }));
    }
  }
  return [{ id: event.id, worker, stream: 'event', text: describeEvent(event) }];
}

/** Append a run event to a log, dropping replays and keeping the last {@link RUN_LOG_LIMIT} lines. */
export function appendLog(log: readonly ILogLine[], event: IStreamEvent): readonly ILogLine[] {
  const last = log[log.length - 1];
  if (last && event.id > 0 && event.id <= last.id) {
    return log;
  }
  return [...log, ...logLinesFrom(event)].slice(-RUN_LOG_LIMIT);
}
