/**
 * Server health: parse `GET health`, decide healthy / degraded, describe it for the status bar.
 */
import type { HealthState, IHealthReport } from './tokens';
import { isRecord } from './errors';

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
