/**
 * The run view (a main-area tab): the live log first, then the results —
 * charts through Lab's own Vega renderer, table previews, and the other
 * artifacts grouped with human sizes.
 */
import { Clipboard } from '@jupyterlab/apputils';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import React, { useEffect, useRef, useState } from 'react';

import { formatSeconds, formatStart, humanSize, mlflowInfo } from '../format';
import type { IArtifact, ILogLine, IRunViewModel, ITablePreview } from '../tokens';
import { ErrorBanner, JsonBlock, StatusBadge } from './common';
import { VegaChart } from './VegaChart';

/** A chart spec the run wrote (Vega or Vega-Lite JSON). */
export function isChart(path: string): boolean {
  return /\.(vl|vg|vega|vega-lite|vegalite)\.json$/i.test(path);
}

export function isTable(path: string): boolean {
  return /\.(parquet|csv)$/i.test(path);
}

/** Artifacts by what the view does with them; worker outputs and run bookkeeping are folded. */
export function groupArtifacts(artifacts: readonly IArtifact[]): {
  charts: IArtifact[];
  tables: IArtifact[];
  files: IArtifact[];
  outputs: IArtifact[];
} {
  const groups = {
    charts: [] as IArtifact[],
    tables: [] as IArtifact[],
    files: [] as IArtifact[],
    outputs: [] as IArtifact[]
  };
  for (const artifact of artifacts) {
    if (artifact.path.startsWith('outputs/')) {
      groups.outputs.push(artifact);
    } else if (isChart(artifact.path)) {
      groups.charts.push(artifact);
    } else if (isTable(artifact.path)) {
      groups.tables.push(artifact);
    } else {
      groups.files.push(artifact);
    }
  }
  return groups;
}

function lineLabel(line: ILogLine): string {
  return line.stream === 'event' ? 'event' : line.stream;
}

