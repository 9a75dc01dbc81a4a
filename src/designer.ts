/**
 * Client-side state of the Designer: projects, their decision sets, the live
 * reason-card feed and the approval gate.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import {
  EMPTY_FEED,
  IDesignerFeed,
  awaitsApproval,
  errorMessage,
  isRecord,
  reduceDesignerEvent,
  unwrapList
} from './reducers';
import type {
  ApprovalDecision,
  IApiClient,
  IDecisionSet,
  IDiffResult,
  IProject,
  IStreamEvent
} from './tokens';

/** Projects, the selected project's decision sets and its live event feed. */
export class DesignerModel implements IDisposable {
  constructor(private _client: IApiClient) {}

  get projects(): readonly IProject[] {
    return this._projects;
  }

  get project(): IProject | null {
    return this._project;
  }

  /** Decision sets of the selected project, oldest version first. */
  get decisionSets(): readonly IDecisionSet[] {
    return this._decisionSets;
  }

  /** The decision set on screen: the newest one unless the user picked another. */
  get decisionSet(): IDecisionSet | null {
    return this._decisionSet;
  }

  get feed(): IDesignerFeed {
    return this._feed;
  }

  get error(): string | null {
    return this._error;
  }

  /** True while a request started by the user is in flight. */
  get busy(): boolean {
    return this._busy;
  }

