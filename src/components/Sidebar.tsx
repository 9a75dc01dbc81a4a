/**
 * The left-sidebar panel: Apps, Runs and Designer tabs over the models.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import type { IDesignerModel, IRuntimeModel } from '../tokens';
import { AppsPanel } from './AppsPanel';
import { DesignerPanel } from './DesignerPanel';
import { RunsPanel } from './RunsPanel';

export type SidebarTab = 'apps' | 'runs' | 'designer';

const TABS: { id: SidebarTab; label: string }[] = [
  { id: 'apps', label: 'Apps' },
  { id: 'runs', label: 'Runs' },
  { id: 'designer', label: 'Designer' }
];

/** What the sidebar's lists open in the main area. */
export interface ISidebarActions {
  openRun: (runId: string) => void;
  openDesign: (projectId: string) => void;
  newDesign: () => void;
}

export class AgilabSidebar extends ReactWidget {
  constructor(
    private _runtime: IRuntimeModel,
    private _designer: IDesignerModel,
    private _actions: ISidebarActions
  ) {
    super();
    this.addClass('jp-AgilabLab-sidebar');
  }

  get tab(): SidebarTab {
    return this._tab;
  }

  /** Switch tab and reload what it lists, so a tab never shows stale data. */
  showTab(tab: SidebarTab): void {
    this._tab = tab;
    switch (tab) {
      case 'apps':
        void this._runtime.loadApps();
        void this._runtime.loadClusterChoices();
        break;
      case 'runs':
        void this._runtime.loadRuns();
        break;
      case 'designer':
        void this._designer.loadProjects();
        break;
    }
    this.update();
  }

  render(): JSX.Element {
    return (
      <>
        <div className="jp-AgilabLab-tabs" role="tablist">
          {TABS.map(tab => (
            <button
              key={tab.id}
              role="tab"
              aria-selected={this._tab === tab.id}
              className={`jp-AgilabLab-tab ${this._tab === tab.id ? 'jp-mod-current' : ''}`}
              onClick={() => this.showTab(tab.id)}
            >
              {tab.label}
            </button>
          ))}
        </div>
        {this._renderTab()}
      </>
    );
  }

  /**
   * The keys matter: UseSignal connects to its signal once, on mount, so
   * switching tabs must mount a new UseSignal rather than reuse the old one
   * with a different `signal` prop.
   */
  private _renderTab(): JSX.Element {
    if (this._tab === 'designer') {
      const designer = this._designer;
      return (
        <UseSignal key="designer" signal={designer.changed}>
          {() => (
            <DesignerPanel
              model={designer}
              onOpenDesign={this._actions.openDesign}
              onNewDesign={this._actions.newDesign}
            />
          )}
        </UseSignal>
      );
    }
    const runtime = this._runtime;
    return (
      <UseSignal key="runtime" signal={runtime.changed}>
        {() =>
          this._tab === 'apps' ? (
            <AppsPanel
              model={runtime}
              onRunStarted={runId => {
                this.showTab('runs');
                this._actions.openRun(runId);
              }}
            />
          ) : (
            <RunsPanel model={runtime} onOpenRun={this._actions.openRun} />
          )
        }
      </UseSignal>
    );
  }

  private _tab: SidebarTab = 'apps';
}
