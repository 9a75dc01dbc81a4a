/**
 * The typed agilab-lab REST client: one method per endpoint of the server's
 * OpenAPI document, and the only place endpoint strings are written.
 *
 * It sits on an {@link IApiClient} transport (Jupyter's ServerConnection in
 * Lab, an in-memory route table in unit tests).
 */
import type { IDisposable } from '@lumino/disposable';

import { unwrapList } from './errors';
import type {
  ApprovalDecision,
  IApiClient,
  IAppInfo,
  IDecisionSet,
  IDiffResult,
  IProject,
  IRunAccepted,
  IRunRecord,
  IStreamEvent,
  ITablePreview,
  IUnpacked,
  RunMode
} from './tokens';

/** `encodeURIComponent` of one path segment. */
const seg = encodeURIComponent;

/** A relative artifact path, each segment encoded but the slashes kept. */
function artifactPath(path: string): string {
  return path.split('/').map(seg).join('/');
}

function post(body?: unknown): RequestInit {
  return body === undefined ? { method: 'POST' } : { method: 'POST', body: JSON.stringify(body) };
}

/** `POST apps/{app}/runs` body. */
export interface IRunBody {
  mode: RunMode;
  args: Record<string, unknown>;
  scheduler?: string;
}

/** `POST decision-sets/{id}/approve` body. */
export interface IApproveBody {
  decision: ApprovalDecision;
  comment?: string;
  constraints?: Record<string, unknown>;
  version?: number;
}

/** `POST decision-sets/{id}/answer` body. */
export interface IAnswerBody {
  text: string;
  version?: number;
}

/** `201` of `POST runs/{run_id}/notebook`: the notebook, relative to the Jupyter root. */
export interface INotebookCreated {
  path: string;
}

/** `201` of `POST decision-sets/{id}/app`: the runtime app made from a generated design. */
export interface IDesignApp {
  app: string;
  path: string;
}

/** `202` answers of the designer's job routes. */
export interface IDesignAccepted {
  job_id: string;
  decision_set_id: string;
}

export class AgilabApi {
  constructor(readonly transport: IApiClient) {}

  // -- core -------------------------------------------------------------------

  health(): Promise<unknown> {
    return this.transport.request('health');
  }

  openapi(): Promise<Record<string, unknown>> {
    return this.transport.request('openapi.json');
  }

  // -- runtime ----------------------------------------------------------------

  async apps(): Promise<IAppInfo[]> {
    return unwrapList<IAppInfo>(await this.transport.request('apps'), 'apps');
  }

  app(name: string): Promise<IAppInfo> {
    return this.transport.request(`apps/${seg(name)}`);
  }

  appSettings(name: string): Promise<Record<string, unknown>> {
    return this.transport.request(`apps/${seg(name)}/settings`);
  }

  updateAppSettings(
    name: string,
    body: { args: Record<string, unknown> } | { text: string }
  ): Promise<Record<string, unknown>> {
    return this.transport.request(`apps/${seg(name)}/settings`, {
      method: 'PUT',
      body: JSON.stringify(body)
    });
  }

  installApp(name: string, mode: RunMode = 'local'): Promise<Record<string, unknown>> {
    return this.transport.request(`apps/${seg(name)}/install`, post({ mode }));
  }

  startRun(app: string, body: IRunBody): Promise<IRunAccepted> {
    return this.transport.request(`apps/${seg(app)}/runs`, post(body));
  }

  async runs(): Promise<IRunRecord[]> {
    return unwrapList<IRunRecord>(await this.transport.request('runs'), 'runs');
  }

  run(runId: string): Promise<IRunRecord> {
    return this.transport.request(`runs/${seg(runId)}`);
  }

  runEvents(
    runId: string,
    onEvent: (event: IStreamEvent) => void,
    onError?: (message: string) => void
  ): IDisposable {
    return this.transport.subscribe(`runs/${seg(runId)}/events`, onEvent, onError);
  }

  /** An artifact decoded as JSON (charts). */
  artifactJson<T = unknown>(runId: string, path: string): Promise<T> {
    return this.transport.request(`runs/${seg(runId)}/artifacts/${artifactPath(path)}`);
  }

  /** Browser URL that downloads or opens one artifact. */
  artifactUrl(runId: string, path: string): string {
    return this.transport.url(`runs/${seg(runId)}/artifacts/${artifactPath(path)}`);
  }

  preview(runId: string, path: string, limit = 20): Promise<ITablePreview> {
    return this.transport.request(
      `runs/${seg(runId)}/preview/${artifactPath(path)}?limit=${limit}`
    );
  }

  /** Writes the run's notebook under the Jupyter root (open it with docmanager). */
  exportNotebook(runId: string): Promise<INotebookCreated> {
    return this.transport.request(`runs/${seg(runId)}/notebook`, post());
  }

  cluster(): Promise<unknown> {
    return this.transport.request('cluster');
  }

  // -- designer ---------------------------------------------------------------

  async projects(): Promise<IProject[]> {
    return unwrapList<IProject>(await this.transport.request('projects'), 'projects');
  }

  createProject(name: string, description = ''): Promise<IProject> {
    return this.transport.request('projects', post(description ? { name, description } : { name }));
  }

  project(projectId: string): Promise<IProject> {
    return this.transport.request(`projects/${seg(projectId)}`);
  }

  submitRequirements(
    projectId: string,
    body: { text: string } | { constraints: Record<string, unknown> }
  ): Promise<IDesignAccepted> {
    return this.transport.request(`projects/${seg(projectId)}/constraints`, post(body));
  }

  async decisionSets(projectId: string): Promise<IDecisionSet[]> {
    return unwrapList<IDecisionSet>(
      await this.transport.request(`projects/${seg(projectId)}/decision-sets`),
      'decision_sets'
    );
  }

  projectEvents(
    projectId: string,
    onEvent: (event: IStreamEvent) => void,
    onError?: (message: string) => void
  ): IDisposable {
    return this.transport.subscribe(`projects/${seg(projectId)}/events`, onEvent, onError);
  }

  decisionSet(id: string): Promise<IDecisionSet> {
    return this.transport.request(`decision-sets/${seg(id)}`);
  }

  approve(id: string, body: IApproveBody): Promise<IDesignAccepted> {
    return this.transport.request(`decision-sets/${seg(id)}/approve`, post(body));
  }

  answer(id: string, body: IAnswerBody): Promise<IDesignAccepted> {
    return this.transport.request(`decision-sets/${seg(id)}/answer`, post(body));
  }

  generate(id: string): Promise<IDesignAccepted> {
    return this.transport.request(`decision-sets/${seg(id)}/generate`, post());
  }

  diff(id: string, againstId: string): Promise<IDiffResult> {
    return this.transport.request(`decision-sets/${seg(id)}/diff?against=${seg(againstId)}`);
  }

  unpack(id: string): Promise<IUnpacked> {
    return this.transport.request(`decision-sets/${seg(id)}/unpack`, post());
  }

  /** Turns a generated design into a runtime app named `name`. */
  makeApp(id: string, name: string): Promise<IDesignApp> {
    return this.transport.request(`decision-sets/${seg(id)}/app`, post({ name }));
  }

  zipUrl(id: string): string {
    return this.transport.url(`decision-sets/${seg(id)}/zip`);
  }
}
