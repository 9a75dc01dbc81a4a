/**
 * Client-side state of the runtime: server health, the apps and runs lists,
 * and one model per open run view. The Designer's state lives in `designer.ts`.
 *
 * Models talk to the server only through {@link AgilabApi} and announce every
 * change with `changed`, which the React components re-render on.
 */
import { ISignal, Signal } from '@lumino/signaling';

import type { AgilabApi } from './api';
import { BaseModel } from './base';
import {
  clusterChoices,
  configuredScheduler,
  ON_DEMAND_CHOICE,
  parseDaskClusters
} from './clusters';
import { ApiError, errorMessage } from './errors';
import { appendLog } from './feed';
import { healthFromReport, parseHealth } from './health';
import type {
  HealthState,
  IAppInfo,
  IClusterChoice,
  IDaskCluster,
  IDaskClusterSource,
  IHealthModel,
  ILogLine,
  IRunRecord,
  IRunViewModel,
  IRuntimeModel,
  IStreamEvent,
  ITablePreview,
  RunMode
} from './tokens';

/** First retry after a failed health check; doubles up to the normal interval. */
export const HEALTH_RETRY_MS = 1000;

/**
 * Server health, checked on a timer once started. While the server is
 * unreachable it retries quickly (1 s, 2 s, 4 s… up to the interval), so the
 * status recovers within seconds of the server coming back.
 */
export class HealthModel implements IHealthModel {
  constructor(
    private _api: AgilabApi,
    intervalSeconds = 30
  ) {
    this._intervalMs = intervalSeconds * 1000;
  }

  get state(): HealthState {
    return this._state;
  }

  get changed(): ISignal<this, HealthState> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  get intervalSeconds(): number {
    return this._intervalMs / 1000;
  }

  set intervalSeconds(seconds: number) {
    this._intervalMs = Math.max(1, seconds) * 1000;
  }

  /** Delay before the next automatic check, given the last state. */
  get nextDelayMs(): number {
    return this._state.kind === 'unreachable'
      ? Math.min(this._intervalMs, HEALTH_RETRY_MS * 2 ** Math.max(0, this._failures - 1))
      : this._intervalMs;
  }

  /** Check now, then keep checking. */
  start(): void {
    if (!this._started) {
      this._started = true;
      void this._tick();
    }
  }

  /** Ask `GET health` now; never throws, failures become `unreachable`. */
  async refresh(): Promise<HealthState> {
    let state: HealthState;
    try {
      state = healthFromReport(parseHealth(await this._api.health()));
      this._failures = 0;
    } catch (error) {
      state = { kind: 'unreachable', message: errorMessage(error) };
      this._failures++;
    }
    if (!this._isDisposed) {
      this._state = state;
      this._changed.emit(state);
    }
    return state;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    clearTimeout(this._timer);
    Signal.clearData(this);
  }

  private async _tick(): Promise<void> {
    await this.refresh();
    if (!this._isDisposed) {
      clearTimeout(this._timer);
      this._timer = setTimeout(() => void this._tick(), this.nextDelayMs);
    }
  }

  private _intervalMs: number;
  private _failures = 0;
  private _started = false;
  private _timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private _isDisposed = false;
  private _state: HealthState = { kind: 'unknown' };
  private _changed = new Signal<this, HealthState>(this);
}

/** Apps, runs and the Dask clusters a run can use: what the sidebar lists. */
export class RuntimeModel extends BaseModel implements IRuntimeModel {
  /**
   * @param _dask - dask-labextension's cluster manager; null (or a 404 from it)
   *   leaves only the on-demand LocalCluster to choose from
   */
  constructor(
    private _api: AgilabApi,
    private _dask: IDaskClusterSource | null = null
  ) {
    super();
  }

  /** Run mode preselected in the Apps panel (from the settings). */
  defaultMode: RunMode = 'local';

  get apps(): readonly IAppInfo[] {
    return this._apps;
  }

  get runs(): readonly IRunRecord[] {
    return this._runs;
  }

  get appsLoaded(): boolean {
    return this._appsLoaded;
  }

  get runsLoaded(): boolean {
    return this._runsLoaded;
  }

  get clusterChoices(): readonly IClusterChoice[] {
    return this._clusterChoices;
  }

  async loadApps(): Promise<void> {
    await this.attempt(async () => {
      this._apps = await this._api.apps();
      this._appsLoaded = true;
    });
  }

  async loadRuns(): Promise<void> {
    await this.attempt(async () => {
      this._runs = await this._api.runs();
      this._runsLoaded = true;
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
      this._api.cluster().then(configuredScheduler, () => null)
    ]);
    this._clusterChoices = clusterChoices(clusters, configured);
    this.emit();
  }

  /**
   * Start a run (`POST apps/{app}/runs`) and reload the runs list.
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
    await this.attempt(async () => {
      runId = (await this._api.startRun(app, body)).run_id;
    }, true);
    if (runId) {
      await this.loadRuns();
    }
    return runId;
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

  private _apps: IAppInfo[] = [];
  private _runs: IRunRecord[] = [];
  private _appsLoaded = false;
  private _runsLoaded = false;
  private _clusterChoices: readonly IClusterChoice[] = [ON_DEMAND_CHOICE];
}

/** One run in its tab: its record, kept current, and its live log. */
export class RunViewModel extends BaseModel implements IRunViewModel {
  /**
   * @param onStatus - told when the run's status changes (the sidebar's list reloads)
   */
  constructor(
    private _api: AgilabApi,
    readonly runId: string,
    private _onStatus: (record: IRunRecord) => void = () => undefined
  ) {
    super();
  }

  get record(): IRunRecord | null {
    return this._record;
  }

  get log(): readonly ILogLine[] {
    return this._log;
  }

  /** Load the record, then follow the run's events until disposed. */
  async load(): Promise<void> {
    const ok = await this.attempt(async () => {
      this._record = await this._api.run(this.runId);
    });
    if (ok && !this.stream && !this.isDisposed) {
      this.stream = this._api.runEvents(
        this.runId,
        event => this._onEvent(event),
        message => this.fail(message)
      );
    }
  }

  artifactUrl(path: string): string {
    return this._api.artifactUrl(this.runId, path);
  }

  artifactJson(path: string): Promise<unknown> {
    return this._api.artifactJson(this.runId, path);
  }

  preview(path: string, limit?: number): Promise<ITablePreview> {
    return this._api.preview(this.runId, path, limit);
  }

  private _onEvent(event: IStreamEvent): void {
    const before = this._log;
    this._log = appendLog(before, event);
    if (this._log === before) {
      return;
    }
    // Run events carry the run's status as `state`.
    const status = event.payload.state;
    if (event.kind === 'status' && typeof status === 'string' && status !== this._record?.status) {
      // A status change means seconds, result and artifacts may be final now.
      void this._refresh();
    }
    this.emit();
  }

  private async _refresh(): Promise<void> {
    await this.attempt(async () => {
      this._record = await this._api.run(this.runId);
    });
    if (this._record) {
      this._onStatus(this._record);
    }
  }

  private _record: IRunRecord | null = null;
  private _log: readonly ILogLine[] = [];
}
