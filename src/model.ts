/**
 * Client-side state of agilab-lab: server health, apps and runs.
 *
 * Models own their data, talk to the server only through an
 * {@link IApiClient} and announce every change with a `changed` signal that
 * the React components re-render on. The Designer's state lives in
 * `designer.ts`.
 */
import type { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  clusterChoices,
  configuredScheduler,
  ON_DEMAND_CHOICE,
  parseDaskClusters
} from './clusters';
import {
  ApiError,
  errorMessage,
  healthFromReport,
  isRecord,
  parseHealth,
  unwrapList
} from './reducers';
import type {
  HealthState,
  IApiClient,
  IAppInfo,
  IClusterChoice,
  IDaskCluster,
  IDaskClusterSource,
  IRunRecord,
  IStreamEvent,
  RunMode
} from './tokens';

/** Server health, checked on a timer (once started) and on demand. */
export class HealthModel implements IDisposable {
  constructor(
    private _client: IApiClient,
    intervalSeconds = 30
  ) {
    this._poll = new Poll({
      auto: false,
      factory: () => this.refresh(),
      frequency: { interval: intervalSeconds * 1000, backoff: false },
      name: 'agilab-lab:health',
      standby: 'when-hidden'
    });
  }

  /** Check now, then every interval while the page is visible. */
  start(): void {
    void this._poll.start();
  }

  get state(): HealthState {
    return this._state;
  }

  get changed(): ISignal<this, HealthState> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Seconds between two automatic checks. */
  set intervalSeconds(seconds: number) {
    this._poll.frequency = { ...this._poll.frequency, interval: seconds * 1000 };
  }

  /** Ask `GET health` now; never throws, failures become `unreachable`. */
  async refresh(): Promise<HealthState> {
    let state: HealthState;
    try {
      const raw = await this._client.request<unknown>('health');
      state = healthFromReport(parseHealth(raw));
    } catch (error) {
      state = { kind: 'unreachable', message: errorMessage(error) };
    }
    this._state = state;
    this._changed.emit(state);
    return state;
  }

  dispose(): void {
    if (this._poll.isDisposed) {
      return;
    }
    // Poll.dispose() leaves the pending timer armed; stop() clears it first.
    void this._poll.stop();
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _poll: Poll;
  private _state: HealthState = { kind: 'unknown' };
  private _changed = new Signal<this, HealthState>(this);
}

/** How many live events are kept for the selected run. */
const RUN_EVENT_LIMIT = 500;

/** Apps, runs, the selected run and its live events, and the Dask clusters a run can use. */
export class RuntimeModel implements IDisposable {
  /**
   * @param _dask - dask-labextension's cluster manager; null (or a 404 from it)
   *   leaves only the on-demand LocalCluster to choose from
   */
  constructor(
    private _client: IApiClient,
    private _dask: IDaskClusterSource | null = null
  ) {}

  /** Run mode preselected in the Apps panel (from the settings). */
  defaultMode: RunMode = 'local';

  get apps(): readonly IAppInfo[] {
    return this._apps;
  }

  get runs(): readonly IRunRecord[] {
    return this._runs;
  }

  /** Full record of the selected run, null when none is selected. */
  get selectedRun(): IRunRecord | null {
    return this._selected;
  }

  get runEvents(): readonly IStreamEvent[] {
    return this._runEvents;
  }

  /** Clusters a dask-mode run can use; the on-demand LocalCluster comes first. */
  get clusterChoices(): readonly IClusterChoice[] {
    return this._clusterChoices;
  }

