/**
 * Main-area tabs: a run view per run, a design view per project and a diff
 * view per pair of versions. One tab per object (opening again focuses it),
 * tracked so that Lab's layout restorer reopens them after a reload.
 */
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  InputDialog,
  MainAreaWidget,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import type { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ReactWidget, UseSignal, type LabIcon } from '@jupyterlab/ui-components';
import React from 'react';

import type { AgilabApi } from './api';
import { DesignView, type IDesignActions } from './components/DesignView';
import { DiffView, type IDiffData } from './components/DiffView';
import { RunView } from './components/RunView';
import { ProjectModel } from './designer';
import { RunViewModel } from './model';
import { CommandIDs, type IProjectModel, type IRunRecord } from './tokens';

class RunContent extends ReactWidget {
  constructor(
    readonly model: RunViewModel,
    private _rendermime: IRenderMimeRegistry | null,
    private _previewRows: () => number,
    private _exportNotebook: () => Promise<void>
  ) {
    super();
    this.addClass('jp-AgilabLab-main');
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => (
          <RunView
            model={this.model}
            rendermime={this._rendermime}
            previewRows={this._previewRows()}
            onExportNotebook={this._exportNotebook}
          />
        )}
      </UseSignal>
    );
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}

class DesignContent extends ReactWidget {
  constructor(
    readonly model: ProjectModel,
    private _actions: IDesignActions
  ) {
    super();
    this.addClass('jp-AgilabLab-main');
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => <DesignView model={this.model} actions={this._actions} />}
      </UseSignal>
    );
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }
}

class DiffContent extends ReactWidget {
  constructor(
    readonly key: { projectId: string; fromId: string; toId: string },
    readonly data: IDiffData,
    private _languages: IEditorLanguageRegistry | null
  ) {
    super();
    this.addClass('jp-AgilabLab-main');
  }

  render(): JSX.Element {
    return <DiffView data={this.data} languages={this._languages} />;
  }
}

/** Ask before a rejection: it closes the version for good. */
export async function confirmReject(): Promise<boolean> {
  const result = await showDialog({
    title: 'Reject this design?',
    body: 'The version is closed as rejected and nothing is generated. Revise instead to get a new version.',
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Reject' })]
  });
  return result.button.accept;
}

export interface IViewsOptions {
  app: JupyterFrontEnd;
  api: AgilabApi;
  icon: LabIcon;
  restorer: ILayoutRestorer | null;
  rendermime: IRenderMimeRegistry | null;
  languages: IEditorLanguageRegistry | null;
  /** Told when a run view sees its run change status (the sidebar list reloads). */
  onRunStatus: (record: IRunRecord) => void;
  /** Told when a generated design became a runtime app (the Apps panel reloads). */
  onAppCreated: () => void;
}

/** Opens (or focuses) the main-area tabs and keeps them restorable. */
export class MainAreaViews {
  constructor(private _o: IViewsOptions) {
    const { restorer } = _o;
    void restorer?.restore(this.runs, {
      command: CommandIDs.openRun,
      args: w => ({ runId: w.content.model.runId }),
      name: w => w.content.model.runId
    });
    void restorer?.restore(this.designs, {
      command: CommandIDs.openDesign,
      args: w => ({ projectId: w.content.model.projectId }),
      name: w => w.content.model.projectId
    });
    void restorer?.restore(this.diffs, {
      command: CommandIDs.openDiff,
      args: w => ({ ...w.content.key }),
      name: w => `${w.content.key.fromId}:${w.content.key.toId}`
    });
  }

  /** Rows of a table preview (from the settings). */
  previewRows = 20;

  readonly runs = new WidgetTracker<MainAreaWidget<RunContent>>({ namespace: 'agilab-lab-run' });
  readonly designs = new WidgetTracker<MainAreaWidget<DesignContent>>({
    namespace: 'agilab-lab-design'
  });
  readonly diffs = new WidgetTracker<MainAreaWidget<DiffContent>>({ namespace: 'agilab-lab-diff' });

  /** The design model of the design tab in focus (palette approve/reject act on it). */
  get currentDesign(): IProjectModel | null {
    return this.designs.currentWidget?.content.model ?? null;
  }

  /** The run id of the run tab in focus. */
  get currentRunId(): string | null {
    return this.runs.currentWidget?.content.model.runId ?? null;
  }

