/**
 * Apps tab: the installed apps, each with a run mode (and, for dask, the
 * cluster to run on), its arguments (a form from its schema, plus a raw JSON
 * box) and a Run button.
 */
import React, { useMemo, useState } from 'react';

import { argsForm, argsFromForm, type FieldValue } from '../argsForm';
import { ON_DEMAND_CHOICE } from '../clusters';
import {
  RUN_MODES,
  type IAppInfo,
  type IClusterChoice,
  type IRuntimeModel,
  type RunMode
} from '../tokens';
import { ArgsForm } from './ArgsForm';
import { ErrorBanner, SectionHeader, Skeleton } from './common';

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

type RunHandler = (
  app: string,
  mode: RunMode,
  args: Record<string, unknown>,
  scheduler: string | null
) => Promise<void>;

/** The "Dask cluster" select of a dask-mode run. */
function ClusterSelect(props: {
  app: string;
  choices: readonly IClusterChoice[];
  value: string;
  onChange: (key: string) => void;
}): JSX.Element {
  return (
    <label className="jp-AgilabLab-row jp-AgilabLab-clusterChoice">
      <span className="jp-AgilabLab-muted">Dask cluster</span>
      <select
        className="jp-AgilabLab-select"
        aria-label={`Dask cluster of ${props.app}`}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
      >
        {props.choices.map(choice => (
          <option key={choice.key} value={choice.key} title={choice.scheduler ?? undefined}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function AppRow(props: {
  app: IAppInfo;
  defaultMode: RunMode;
  clusterChoices: readonly IClusterChoice[];
  onModeChange: (mode: RunMode) => void;
  onRun: RunHandler;
}): JSX.Element {
  const { app } = props;
  const [mode, setMode] = useState<RunMode>(props.defaultMode);
  const [clusterKey, setClusterKey] = useState(ON_DEMAND_CHOICE.key);
  // A cluster closed since it was chosen falls back to the on-demand one.
  const cluster = props.clusterChoices.find(c => c.key === clusterKey) ?? ON_DEMAND_CHOICE;
  const form = useMemo(() => argsForm(app.args_schema), [app.args_schema]);
  const [fieldValues, setFieldValues] = useState<Record<string, FieldValue>>({});
  const [args, setArgs] = useState('');
  const [advanced, setAdvanced] = useState(false);
  // An app without form fields (no schema, or none of a form's types) has only the box.
  const showJson = advanced || form.fields.length === 0;
  const [argsError, setArgsError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    let parsed: Record<string, unknown>;
    try {
      // What the JSON box sets wins over the form: it is the more explicit.
      // A box hidden again by the toggle no longer counts.
      const json = showJson ? parseArgs(args) : {};
      parsed = { ...argsFromForm(form.fields, fieldValues), ...json };
    } catch (error) {
      setArgsError(error instanceof Error ? error.message : String(error));
      return;
    }
    setArgsError(null);
    setRunning(true);
    try {
      await props.onRun(app.name, mode, parsed, cluster.scheduler);
    } finally {
      setRunning(false);
    }
  };

  return (
    <li className="jp-AgilabLab-app" data-app={app.name}>
      <div className="jp-AgilabLab-appName">{app.name}</div>
      {app.description && <div className="jp-AgilabLab-muted">{app.description}</div>}
      <ArgsForm
        app={app.name}
        fields={form.fields}
        values={fieldValues}
        onChange={(name, value) => setFieldValues(values => ({ ...values, [name]: value }))}
      />
      {form.fields.length > 0 && (
        <label className="jp-AgilabLab-row jp-AgilabLab-muted jp-AgilabLab-advancedToggle">
          <input
            type="checkbox"
            aria-label={`advanced arguments of ${app.name}`}
            checked={advanced}
            onChange={event => setAdvanced(event.target.checked)}
          />
          <span>
            Advanced: arguments as JSON
            {form.jsonOnly.length > 0 && ` (also ${form.jsonOnly.join(', ')})`}
          </span>
        </label>
      )}
      {showJson && (
        <input
          className="jp-AgilabLab-input jp-AgilabLab-argsJson"
          aria-label={`arguments of ${app.name}`}
          placeholder='args as JSON, e.g. {"rows": 1000}'
          value={args}
          onChange={event => setArgs(event.target.value)}
        />
      )}
      <div className="jp-AgilabLab-row">
        <select
          className="jp-AgilabLab-select"
          aria-label={`run mode of ${app.name}`}
          value={mode}
          onChange={event => {
            setMode(event.target.value as RunMode);
            props.onModeChange(event.target.value as RunMode);
          }}
        >
          {RUN_MODES.map(m => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        {mode === 'dask' && (
          <ClusterSelect
            app={app.name}
            choices={props.clusterChoices}
            value={cluster.key}
            onChange={setClusterKey}
          />
        )}
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={running}
          aria-label={`Run ${app.name}`}
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
  model: IRuntimeModel;
  onRunStarted: (runId: string) => void;
}): JSX.Element {
  const { model } = props;
  const onRun: RunHandler = async (app, mode, args, scheduler) => {
    const runId = await model.startRun(app, mode, args, scheduler);
    if (runId) {
      props.onRunStarted(runId);
    }
  };
  const onModeChange = (mode: RunMode) => {
    // Clusters come and go: list them afresh whenever dask is picked.
    if (mode === 'dask') {
      void model.loadClusterChoices();
    }
  };
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Apps"
        action={{ label: 'Refresh', onClick: () => void model.loadApps() }}
      />
      <ErrorBanner message={model.error} />
      {!model.appsLoaded && !model.error && <Skeleton label="Loading apps" />}
      {model.appsLoaded && model.apps.length === 0 && (
        <p className="jp-AgilabLab-muted">No apps installed.</p>
      )}
      <ul className="jp-AgilabLab-list">
        {model.apps.map(app => (
          <AppRow
            key={app.name}
            app={app}
            defaultMode={model.defaultMode}
            clusterChoices={model.clusterChoices}
            onModeChange={onModeChange}
            onRun={onRun}
          />
        ))}
      </ul>
    </div>
  );
}
