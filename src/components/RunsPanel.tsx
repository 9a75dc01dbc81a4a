/**
 * Runs tab: the run records, newest first; each opens its run view in the main area.
 */
import React from 'react';

import { formatSeconds, formatStart } from '../format';
import type { IRuntimeModel } from '../tokens';
import { ErrorBanner, SectionHeader, Skeleton, StatusBadge } from './common';

export function RunsPanel(props: {
  model: IRuntimeModel;
  onOpenRun: (runId: string) => void;
}): JSX.Element {
  const { model } = props;
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Runs"
        action={{ label: 'Refresh', onClick: () => void model.loadRuns() }}
      />
      <ErrorBanner message={model.error} />
      {!model.runsLoaded && !model.error && <Skeleton label="Loading runs" />}
      {model.runsLoaded && model.runs.length === 0 && (
        <p className="jp-AgilabLab-muted">No runs yet: start one from the Apps tab.</p>
      )}
      <ul className="jp-AgilabLab-list jp-AgilabLab-runs">
        {model.runs.map(run => {
          const started = formatStart(run.started_at ?? run.created_at);
          return (
            <li key={run.run_id}>
              <button
                className="jp-AgilabLab-run"
                data-run={run.run_id}
                onClick={() => props.onOpenRun(run.run_id)}
              >
                <span className="jp-AgilabLab-appName">{run.app}</span>
                <StatusBadge status={run.status} />
                <span className="jp-AgilabLab-muted" title={run.started_at ?? run.created_at}>
                  {started}
                </span>
                <span className="jp-AgilabLab-muted">
                  {run.mode}
                  {run.seconds ? ` · ${formatSeconds(run.seconds)}` : ''}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
