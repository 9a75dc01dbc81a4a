/**
 * Client-side state of the Designer: the projects list (sidebar) and one model
 * per open design view (a project's versions, live feed and gates).
 */
import type { AgilabApi } from './api';
import { BaseModel } from './base';
import { awaitsApproval, isMoving } from './decisions';
import { EMPTY_FEED, IDesignerFeed, reduceDesignerEvent } from './feed';
import type {
  ApprovalDecision,
  IDecisionSet,
  IDesignerModel,
  IDiffResult,
  IProject,
  IProjectModel,
  IReasonCard,
  IStreamEvent,
  IUnpacked,
  IValidationStep
} from './tokens';

/** The user's projects, for the sidebar. */
export class DesignerModel extends BaseModel implements IDesignerModel {
  constructor(private _api: AgilabApi) {
    super();
  }

  get projects(): readonly IProject[] {
    return this._projects;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  async loadProjects(): Promise<void> {
    // A project created while this list was in flight is missing from it:
    // such a stale answer is dropped rather than hiding the new project.
    const generation = ++this._generation;
    await this.attempt(async () => {
      const projects = await this._api.projects();
      if (generation === this._generation) {
        this._projects = projects;
        this._loaded = true;
      }
    });
  }

  /** `POST projects`; the new project is listed at once. */
  async createProject(name: string, description = ''): Promise<IProject | null> {
    let created: IProject | null = null;
    await this.attempt(async () => {
      const project = await this._api.createProject(name, description);
      created = project;
      this._generation++;
      this._projects = [...this._projects.filter(p => p.id !== project.id), project];
    }, true);
    return created;
  }

  private _projects: IProject[] = [];
  private _loaded = false;
  private _generation = 0;
}

/** One project's design: its versions, the one on screen, the live feed and the gates. */
export class ProjectModel extends BaseModel implements IProjectModel {
  constructor(
    private _api: AgilabApi,
    readonly projectId: string
  ) {
    super();
  }

  get project(): IProject | null {
    return this._project;
  }

  /** Decision sets of the project, oldest version first. */
  get decisionSets(): readonly IDecisionSet[] {
    return this._decisionSets;
  }

  /** The decision set on screen: the newest one unless the user picked another. */
  get decisionSet(): IDecisionSet | null {
    return this._decisionSet;
  }

  /** The decision set just before the one on screen, if any. */
  get previousDecisionSet(): IDecisionSet | null {
    const set = this._decisionSet;
    const older = set ? this._decisionSets.filter(s => s.version < set.version) : [];
    return older[older.length - 1] ?? null;
  }

  get feed(): IDesignerFeed {
    return this._feed;
  }

  /** Reason cards of the decision set on screen (all cards before one is known). */
  get cards(): readonly IReasonCard[] {
    const id = this._decisionSet?.id;
    return id ? this._feed.cards.filter(c => c.id.startsWith(`${id}:`)) : this._feed.cards;
  }

  get validationSteps(): readonly IValidationStep[] {
    const id = this._decisionSet?.id;
    return (id && this._feed.steps[id]) || [];
  }

  /** A version of this project is being designed or generated: no second submit. */
  get designing(): boolean {
    // Either source may be ahead of the other; both converge (a status event triggers a reload).
    return this._decisionSets.some(
      s => isMoving(s) || isMoving({ status: this._feed.statuses[s.id] ?? s.status })
    );
  }

  get canDecide(): boolean {
    return !this.busy && awaitsApproval(this._decisionSet);
  }

  /** Load the project and its versions, then follow its event stream. */
  async load(): Promise<void> {
    const ok = await this.attempt(async () => {
      this._project = await this._api.project(this.projectId);
    });
    if (!ok) {
      return;
    }
    await this._loadDecisionSets(true);
    if (!this.stream && !this.isDisposed) {
      this.stream = this._api.projectEvents(
        this.projectId,
        event => this._onEvent(event),
        message => this.fail(message)
      );
    }
  }

  /** Load one decision set in full (plan, policy, critics) and show it. */
  async selectDecisionSet(decisionSetId: string): Promise<void> {
    this._pinned = decisionSetId;
    await this._loadSet(decisionSetId);
  }

  /**
   * Submit natural-language requirements (`POST projects/{id}/constraints`).
   * Refused while another version is being designed (no double submit).
   */
  async submitRequirements(text: string): Promise<string | null> {
    if (!text.trim()) {
      this.fail('Write the requirements first.');
      return null;
    }
    if (this.designing || this.busy) {
      this.fail('A version of this design is still in progress.');
      return null;
    }
    let setId: string | null = null;
    await this.attempt(async () => {
      setId = (await this._api.submitRequirements(this.projectId, { text })).decision_set_id;
      this._pinned = null;
      // Listed at once as queued, so `designing` holds until the stream moves it on.
      this._decisionSets = [
        ...this._decisionSets,
        { id: setId, project_id: this.projectId, version: this._nextVersion(), status: 'queued' }
      ];
    }, true);
    if (setId) {
      await this._loadDecisionSets(false);
    }
    return setId;
  }