/** The live log: labelled lines, auto-scroll while "Follow" is on, copy to clipboard. */
export function LogView(props: { lines: readonly ILogLine[]; running: boolean }): JSX.Element {
  const { lines } = props;
  const [follow, setFollow] = useState(true);
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (follow && ref.current) {
      ref.current.scrollTop = ref.current.scrollHeight;
    }
  }, [lines, follow]);
  const copy = () => {
    Clipboard.copyToSystem(
      lines.map(l => `${l.worker ? `[${l.worker}] ` : ''}${lineLabel(l)}: ${l.text}`).join('\n')
    );
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <section className="jp-AgilabLab-logSection" aria-label="run log">
      <div className="jp-AgilabLab-sectionHeader">
        <h3>Log</h3>
        <div className="jp-AgilabLab-row">
          <label className="jp-AgilabLab-row jp-AgilabLab-muted">
            <input
              type="checkbox"
              checked={follow}
              onChange={event => setFollow(event.target.checked)}
            />
            Follow
          </label>
          <button
            className="jp-mod-styled jp-AgilabLab-smallButton"
            onClick={copy}
            disabled={lines.length === 0}
          >
            {copied ? 'Copied' : 'Copy log'}
          </button>
        </div>
      </div>
      {lines.length === 0 ? (
        <p className="jp-AgilabLab-muted">
          {props.running ? 'Waiting for the first log line…' : 'No log lines.'}
        </p>
      ) : (
        <ol className="jp-AgilabLab-runLog" ref={ref} tabIndex={0} aria-label="log lines">
          {lines.map(line => (
            <li key={line.id} className={`jp-AgilabLab-logLine jp-mod-${line.stream}`}>
              {line.worker && <span className="jp-AgilabLab-logWorker">{line.worker}</span>}
              <span className="jp-AgilabLab-logStream">{lineLabel(line)}</span>
              <span className="jp-AgilabLab-logText">{line.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ArtifactLink(props: { model: IRunViewModel; artifact: IArtifact }): JSX.Element {
  const { artifact } = props;
  const name = artifact.path.split('/').pop() ?? artifact.path;
  const download = !/\.(json|txt|csv|md|html|svg|png)$/i.test(name);
  return (
    <li className="jp-AgilabLab-artifact">
      <a
        href={props.model.artifactUrl(artifact.path)}
        target="_blank"
        rel="noreferrer"
        download={download ? name : undefined}
        title={`sha256 ${artifact.sha256}`}
      >
        {artifact.path}
      </a>
      <span className="jp-AgilabLab-muted">{humanSize(artifact.size_bytes)}</span>
    </li>
  );
}

/** The first rows of a parquet or CSV artifact, from `GET runs/{run_id}/preview/{path}`. */
export function TablePreview(props: {
  model: IRunViewModel;
  path: string;
  rows: number;
}): JSX.Element {
  const [table, setTable] = useState<ITablePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    props.model.preview(props.path, props.rows).then(
      answer => live && setTable(answer),
      reason => live && setError(String(reason?.message ?? reason))
    );
    return () => {
      live = false;
    };
  }, [props.model, props.path, props.rows]);
  if (error) {
    return <ErrorBanner message={`${props.path}: ${error}`} />;
  }
  if (!table) {
    return <p className="jp-AgilabLab-muted">Loading {props.path}…</p>;
  }
  return (
    <figure className="jp-AgilabLab-tablePreview" data-path={props.path}>
      <figcaption className="jp-AgilabLab-muted">
        {props.path} · {table.total_rows} rows
        {table.truncated ? ` (first ${table.rows.length} shown)` : ''}
      </figcaption>
      <div className="jp-AgilabLab-tableScroll">
        <table className="jp-AgilabLab-table">
          <thead>
            <tr>
              {table.columns.map(c => (
                <th key={c.name} title={c.dtype}>
                  {c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell === null ? '' : String(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function MlflowInfo(props: { extra?: Record<string, unknown> }): JSX.Element | null {
  const info = mlflowInfo(props.extra);
  if (!info) {
    return null;
  }
  return info.href ? (
    <a className="jp-AgilabLab-mlflow" href={info.href} target="_blank" rel="noopener noreferrer">
      {info.text}
    </a>
  ) : (
    <span className="jp-AgilabLab-mlflow jp-AgilabLab-muted">{info.text}</span>
  );
}

/** Writes the run's notebook under the Jupyter root and opens it; failures stay next to the button. */
export function ExportNotebookButton(props: { onExport: () => Promise<void> }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onExport();
    } catch (reason) {
      setError(String((reason as Error)?.message ?? reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        className="jp-Button jp-mod-styled jp-AgilabLab-smallButton jp-AgilabLab-exportNotebook"
        onClick={() => void click()}
        disabled={busy}
      >
        {busy ? 'Exporting…' : 'Export notebook'}
      </button>
      {error && <span className="jp-AgilabLab-error">{error}</span>}
    </>
  );
}

function Results(props: {
  model: IRunViewModel;
  rendermime: IRenderMimeRegistry | null;
  previewRows: number;
}): JSX.Element | null {
  const { model } = props;
  const run = model.record;
  if (!run) {
    return null;
  }
  const groups = groupArtifacts(run.artifacts ?? []);
  return (
    <section className="jp-AgilabLab-results" aria-label="results">
      <h3>Results</h3>
      {run.result && Object.keys(run.result).length > 0 && <JsonBlock value={run.result} />}
      {groups.charts.map(a => (
        <VegaChart key={a.path} model={model} path={a.path} rendermime={props.rendermime} />
      ))}
      {groups.tables.map(a => (
        <TablePreview key={a.path} model={model} path={a.path} rows={props.previewRows} />
      ))}
      {groups.files.length + groups.charts.length + groups.tables.length > 0 && (
        <>
          <h4>Files</h4>
          <ul className="jp-AgilabLab-list">
            {[...groups.charts, ...groups.tables, ...groups.files].map(a => (
              <ArtifactLink key={a.path} model={model} artifact={a} />
            ))}
          </ul>
        </>
      )}
      {groups.outputs.length > 0 && (
        <details>
          <summary>
            Worker outputs ({groups.outputs.length} files,{' '}
            {humanSize(groups.outputs.reduce((n, a) => n + a.size_bytes, 0))})
          </summary>
          <ul className="jp-AgilabLab-list">
            {groups.outputs.map(a => (
              <ArtifactLink key={a.path} model={model} artifact={a} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function RunView(props: {
  model: IRunViewModel;
  rendermime: IRenderMimeRegistry | null;
  /** Rows of each table preview (the `previewRows` setting). */
  previewRows?: number;
  /** Exports the run as a notebook and opens it (offered once the run has ended). */
  onExportNotebook?: () => Promise<void>;
}): JSX.Element {
  const { model } = props;
  const run = model.record;
  const running = !run || ['queued', 'running', 'planning'].includes(run.status);
  return (
    <div className="jp-AgilabLab-view jp-AgilabLab-runView" data-run={model.runId}>
      <header className="jp-AgilabLab-viewHeader">
        <h2>{run ? run.app : 'Run'}</h2>
        {run && <StatusBadge status={run.status} />}
        {run && <span className="jp-AgilabLab-muted">{run.mode}</span>}
        {run && (
          <span className="jp-AgilabLab-muted" title={run.started_at ?? run.created_at}>
            started {formatStart(run.started_at ?? run.created_at) || '—'}
          </span>
        )}
        {run?.seconds ? (
          <span className="jp-AgilabLab-muted">{formatSeconds(run.seconds)}</span>
        ) : null}
        <code className="jp-AgilabLab-muted">{model.runId}</code>
        {run && <MlflowInfo extra={run.extra} />}
        {!running && props.onExportNotebook && (
          <ExportNotebookButton onExport={props.onExportNotebook} />
        )}
      </header>
      <ErrorBanner message={model.error} />
      {run?.error && <ErrorBanner message={run.error} />}
      <LogView lines={model.log} running={running} />
      {run && run.plan && run.plan.length > 0 && (
        <details>
          <summary>Plan: {run.plan.length} workers</summary>
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
        </details>
      )}
      {!running && (
        <Results
          model={model}
          rendermime={props.rendermime}
          previewRows={props.previewRows ?? 20}
        />
      )}
    </div>
  );
}
