/**
 * Shared identifiers and the JSON shapes of the agilab-lab REST API.
 *
 * The interfaces mirror the contracts in DESIGN.md; fields the UI does not
 * read are left out or typed loosely so that additive server changes never
 * break the client.
 */
import { Token } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';

/** Plugin ids; the settings schema file name follows the main plugin id. */
export const PLUGIN_ID = 'agilab-lab:plugin';

/** Command ids, all listed in the palette under {@link COMMAND_CATEGORY}. */
export namespace CommandIDs {
  export const refreshHealth = 'agilab-lab:refresh-health';
  export const openApps = 'agilab-lab:open-apps';
  export const openRuns = 'agilab-lab:open-runs';
  export const openDesigner = 'agilab-lab:open-designer';
  export const newDesign = 'agilab-lab:new-design';
  export const approve = 'agilab-lab:approve-decision-set';
  export const reject = 'agilab-lab:reject-decision-set';
  export const showClusterInDask = 'agilab-lab:show-cluster-in-dask';
  export const openRun = 'agilab-lab:open-run';
  export const openDesign = 'agilab-lab:open-design';
  export const openDiff = 'agilab-lab:open-diff';
  export const exportNotebook = 'agilab-lab:export-run-notebook';
}

/** dask-labextension's settings plugin, whose `defaultURL` the Dask sidebar opens. */
export const DASK_PLUGIN_ID = 'dask-labextension:plugin';

export const COMMAND_CATEGORY = 'agilab-lab';

export type RunMode = 'local' | 'pool' | 'dask';
export const RUN_MODES: readonly RunMode[] = ['local', 'pool', 'dask'];

/** User settings read from schema/plugin.json. */
export interface ISettingsValues {
  /** Seconds between two health checks. */
  refreshInterval: number;
  defaultRunMode: RunMode;
  /** Rows of a table artifact previewed in a run view. */
  previewRows: number;
}

/** `GET health` */
export interface IHealthReport {
  status: string;
  version: string;
  database: { kind: string; revision: string | null };
  queue: Record<string, unknown>;
  cluster: Record<string, unknown>;
}

/** What the status bar shows; `unknown` until the first answer arrives. */
export type HealthState =
  | { kind: 'unknown' }
  | { kind: 'healthy'; report: IHealthReport }
  | { kind: 'degraded'; report: IHealthReport }
  | { kind: 'unreachable'; message: string };

