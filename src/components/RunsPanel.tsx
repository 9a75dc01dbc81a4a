/**
 * Runs tab: run records, and for the selected run its plan, result,
 * artifacts and live events.
 */
import React from 'react';

import type { RuntimeModel } from '../model';
import { describeEvent } from '../reducers';
import type { IRunRecord } from '../tokens';
import { ErrorBanner, JsonBlock, SectionHeader, StatusBadge } from './common';

function formatSeconds(seconds: number | null | undefined): string {
  return typeof seconds === 'number' ? `${seconds.toFixed(2)} s` : '';
}

function RunDetails(props: { model: RuntimeModel; run: IRunRecord }): JSX.Element {
  const { model, run } = props;
  return (
    <div className="jp-AgilabLab-details" data-run={run.run_id}>
      <SectionHeader
        title={`Run ${run.run_id.slice(0, 8)}`}
        action={{ label: 'Close', onClick: () => void model.selectRun(null) }}
      />
      <div className="jp-AgilabLab-row">
        <span>{run.app}</span>
        <span className="jp-AgilabLab-muted">{run.mode}</span>
        <StatusBadge status={run.status} />
        <span className="jp-AgilabLab-muted">{formatSeconds(run.seconds)}</span>
      </div>
      {run.error && <ErrorBanner message={run.error} />}
      {run.plan && run.plan.length > 0 && (
        <table className="jp-AgilabLab-table">
          <thead>
            <tr>
              <th>worker</th>
              <th>items</th>
              <th>weight</th>
            </tr>
          </thead>
          <tbody>
            {run.plan.map(entry => (
              <tr key={entry.worker}>
                <td>{entry.worker}</td>
                <td>{entry.items}</td>
                <td>{entry.weight.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run.result && (
        <>
          <h4>Result</h4>
          <JsonBlock value={run.result} />
        </>
      )}
      {run.artifacts && run.artifacts.length > 0 && (
        <>
          <h4>Artifacts</h4>
          <ul className="jp-AgilabLab-list">
            {run.artifacts.map(artifact => (
              <li key={artifact.path}>
                <a
                  href={model.artifactUrl(run.run_id, artifact.path)}
                  target="_blank"
                  rel="noreferrer"
                >
                  {artifact.path}
                </a>{' '}
                <span className="jp-AgilabLab-muted" title={artifact.sha256}>
                  {artifact.size_bytes} bytes
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Events</h4>
      {model.runEvents.length === 0 ? (
        <p className="jp-AgilabLab-muted">Waiting for events…</p>
      ) : (
        <ol className="jp-AgilabLab-log">
          {model.runEvents.map(event => (
            <li key={`${event.id}-${event.kind}`}>{describeEvent(event)}</li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function RunsPanel(props: { model: RuntimeModel }): JSX.Element {
  const { model } = props;
  const selected = model.selectedRun;
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Runs"
        action={{ label: 'Refresh', onClick: () => void model.loadRuns() }}
      />
      <ErrorBanner message={model.error} />
      {model.runs.length === 0 && !model.error && (
        <p className="jp-AgilabLab-muted">No runs yet.</p>
      )}
      <ul className="jp-AgilabLab-list jp-AgilabLab-runs">
        {model.runs.map(run => (
          <li
            key={run.run_id}
            className={`jp-AgilabLab-run ${selected?.run_id === run.run_id ? 'jp-mod-selected' : ''}`}
            onClick={() => void model.selectRun(run.run_id)}
            title="Show details"
          >
            <span className="jp-AgilabLab-appName">{run.app}</span>
            <span className="jp-AgilabLab-muted">{run.mode}</span>
            <StatusBadge status={run.status} />
            <span className="jp-AgilabLab-muted">{formatSeconds(run.seconds)}</span>
          </li>
        ))}
      </ul>
      {selected && <RunDetails model={model} run={selected} />}
    </div>
  );
}