  /** `POST runs/{run_id}/notebook`, then open the notebook with the document manager. */
  async exportNotebook(runId: string): Promise<string> {
    const { path } = await this._o.api.exportNotebook(runId);
    await this._o.app.commands.execute('docmanager:open', { path });
    return path;
  }

  openRun(runId: string): MainAreaWidget<RunContent> {
    const id = `agilab-lab-run-${runId}`;
    const existing = this.runs.find(w => w.id === id);
    if (existing) {
      this._o.app.shell.activateById(id);
      return existing;
    }
    const model = new RunViewModel(this._o.api, runId, this._o.onRunStatus);
    const widget = this._add(
      new RunContent(
        model,
        this._o.rendermime,
        () => this.previewRows,
        async () => void (await this.exportNotebook(runId))
      ),
      id,
      'Run',
      this.runs
    );
    model.changed.connect(() => {
      const record = model.record;
      widget.title.label = record ? `Run ${record.app}` : 'Run';
      widget.title.caption = `${record?.app ?? 'run'} ${runId} (${record?.status ?? 'loading'})`;
    });
    void model.load();
    return widget;
  }

  openDesign(projectId: string): MainAreaWidget<DesignContent> {
    const id = `agilab-lab-design-${projectId}`;
    const existing = this.designs.find(w => w.id === id);
    if (existing) {
      this._o.app.shell.activateById(id);
      return existing;
    }
    const model = new ProjectModel(this._o.api, projectId);
    const actions: IDesignActions = {
      confirmReject,
      openDiff: (m, againstId) => {
        const to = m.decisionSet;
        if (to) {
          void this.openDiff(m.projectId, againstId, to.id);
        }
      },
      openFolder: path =>
        void this._o.app.commands.execute('filebrowser:go-to-path', {
          path,
          dontShowBrowser: false
        }),
      openFile: path => void this._o.app.commands.execute('docmanager:open', { path }),
      makeApp: async (decisionSetId, suggested) => {
        const answer = await InputDialog.getText({
          title: 'Make a runtime app from this design',
          label: 'App name (lower-case letters, digits, _)',
          text: suggested,
          okLabel: 'Make app'
        });
        const name = answer.value?.trim();
        if (!answer.button.accept || !name) {
          return null;
        }
        const made = await this._o.api.makeApp(decisionSetId, name);
        this._o.onAppCreated();
        return made;
      }
    };
    const widget = this._add(new DesignContent(model, actions), id, 'Design', this.designs);
    model.changed.connect(() => {
      widget.title.label = model.project ? `Design ${model.project.name}` : 'Design';
    });
    void model.load();
    return widget;
  }

  /** The diff tab of two versions (focused when open); null when either does not exist. */
  async openDiff(
    projectId: string,
    fromId: string,
    toId: string
  ): Promise<MainAreaWidget<DiffContent> | null> {
    const id = `agilab-lab-diff-${fromId}-${toId}`;
    const existing = this.diffs.find(w => w.id === id);
    if (existing) {
      this._o.app.shell.activateById(id);
      return existing;
    }
    const { api } = this._o;
    const [from, to, diff] = await Promise.all([
      api.decisionSet(fromId),
      api.decisionSet(toId),
      api.diff(toId, fromId)
    ]);
    // A second click while the first was loading: still one tab.
    const raced = this.diffs.find(w => w.id === id);
    if (raced) {
      this._o.app.shell.activateById(id);
      return raced;
    }
    const content = new DiffContent(
      { projectId, fromId, toId },
      { diff, from, to },
      this._o.languages
    );
    const widget = this._add(content, id, `Diff v${from.version} → v${to.version}`, this.diffs);
    return widget;
  }

  private _add<T extends ReactWidget>(
    content: T,
    id: string,
    label: string,
    tracker: WidgetTracker<MainAreaWidget<T>>
  ): MainAreaWidget<T> {
    const widget = new MainAreaWidget({ content });
    widget.id = id;
    widget.title.label = label;
    widget.title.icon = this._o.icon;
    widget.title.closable = true;
    void tracker.add(widget);
    this._o.app.shell.add(widget, 'main');
    this._o.app.shell.activateById(id);
    return widget;
  }
}
