/**
 * Apps tab: the installed apps, each with a run mode, optional arguments and
 * a Run button.
 */
import React, { useState } from 'react';

import type { RuntimeModel } from '../model';
import { RUN_MODES, type IAppInfo, type RunMode } from '../tokens';
import { ErrorBanner, SectionHeader } from './common';

/** Parse the arguments box: empty means `{}`, anything else must be a JSON object. */
export function parseArgs(text: string): Record<string, unknown> {
  if (!text.trim()) {
    return {};
  }
  const value = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('Arguments must be a JSON object, e.g. {"n": 10}');
  }
  return value;
}

function AppRow(props: {
  app: IAppInfo;
  defaultMode: RunMode;
  onRun: (app: string, mode: RunMode, args: Record<string, unknown>) => Promise<void>;
}): JSX.Element {
  const { app } = props;
  const [mode, setMode] = useState<RunMode>(props.defaultMode);
  const [args, setArgs] = useState('');
  const [argsError, setArgsError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    let parsed: Record<string, unknown>;
    try {
      parsed = parseArgs(args);
    } catch (error) {
      setArgsError(error instanceof Error ? error.message : String(error));
      return;
    }
    setArgsError(null);
    setRunning(true);
    try {
      await props.onRun(app.name, mode, parsed);
    } finally {
      setRunning(false);
    }
  };

  return (
    <li className="jp-AgilabLab-app" data-app={app.name}>
      <div className="jp-AgilabLab-appName">{app.name}</div>
      {app.description && <div className="jp-AgilabLab-muted">{app.description}</div>}
      <div className="jp-AgilabLab-row">
        <select
          className="jp-AgilabLab-select"
          aria-label={`run mode of ${app.name}`}
          value={mode}
          onChange={event => setMode(event.target.value as RunMode)}
        >
          {RUN_MODES.map(m => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <input
          className="jp-AgilabLab-input"
          aria-label={`arguments of ${app.name}`}
          placeholder='args as JSON, e.g. {"rows": 1000}'
          value={args}
          onChange={event => setArgs(event.target.value)}
        />
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={running}
          onClick={() => void run()}
        >
          {running ? 'Starting…' : 'Run'}
        </button>
      </div>
      <ErrorBanner message={argsError} />
    </li>
  );
}

export function AppsPanel(props: {
  model: RuntimeModel;
  onRunStarted: (runId: string) => void;
}): JSX.Element {
  const { model } = props;
  const onRun = async (app: string, mode: RunMode, args: Record<string, unknown>) => {
    const runId = await model.startRun(app, mode, args);
    if (runId) {
      props.onRunStarted(runId);
    }
  };
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Apps"
        action={{ label: 'Refresh', onClick: () => void model.loadApps() }}
      />
      <ErrorBanner message={model.error} />
      {model.apps.length === 0 && !model.error && (
        <p className="jp-AgilabLab-muted">No apps installed.</p>
      )}
      <ul className="jp-AgilabLab-list">
        {model.apps.map(app => (
          <AppRow key={app.name} app={app} defaultMode={model.defaultMode} onRun={onRun} />
        ))}
      </ul>
    </div>
  );
}