  /** Last failure message of any action, cleared by the next success. */
  get error(): string | null {
    return this._error;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  async loadApps(): Promise<void> {
    await this._attempt(async () => {
      this._apps = unwrapList<IAppInfo>(await this._client.request('apps'), 'apps');
    });
  }

  async loadRuns(): Promise<void> {
    await this._attempt(async () => {
      const runs = unwrapList<IRunRecord>(await this._client.request('runs'), 'runs');
      this._runs = runs.map(normaliseRun);
    });
  }

  /**
   * List the clusters a dask-mode run can use: dask-labextension's (when it is
   * installed) and the server's configured scheduler. Never fails: a source
   * that does not answer just contributes no choice.
   */
  async loadClusterChoices(): Promise<void> {
    const [clusters, configured] = await Promise.all([
      this._daskClusters(),
      this._client.request<unknown>('cluster').then(configuredScheduler, () => null)
    ]);
    this._clusterChoices = clusterChoices(clusters, configured);
    this._changed.emit();
  }

  /**
   * Start a run (`POST apps/{app}/runs`), then select it.
   *
   * @param scheduler - for a dask-mode run, the address of the cluster to use;
   *   null runs on the runtime's on-demand LocalCluster
   * @returns the new run's id, or null when the server refused the run
   */
  async startRun(
    app: string,
    mode: RunMode,
    args: Record<string, unknown> = {},
    scheduler: string | null = null
  ): Promise<string | null> {
    let runId: string | null = null;
    const body = mode === 'dask' && scheduler ? { mode, scheduler, args } : { mode, args };
    await this._attempt(async () => {
      const answer = await this._client.request<unknown>(`apps/${encodeURIComponent(app)}/runs`, {
        method: 'POST',
        body: JSON.stringify(body)
      });
      runId = runIdOf(answer);
    });
    if (runId) {
      await this.loadRuns();
      await this.selectRun(runId);
    }
    return runId;
  }

  /** Load a run's record and follow its event stream until another run is selected. */
  async selectRun(runId: string | null): Promise<void> {
    this._stream?.dispose();
    this._stream = null;
    this._runEvents = [];
    this._selected = null;
    this._selectedId = runId;
    this._changed.emit();
    if (!runId) {
      return;
    }
    const id = encodeURIComponent(runId);
    await this._attempt(async () => {
      const record = normaliseRun(await this._client.request<IRunRecord>(`runs/${id}`));
      // Another click may have selected another run while this one loaded.
      if (this._selectedId === runId) {
        this._selected = record;
      }
    });
    if (this._selectedId !== runId || !this._selected) {
      return;
    }
    this._stream = this._client.subscribe(
      `runs/${id}/events`,
      event => this._onRunEvent(runId, event),
      message => this._fail(message)
    );
  }

  /** URL that downloads one artifact of a run. */
  artifactUrl(runId: string, path: string): string {
    const parts = path.split('/').map(encodeURIComponent).join('/');
    return this._client.url(`runs/${encodeURIComponent(runId)}/artifacts/${parts}`);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._stream?.dispose();
    Signal.clearData(this);
  }

  private _onRunEvent(runId: string, event: IStreamEvent): void {
    if (this._selected?.run_id !== runId) {
      return;
    }
    this._runEvents = [...this._runEvents, event].slice(-RUN_EVENT_LIMIT);
    // Run events carry the run's status as `state`.
    const status = event.payload.state ?? event.payload.status;
    if (typeof status === 'string' && status !== this._selected.status) {
      // A status change means seconds, result and artifacts may be final now.
      void this._refreshSelected(runId);
    }
    this._changed.emit();
  }

  private async _refreshSelected(runId: string): Promise<void> {
    await this._attempt(async () => {
      const record = normaliseRun(
        await this._client.request<IRunRecord>(`runs/${encodeURIComponent(runId)}`)
      );
      if (this._selected?.run_id === runId) {
        this._selected = record;
        this._runs = this._runs.map(r => (r.run_id === runId ? record : r));
      }
    });
  }

  private async _daskClusters(): Promise<IDaskCluster[]> {
    if (!this._dask) {
      return [];
    }
    try {
      return parseDaskClusters(await this._dask.listClusters());
    } catch (error) {
      // 404: dask-labextension is not installed, which is an ordinary setup.
      if (!(error instanceof ApiError && error.status === 404)) {
        console.warn('agilab-lab: dask-labextension clusters unavailable:', errorMessage(error));
      }
      return [];
    }
  }

  /** Run `action`, record its failure as `error`, and always emit `changed`. */
  private async _attempt(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      this._error = null;
    } catch (error) {
      this._error = errorMessage(error);
    }
    this._changed.emit();
  }

  private _fail(message: string): void {
    this._error = message;
    this._changed.emit();
  }

  private _apps: IAppInfo[] = [];
  private _runs: IRunRecord[] = [];
  private _selected: IRunRecord | null = null;
  private _selectedId: string | null = null;
  private _runEvents: IStreamEvent[] = [];
  private _clusterChoices: readonly IClusterChoice[] = [ON_DEMAND_CHOICE];
  private _stream: IDisposable | null = null;
  private _error: string | null = null;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}

/** Run id of a `POST apps/{app}/runs` answer (`run_id`, or `id` for a job). */
export function runIdOf(answer: unknown): string | null {
  if (!isRecord(answer)) {
    return null;
  }
  for (const key of ['run_id', 'id']) {
    if (typeof answer[key] === 'string') {
      return answer[key];
    }
  }
  return null;
}

/** Accept `id` for `run_id` so list and detail answers render alike. */
export function normaliseRun(raw: IRunRecord): IRunRecord {
  const record = raw as IRunRecord & { id?: string };
  return record.run_id ? record : { ...record, run_id: record.id ?? '' };
}
