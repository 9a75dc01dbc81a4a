/**
 * How values read on screen: sizes, times, durations, money, status words.
 */

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

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** `1536` -> `1.5 kB` (decimal units, as file browsers show them). */
export function humanSize(bytes: number | null | undefined): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Seconds as `0.42 s`, `12.3 s` or `2 min 5 s`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    return '';
  }
  if (seconds < 10) {
    return `${seconds.toFixed(2)} s`;
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/**
 * A start time: `14:05:09` today, `3 Dec 14:05` otherwise. Server times
 * without a zone are UTC.
 */
export function formatStart(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) {
    return '';
  }
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const time = date.toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit'
  });
  if (date.toDateString() === now.toDateString()) {
    return time;
  }
  const day = date.toLocaleDateString([], { day: 'numeric', month: 'short' });
  return `${day} ${date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

/** `$1,234 / month` */
export function formatUsd(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return '';
  }
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

const STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  awaiting_input: 'Needs answers',
  awaiting_approval: 'Awaiting approval',
  generating: 'Generating',
  generated: 'Generated',
  rejected: 'Rejected',
  infeasible: 'Infeasible',
  cancelled: 'Cancelled'
};

/** A status word as a human label: `awaiting_approval` -> `Awaiting approval`. */
export function statusLabel(status: string): string {
  if (STATUS_LABELS[status]) {
    return STATUS_LABELS[status];
  }
  const words = status.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : status;
}

/** What the run view shows of `extra.mlflow`: a link to the run, else its id, else the error. */
export function mlflowInfo(
  extra?: Record<string, unknown>
): { text: string; href?: string } | null {
  const info = extra?.mlflow as { url?: unknown; run_id?: unknown; error?: unknown } | undefined;
  if (!info || typeof info !== 'object') {
    return null;
  }
  if (typeof info.url === 'string' && /^https?:\/\//i.test(info.url)) {
    return { text: 'MLflow run', href: info.url };
  }
  if (typeof info.run_id === 'string' && info.run_id) {
    return { text: `MLflow run ${info.run_id}` };
  }
  if (info.error) {
    return { text: `MLflow: ${String(info.error)}` };
  }
  return null;
}