/** One entry of `GET apps`. */
export interface IAppInfo {
  name: string;
  description?: string;
  args?: Record<string, unknown>;
  /** Pydantic JSON schema of the app's run arguments. */
  args_schema?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface IArtifact {
  path: string;
  sha256: string;
  size_bytes: number;
}

export interface IPlanEntry {
  worker: string;
  items: number;
  weight: number;
}

/** One entry of `GET runs`, and `GET runs/{run_id}` with the optional fields set. */
export interface IRunRecord {
  run_id: string;
  app: string;
  mode: string;
  status: string;
  seconds?: number | null;
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
  plan?: IPlanEntry[];
  result?: Record<string, unknown> | null;
  artifacts?: IArtifact[];
  error?: string | null;
  /** Bookkeeping: `mlflow` holds `{url?, run_id?, error?}` when tracking is on. */
  extra?: Record<string, unknown>;
}

/** One server-sent event of the event log (runs/{id}/events, projects/{id}/events). */
/** `POST apps/{app}/runs` */
export interface IRunAccepted {
  run_id: string;
  job_id: string;
}

/** `GET runs/{run_id}/preview/{path}`: the first rows of a parquet or CSV artifact. */
export interface ITablePreview {
  path: string;
  columns: { name: string; dtype: string }[];
  rows: unknown[][];
  total_rows: number;
  truncated: boolean;
}

/** `POST decision-sets/{id}/unpack`: where the version now lives in the Jupyter root. */
export interface IUnpacked {
  path: string;
  files: number;
  created: boolean;
  report: string | null;
}

/** One line of a run's live log (a `log` event), with where it came from. */
export interface ILogLine {
  id: number;
  worker: string;
  stream: 'stdout' | 'stderr' | 'event';
  text: string;
}

/** One validation check of a generated repository, live or final. */
export interface IValidationStep {
  name: string;
  state: 'started' | 'finished';
  passed?: boolean;
  seconds?: number;
  /** Final results only: could not run here (the details say why). */
  skipped?: boolean;
  /** Final results only: what the checker reported. */
  details?: string;
}

export interface IStreamEvent {
  id: number;
  topic?: string;
  kind: string;
  payload: Record<string, unknown>;
  ts?: string;
}

/** The explanation an agent attaches to each decision it makes. */
export interface IReasonCard {
  id: string;
  agent: string;
  title: string;
  summary: string;
  decision: string;
  alternatives: string[];
  confidence: number;
  risk: 'low' | 'medium' | 'high';
  ts: number;
}

export interface IProject {
  id: string;
  name: string;
  description?: string | null;
  [key: string]: unknown;
}

export interface IViolation {
  rule: string;
  message: string;
  severity?: string;
}

/** A catalogue option that lost to the chosen one. */
export interface IAlternative {
  option_id?: string;
  service: string;
  reason_lost: string;
  monthly_usd?: number | null;
}

export interface IComponent {
  capability: string;
  service: string;
  option_id?: string;
  monthly_usd?: number;
  sizing?: Record<string, unknown>;
  rationale?: string;
  alternatives?: IAlternative[];
}

/** A finding of the technical or cost critic. */
export interface IFinding {
  critic?: string;
  kind: string;
  message: string;
  capability?: string | null;
  blocking?: boolean;
}

export interface IDecisionSet {
  id: string;
  project_id: string;
  version: number;
  status: string;
  /** Optimistic-lock counter; `approve` sends it back as `version` (409 when stale). */
  lock_version?: number;
  monthly_usd?: number | null;
  open_questions?: string[];
  error?: string | null;
  requirements_text?: string;
  constraints?: Record<string, unknown> | null;
  plan?: {
    cloud?: string;
    region?: string;
    components?: IComponent[];
  } | null;
  policy?: { passed: boolean; violations: IViolation[] } | null;
  critics?: {
    cost?: { monthly_usd?: number; passed?: boolean; findings?: IFinding[] };
    technical?: { passed?: boolean; findings?: IFinding[] };
  } & Record<string, unknown>;
  validation?: {
    passed: boolean;
    checks: {
      name: string;
      passed: boolean;
      seconds?: number;
      skipped?: boolean;
      details?: string;
    }[];
  } | null;
  zip?: string | null;
  [key: string]: unknown;
}

export interface IDiffFile {
  path: string;
  change: 'added' | 'deleted' | 'modified';
  patch: string;
}

/** `GET decision-sets/{id}/diff?against={id}` */
export interface IDiffResult {
  from: string;
  to: string;
  files: IDiffFile[];
  plan_changes?: { capability: string; from: string | null; to: string | null }[];
  cost_delta_usd?: number;
  cost_delta_pct?: number;
}

export type ApprovalDecision = 'approve' | 'reject' | 'revise';

/** One cluster of dask-labextension's `GET dask/clusters` (fields the UI reads). */
export interface IDaskCluster {
  id: string;
  name: string;
  scheduler_address: string;
  dashboard_link?: string;
  [key: string]: unknown;
}

/** One entry of the Apps panel's "Dask cluster" select. */
export interface IClusterChoice {
  key: string;
  label: string;
  /** Sent as the run's `scheduler`; null runs on the runtime's on-demand LocalCluster. */
  scheduler: string | null;
}

/**
 * dask-labextension's cluster manager (`{baseUrl}dask/clusters`); `handler.ts`
 * implements it, unit tests pass an in-memory one.
 */
export interface IDaskClusterSource {
  /** The raw `GET dask/clusters` answer; throws an ApiError (404 when not installed). */
  listClusters(): Promise<unknown>;
}

/**
 * The transport the models use: HTTP requests and event streams under
 * `{baseUrl}agilab-lab/api/`. `handler.ts` implements it on top of Jupyter's
 * ServerConnection; unit tests pass an in-memory implementation.
 */
export interface IApiClient {
  request<T>(endpoint: string, init?: RequestInit): Promise<T>;
  /** Subscribe to a server-sent event stream; dispose to close it. */
  subscribe(
    endpoint: string,
    onEvent: (event: IStreamEvent) => void,
    onError?: (message: string) => void
  ): IDisposable;
  /** Absolute URL of an endpoint, e.g. for download links. */
  url(endpoint: string): string;
}

/** Server health, polled with backoff while unreachable. */
export interface IHealthModel extends IDisposable {
  readonly state: HealthState;
  readonly changed: ISignal<IHealthModel, HealthState>;
  intervalSeconds: number;
  start(): void;
  refresh(): Promise<HealthState>;
}

/** The sidebar's runtime lists: apps, runs and the clusters a run can use. */
export interface IRuntimeModel extends IDisposable {
  readonly apps: readonly IAppInfo[];
  readonly runs: readonly IRunRecord[];
  /** False until the first answer: the panels show a skeleton, never a false "none". */
  readonly appsLoaded: boolean;
  readonly runsLoaded: boolean;
  readonly clusterChoices: readonly IClusterChoice[];
  readonly error: string | null;
  readonly changed: ISignal<IRuntimeModel, void>;
  defaultMode: RunMode;
  loadApps(): Promise<void>;
  loadRuns(): Promise<void>;
  loadClusterChoices(): Promise<void>;
  startRun(
    app: string,
    mode: RunMode,
    args?: Record<string, unknown>,
    scheduler?: string | null
  ): Promise<string | null>;
}

/** One run in its main-area tab: the record and its live log. */
export interface IRunViewModel extends IDisposable {
  readonly runId: string;
  readonly record: IRunRecord | null;
  readonly log: readonly ILogLine[];
  readonly error: string | null;
  readonly changed: ISignal<IRunViewModel, void>;
  load(): Promise<void>;
  artifactUrl(path: string): string;
  artifactJson(path: string): Promise<unknown>;
  preview(path: string, limit?: number): Promise<ITablePreview>;
}

/** The sidebar's designer list: projects. */
export interface IDesignerModel extends IDisposable {
  readonly projects: readonly IProject[];
  readonly loaded: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  readonly changed: ISignal<IDesignerModel, void>;
  loadProjects(): Promise<void>;
  createProject(name: string, description?: string): Promise<IProject | null>;
}

/** One project's design in its main-area tab: versions, live feed, gates. */
export interface IProjectModel extends IDisposable {
  readonly projectId: string;
  readonly project: IProject | null;
  readonly decisionSets: readonly IDecisionSet[];
  readonly decisionSet: IDecisionSet | null;
  readonly previousDecisionSet: IDecisionSet | null;
  readonly cards: readonly IReasonCard[];
  /** Validation steps of the decision set on screen, live while it generates. */
  readonly validationSteps: readonly IValidationStep[];
  readonly error: string | null;
  readonly busy: boolean;
  /** True while a version of this project is being designed or generated. */
  readonly designing: boolean;
  readonly canDecide: boolean;
  readonly changed: ISignal<IProjectModel, void>;
  load(): Promise<void>;
  selectDecisionSet(id: string): Promise<void>;
  submitRequirements(text: string): Promise<string | null>;
  decide(
    decision: ApprovalDecision,
    comment?: string,
    constraints?: Record<string, unknown>
  ): Promise<boolean>;
  answerQuestions(text: string): Promise<boolean>;
  diffAgainst(otherId: string): Promise<IDiffResult | null>;
  unpack(): Promise<IUnpacked | null>;
  zipUrl(): string | null;
}

/** What agilab-lab provides to other plugins (e.g. the status-bar item). */
export interface IAgilabLab {
  readonly client: IApiClient;
  readonly health: IHealthModel;
  readonly runtime: IRuntimeModel;
  readonly designer: IDesignerModel;
}

export const IAgilabLab = new Token<IAgilabLab>(
  'agilab-lab:IAgilabLab',
  'Health, runtime and designer models of agilab-lab.'
);