  /**
   * Record a human decision on the decision set on screen, with its
   * `lock_version` so a decision on a stale copy is refused (409). Revise
   * needs a comment; edited constraints make a revision with those values.
   */
  async decide(
    decision: ApprovalDecision,
    comment = '',
    constraints?: Record<string, unknown>
  ): Promise<boolean> {
    const set = this._decisionSet;
    if (!set || !awaitsApproval(set)) {
      this.fail('No decision set is waiting for approval.');
      return false;
    }
    if (decision === 'revise' && !comment.trim()) {
      this.fail('Say what to revise: a comment is required.');
      return false;
    }
    const body = {
      decision,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(constraints ? { constraints } : {}),
      ...(typeof set.lock_version === 'number' ? { version: set.lock_version } : {})
    };
    return this._gate(set, () => this._api.approve(set.id, body));
  }

  /** Answer the open questions of the decision set on screen; the design then resumes. */
  async answerQuestions(text: string): Promise<boolean> {
    const set = this._decisionSet;
    if (!set || set.status !== 'awaiting_input') {
      this.fail('No decision set is waiting for answers.');
      return false;
    }
    if (!text.trim()) {
      this.fail('Write an answer first.');
      return false;
    }
    const version = typeof set.lock_version === 'number' ? { version: set.lock_version } : {};
    return this._gate(set, () => this._api.answer(set.id, { text, ...version }));
  }

  /** Diff of the decision set on screen against another version (both must exist). */
  async diffAgainst(otherId: string): Promise<IDiffResult | null> {
    const set = this._decisionSet;
    if (!set || !this._decisionSets.some(s => s.id === otherId)) {
      this.fail('Both versions must exist to compare them.');
      return null;
    }
    let result: IDiffResult | null = null;
    await this.attempt(async () => {
      result = await this._api.diff(set.id, otherId);
    }, true);
    return result;
  }

  /** Unpack the generated version on screen into the Jupyter root. */
  async unpack(): Promise<IUnpacked | null> {
    const set = this._decisionSet;
    if (!set || set.status !== 'generated') {
      this.fail('Only a generated version can be opened as files.');
      return null;
    }
    let unpacked: IUnpacked | null = null;
    await this.attempt(async () => {
      unpacked = await this._api.unpack(set.id);
    }, true);
    return unpacked;
  }

  zipUrl(): string | null {
    const set = this._decisionSet;
    return set?.status === 'generated' ? this._api.zipUrl(set.id) : null;
  }

  /** POST to a gate, then reload the set either way (after a 409 the stale copy must go too). */
  private async _gate(set: IDecisionSet, post: () => Promise<unknown>): Promise<boolean> {
    const accepted = await this.attempt(async () => {
      await post();
    }, true);
    const failure = accepted ? null : this.error;
    await this._loadSet(set.id);
    if (failure) {
      this.fail(failure);
    }
    return accepted;
  }

  private async _loadDecisionSets(showNewest: boolean): Promise<void> {
    await this.attempt(async () => {
      const sets = await this._api.decisionSets(this.projectId);
      this._decisionSets = [...sets].sort((a, b) => a.version - b.version);
    });
    const newest = this._decisionSets[this._decisionSets.length - 1];
    const target = (!showNewest && this._pinned) || newest?.id;
    if (target) {
      await this._loadSet(target);
    }
  }

  private async _loadSet(id: string): Promise<void> {
    await this.attempt(async () => {
      const set = await this._api.decisionSet(id);
      if (set.project_id !== this.projectId) {
        return;
      }
      this._decisionSets = this._decisionSets.map(s => (s.id === set.id ? { ...s, ...set } : s));
      if (!this._pinned || this._pinned === set.id) {
        this._decisionSet = set;
      }
    });
  }

  private _onEvent(event: IStreamEvent): void {
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
      // A new version or a status change: reload so what is on screen matches the server.
      this._scheduleReload();
    }
    this.emit();
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
        await this._loadDecisionSets(false);
      } while (this._reloadAgain && !this.isDisposed);
      this._reloading = null;
    })();
  }

  private _nextVersion(): number {
    return Math.max(0, ...this._decisionSets.map(s => s.version)) + 1;
  }

  private _project: IProject | null = null;
  private _decisionSets: IDecisionSet[] = [];
  private _decisionSet: IDecisionSet | null = null;
  /** The version the user picked; null follows the newest. */
  private _pinned: string | null = null;
  private _feed: IDesignerFeed = EMPTY_FEED;
  private _reloading: Promise<void> | null = null;
  private _reloadAgain = false;
}
