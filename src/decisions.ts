/**
 * Reading decision sets: the approval gate, costs, constraints as rows, evidence spans.
 */
import { isRecord } from './errors';
import type { IDecisionSet } from './tokens';

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

/** Statuses in which a version is still being worked on by the agents or the generator. */
const MOVING = new Set(['queued', 'running', 'generating']);

export function isMoving(set: Pick<IDecisionSet, 'status'> | null): boolean {
  return set !== null && MOVING.has(set.status);
}

/** Fields of the Constraints model shown as rows, in reading order. */
export const CONSTRAINT_FIELDS = [
  'cloud',
  'regions',
  'budget_monthly_usd',
  'data_classes',
  'compliance',
  'latency_slo',
  'throughput_rps',
  'batch_volume_gb_per_day',
  'workloads',
  'retrain_cadence',
  'tooling_prefer',
  'tooling_avoid'
] as const;

export interface IConstraintRow {
  field: string;
  /** The value as a readable string; '' when the text did not state it. */
  value: string;
  evidence: string | null;
  confidence: number | null;
  /** Not stated: it is (or feeds) an open question. */
  open: boolean;
}

/** A constraint value as one readable string. */
export function formatConstraint(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map(String).join(', ');
  }
  if (isRecord(value)) {
    if (typeof value.percentile === 'number' && typeof value.ms === 'number') {
      return `p${value.percentile} ≤ ${value.ms} ms`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

/** The constraints of a decision set as table rows (value / evidence / confidence / open). */
export function constraintRows(
  constraints: Record<string, unknown> | null | undefined
): IConstraintRow[] {
  const c = constraints ?? {};
  const evidence = isRecord(c.evidence) ? c.evidence : {};
  const confidence = isRecord(c.confidence) ? c.confidence : {};
  return CONSTRAINT_FIELDS.map(field => {
    const value = formatConstraint(c[field]);
    return {
      field,
      value,
      evidence: typeof evidence[field] === 'string' ? evidence[field] : null,
      confidence: typeof confidence[field] === 'number' ? confidence[field] : null,
      open: value === ''
    };
  });
}

/** Parse an edited constraint cell back into the model's type (for a revision). */
export function parseConstraint(field: string, text: string): unknown {
  const value = text.trim();
  const lists = [
    'regions',
    'data_classes',
    'compliance',
    'workloads',
    'tooling_prefer',
    'tooling_avoid'
  ];
  if (lists.includes(field)) {
    return value
      ? value
          .split(',')
          .map(v => v.trim().toLowerCase())
          .filter(Boolean)
      : [];
  }
  if (!value) {
    return null;
  }
  if (['budget_monthly_usd', 'throughput_rps', 'batch_volume_gb_per_day'].includes(field)) {
    const number = Number(value.replace(/[$,\s]/g, ''));
    if (!Number.isFinite(number)) {
      throw new Error(`${field} must be a number`);
    }
    return number;
  }
  if (field === 'latency_slo') {
    const match = /p?(\d+)\D+?([\d.]+)/.exec(value);
    if (!match) {
      throw new Error('latency_slo reads like "p99 ≤ 100 ms"');
    }
    return { percentile: Number(match[1]), ms: Number(match[2]) };
  }
  return value;
}

/** One piece of the requirements text, highlighted when it is a constraint's evidence. */
export interface ITextSpan {
  text: string;
  /** Fields this span is the evidence of; empty for plain text. */
  fields: string[];
}

/**
 * Split `text` into plain and evidence spans. Each evidence quote is looked up
 * case-insensitively; quotes that overlap an earlier one or are not found are skipped.
 */
export function evidenceSpans(
  text: string,
  evidence: Record<string, unknown> | undefined
): ITextSpan[] {
  const lower = text.toLowerCase();
  const found: { start: number; end: number; fields: string[] }[] = [];
  for (const [field, quote] of Object.entries(evidence ?? {})) {
    if (typeof quote !== 'string' || !quote.trim()) {
      continue;
    }
    const start = lower.indexOf(quote.toLowerCase());
    if (start < 0) {
      continue;
    }
    const end = start + quote.length;
    const same = found.find(f => f.start === start && f.end === end);
    if (same) {
      same.fields.push(field);
    } else if (!found.some(f => start < f.end && f.start < end)) {
      found.push({ start, end, fields: [field] });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const spans: ITextSpan[] = [];
  let at = 0;
  for (const f of found) {
    if (f.start > at) {
      spans.push({ text: text.slice(at, f.start), fields: [] });
    }
    spans.push({ text: text.slice(f.start, f.end), fields: f.fields });
    at = f.end;
  }
  if (at < text.length) {
    spans.push({ text: text.slice(at), fields: [] });
  }
  return spans;
}

/** Constraint fields whose value differs between two versions. */
export function constraintChanges(
  before: IDecisionSet | null,
  after: IDecisionSet | null
): { field: string; from: string; to: string }[] {
  const a = constraintRows(before?.constraints);
  const b = constraintRows(after?.constraints);
  return b
    .map((row, i) => ({ field: row.field, from: a[i].value, to: row.value }))
    .filter(change => change.from !== change.to);
}