  /** Whether approve/reject/revise apply to the decision set on screen. */
  get canDecide(): boolean {
    return !this._busy && awaitsApproval(this._decisionSet);
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  async loadProjects(): Promise<void> {
    // A project created while this list was in flight is missing from it:
    // such a stale answer is dropped rather than hiding the new project.
    const generation = ++this._projectsGeneration;
    await this._attempt(async () => {
      const projects = unwrapList<IProject>(await this._client.request('projects'), 'projects');
      if (generation === this._projectsGeneration) {
        this._projects = projects;
      }
    });
  }

  /** `POST projects`, then select the new project. */
  async createProject(name: string, description = ''): Promise<IProject | null> {
    let created: IProject | null = null;
    await this._attempt(async () => {
      const body = description ? { name, description } : { name };
      created = await this._client.request<IProject>('projects', {
        method: 'POST',
        body: JSON.stringify(body)
      });
      this._projectsGeneration++;
      this._projects = [...this._projects.filter(p => p.id !== created!.id), created];
    }, true);
    if (created) {
      await this.selectProject((created as IProject).id);
    }
    return created;
  }

  /** Show one project: load its decision sets and follow its event stream. */
  async selectProject(projectId: string | null): Promise<void> {
    this._stream?.dispose();
    this._stream = null;
    this._feed = EMPTY_FEED;
    this._decisionSets = [];
    this._decisionSet = null;
    this._project = this._projects.find(p => p.id === projectId) ?? null;
    this._projectId = projectId;
    this._changed.emit();
    if (!projectId) {
      return;
    }
    const id = encodeURIComponent(projectId);
    // Each await may end after the user picked another project: stop then.
    await this._attempt(async () => {
      const project = await this._client.request<IProject>(`projects/${id}`);
      if (this._projectId === projectId) {
        this._project = project;
      }
    });
    if (this._projectId !== projectId) {
      return;
    }
    await this.loadDecisionSets();
    if (this._projectId !== projectId) {
      return;
    }
    this._stream = this._client.subscribe(
      `projects/${id}/events`,
      event => this._onEvent(projectId, event),
      message => this._fail(message)
    );
  }

  /** Reload the project's decision sets and show the newest. */
  async loadDecisionSets(): Promise<void> {
    const project = this._project;
    if (!project) {
      return;
    }
    await this._attempt(async () => {
      const sets = unwrapList<IDecisionSet>(
        await this._client.request(`projects/${encodeURIComponent(project.id)}/decision-sets`),
        'decision_sets'
      );
      if (project.id === this._projectId) {
        this._decisionSets = [...sets].sort((a, b) => a.version - b.version);
      }
    });
    if (project.id !== this._projectId) {
      return;
    }
    const newest = this._decisionSets[this._decisionSets.length - 1];
    if (newest) {
      await this.selectDecisionSet(newest.id);
    }
  }

  /** Load one decision set in full (plan, policy, critics). */
  async selectDecisionSet(decisionSetId: string): Promise<void> {
    await this._attempt(async () => {
      const set = await this._client.request<IDecisionSet>(
        `decision-sets/${encodeURIComponent(decisionSetId)}`
      );
      if (set.project_id === this._projectId) {
        this._decisionSet = set;
      }
    });
  }

  /**
   * Submit natural-language requirements (`POST projects/{id}/constraints`).
   * The answer names the new decision set; its progress arrives as events.
   */
  async submitRequirements(text: string): Promise<string | null> {
    const project = this._project;
    if (!project || !text.trim()) {
      this._fail(project ? 'Write the requirements first.' : 'Select or create a project first.');
      return null;
    }
    let setId: string | null = null;
    await this._attempt(async () => {
      const answer = await this._client.request<unknown>(
        `projects/${encodeURIComponent(project.id)}/constraints`,
        { method: 'POST', body: JSON.stringify({ text }) }
      );
      setId =
        isRecord(answer) && typeof answer.decision_set_id === 'string'
          ? answer.decision_set_id
          : null;
    }, true);
    if (setId) {
      await this.selectDecisionSet(setId);
    }
    return setId;
  }

  /**
   * Record a human decision on the decision set on screen. Sends its
   * `lock_version` so that a decision on a stale copy is refused (409)
   * instead of applied.
   */
  async decide(decision: ApprovalDecision, comment = ''): Promise<boolean> {
    const set = this._decisionSet;
    if (!set || !awaitsApproval(set)) {
      this._fail('No decision set is waiting for approval.');
      return false;
    }
    return this._postToGate(set, 'approve', comment ? { decision, comment } : { decision });
  }

  /**
   * Answer the open questions of the decision set on screen
   * (`POST decision-sets/{id}/answer`). The design then resumes; its progress
   * arrives on the project's event stream like a new design's.
   */
  async answerQuestions(text: string): Promise<boolean> {
    const set = this._decisionSet;
    if (!set || set.status !== 'awaiting_input') {
      this._fail('No decision set is waiting for answers.');
      return false;
    }
    if (!text.trim()) {
      this._fail('Write an answer first.');
      return false;
    }
    return this._postToGate(set, 'answer', { text });
  }

  /**
   * POST to a gate of a waiting decision set with its `lock_version`, so an
   * answer given on a stale copy is refused (409) instead of applied.
   */
  private async _postToGate(
    set: IDecisionSet,
    gate: 'approve' | 'answer',
    body: Record<string, unknown>
  ): Promise<boolean> {
    let accepted = false;
    await this._attempt(async () => {
      const versioned =
        typeof set.lock_version === 'number' ? { ...body, version: set.lock_version } : body;
      await this._client.request(`decision-sets/${encodeURIComponent(set.id)}/${gate}`, {
        method: 'POST',
        body: JSON.stringify(versioned)
      });
      accepted = true;
    }, true);
    // Reload either way: after a 409 the stale copy must be replaced too. The
    // failure is restored afterwards so the reload's success does not hide it.
    const failure = accepted ? null : this._error;
    await this.selectDecisionSet(set.id);
    if (failure) {
      this._fail(failure);
    }
    return accepted;
  }

  /** Per-file diff of the decision set on screen against an earlier one. */
  async diffAgainst(otherId: string): Promise<IDiffResult | null> {
    const set = this._decisionSet;
    if (!set) {
      return null;
    }
    let result: IDiffResult | null = null;
    await this._attempt(async () => {
      result = await this._client.request<IDiffResult>(
        `decision-sets/${encodeURIComponent(set.id)}/diff?against=${encodeURIComponent(otherId)}`
      );
    }, true);
    return result;
  }

  /** The decision set just before the one on screen, if any. */
  get previousDecisionSet(): IDecisionSet | null {
    const set = this._decisionSet;
    if (!set) {
      return null;
    }
    const older = this._decisionSets.filter(s => s.version < set.version);
    return older[older.length - 1] ?? null;
  }

  /** Download URL of the generated repository zip. */
  zipUrl(decisionSetId: string): string {
    return this._client.url(`decision-sets/${encodeURIComponent(decisionSetId)}/zip`);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._stream?.dispose();
    Signal.clearData(this);
  }

  private _onEvent(projectId: string, event: IStreamEvent): void {
    if (this._project?.id !== projectId) {
      return;
    }
    const before = this._feed;
    this._feed = reduceDesignerEvent(before, event);
    if (this._feed === before) {
      return;
    }
    const setId =
      typeof event.payload.decision_set_id === 'string' ? event.payload.decision_set_id : null;
    const known = this._decisionSets.find(s => s.id === setId);
    const status = setId ? this._feed.statuses[setId] : undefined;
    if (setId && (!known || (status !== undefined && known.status !== status))) {
      // A new decision set or a status change: reload so plan, policy and
      // cost on screen match what the server now holds.
      this._scheduleReload();
    }
    this._changed.emit();
  }

  /** Reload decision sets, coalescing the bursts of events a running graph sends. */
  private _scheduleReload(): void {
    if (this._reloading) {
      this._reloadAgain = true;
      return;
    }
    this._reloading = (async () => {
      do {
        this._reloadAgain = false;
        await this.loadDecisionSets();
      } while (this._reloadAgain && !this._isDisposed);
      this._reloading = null;
    })();
  }

  /**
   * Run `action`; record a failure as `error`; always emit `changed`.
   * `busy` marks user-started actions so their buttons disable meanwhile.
   */
  private async _attempt(action: () => Promise<void>, busy = false): Promise<void> {
    if (busy) {
      this._busy = true;
      this._changed.emit();
    }
    try {
      await action();
      this._error = null;
    } catch (error) {
      this._error = errorMessage(error);
    } finally {
      if (busy) {
        this._busy = false;
      }
    }
    this._changed.emit();
  }

  private _fail(message: string): void {
    this._error = message;
    this._changed.emit();
  }

  private _projects: IProject[] = [];
  private _projectsGeneration = 0;
  private _project: IProject | null = null;
  /** The project the user asked for last, even before its record has loaded. */
  private _projectId: string | null = null;
  private _decisionSets: IDecisionSet[] = [];
  private _decisionSet: IDecisionSet | null = null;
  private _feed: IDesignerFeed = EMPTY_FEED;
  private _stream: IDisposable | null = null;
  private _error: string | null = null;
  private _busy = false;
  private _reloading: Promise<void> | null = null;
  private _reloadAgain = false;
  private _isDisposed = false;
  private _changed = new Signal<this, void>(this);
}
