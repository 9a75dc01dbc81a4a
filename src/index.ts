/**
 * agilab-lab labextension: models, the sidebar (lists), main-area views
 * (runs, designs, diffs), commands and the status-bar item.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';

import agilabSvg from '../style/icons/agilab.svg';
import { AgilabApi } from './api';
import { addCommands, newDesignFromText, PALETTE_COMMANDS } from './commands';
import { HealthStatusWidget } from './components/HealthStatus';
import { AgilabSidebar } from './components/Sidebar';
import { daskDashboardPlugin } from './daskDashboard';
import { DesignerModel } from './designer';
import { DaskLabextensionClient, ServerApiClient } from './handler';
import { HealthModel, RuntimeModel } from './model';
import { COMMAND_CATEGORY, IAgilabLab, PLUGIN_ID, RUN_MODES, type RunMode } from './tokens';
import { MainAreaViews } from './views';

export const agilabIcon = new LabIcon({ name: 'agilab-lab:icon', svgstr: agilabSvg });

/** Read the user settings into the models, now and on every change. */
function applySettings(
  lab: IAgilabLab,
  views: MainAreaViews,
  settings: ISettingRegistry.ISettings
): void {
  const interval = settings.get('refreshInterval').composite as number;
  const mode = settings.get('defaultRunMode').composite as RunMode;
  lab.health.intervalSeconds = interval;
  lab.runtime.defaultMode = RUN_MODES.includes(mode) ? mode : 'local';
  views.previewRows = settings.get('previewRows').composite as number;
}

/** Creates the models, the sidebar and the commands; provides {@link IAgilabLab}. */
const corePlugin: JupyterFrontEndPlugin<IAgilabLab> = {
  id: PLUGIN_ID,
  description: 'agilab-lab sidebar (Apps, Runs, Designer) and commands.',
  autoStart: true,
  provides: IAgilabLab,
  optional: [
    ISettingRegistry,
    ICommandPalette,
    ILayoutRestorer,
    IRenderMimeRegistry,
    IEditorLanguageRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    rendermime: IRenderMimeRegistry | null,
    languages: IEditorLanguageRegistry | null
  ): IAgilabLab => {
    const client = new ServerApiClient();
    const api = new AgilabApi(client);
    const runtime = new RuntimeModel(api, new DaskLabextensionClient());
    const lab: IAgilabLab = {
      client,
      health: new HealthModel(api),
      runtime,
      designer: new DesignerModel(api)
    };
    const views = new MainAreaViews({
      app,
      api,
      icon: agilabIcon,
      restorer,
      rendermime,
      languages,
      onRunStatus: () => void runtime.loadRuns(),
      onAppCreated: () => void runtime.loadApps()
    });

    const sidebar = new AgilabSidebar(lab.runtime, lab.designer, {
      openRun: runId => views.openRun(runId),
      openDesign: projectId => views.openDesign(projectId),
      newDesign: () => void newDesignFromText(lab, views)
    });
    sidebar.id = 'agilab-lab-sidebar';
    sidebar.title.icon = agilabIcon;
    sidebar.title.caption = 'agilab-lab';
    app.shell.add(sidebar, 'left', { rank: 450 });
    restorer?.add(sidebar, sidebar.id);
    sidebar.showTab('apps');

    addCommands(app, lab, sidebar, views);
    for (const command of PALETTE_COMMANDS) {
      palette?.addItem({ command, category: COMMAND_CATEGORY });
    }

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          applySettings(lab, views, settings);
          settings.changed.connect(() => applySettings(lab, views, settings));
        })
        .catch(reason => console.warn('agilab-lab: settings could not be loaded', reason));
    }
    return lab;
  }
};

/** Status-bar item with the server's health. */
const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: 'agilab-lab:status',
  description: 'Shows agilab-lab server health in the status bar.',
  autoStart: true,
  requires: [IAgilabLab],
  optional: [IStatusBar],
  activate: (app: JupyterFrontEnd, lab: IAgilabLab, statusBar: IStatusBar | null) => {
    if (!statusBar) {
      return;
    }
    const item = new HealthStatusWidget(lab.health);
    statusBar.registerStatusItem('agilab-lab:health', {
      item,
      align: 'left',
      rank: 100
    });
    lab.health.start();
  }
};

export default [corePlugin, statusPlugin, daskDashboardPlugin];
