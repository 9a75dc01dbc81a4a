/**
 * agilab-lab labextension: models, sidebar, commands and the status-bar item.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';

import agilabSvg from '../style/icons/agilab.svg';
import { addCommands, PALETTE_COMMANDS } from './commands';
import { HealthStatusWidget } from './components/HealthStatus';
import { AgilabSidebar } from './components/Sidebar';
import { daskDashboardPlugin } from './daskDashboard';
import { DesignerModel } from './designer';
import { createDiffWidget } from './diffview';
import { DaskLabextensionClient, ServerApiClient } from './handler';
import { HealthModel, RuntimeModel } from './model';
import { COMMAND_CATEGORY, IAgilabLab, PLUGIN_ID, RUN_MODES, type RunMode } from './tokens';

export const agilabIcon = new LabIcon({ name: 'agilab-lab:icon', svgstr: agilabSvg });

/** Read the user settings into the models, now and on every change. */
function applySettings(lab: IAgilabLab, settings: ISettingRegistry.ISettings): void {
  const interval = settings.get('refreshInterval').composite as number;
  const mode = settings.get('defaultRunMode').composite as RunMode;
  lab.health.intervalSeconds = interval;
  lab.runtime.defaultMode = RUN_MODES.includes(mode) ? mode : 'local';
}

/** Creates the models, the sidebar and the commands; provides {@link IAgilabLab}. */
const corePlugin: JupyterFrontEndPlugin<IAgilabLab> = {
  id: PLUGIN_ID,
  description: 'agilab-lab sidebar (Apps, Runs, Designer) and commands.',
  autoStart: true,
  provides: IAgilabLab,
  optional: [ISettingRegistry, ICommandPalette, ILayoutRestorer, IEditorServices],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    editorServices: IEditorServices | null
  ): IAgilabLab => {
    const client = new ServerApiClient();
    const lab: IAgilabLab = {
      client,
      health: new HealthModel(client),
      runtime: new RuntimeModel(client, new DaskLabextensionClient()),
      designer: new DesignerModel(client)
    };

    const openDiff = async (againstId: string) => {
      const set = lab.designer.decisionSet;
      const diff = await lab.designer.diffAgainst(againstId);
      if (!diff || !set) {
        Notification.error(lab.designer.error ?? 'No diff available.');
        return;
      }
      if (!editorServices) {
        Notification.error('No editor is available to show the diff.');
        return;
      }
      const previous = lab.designer.decisionSets.find(s => s.id === againstId);
      const title = `Diff v${previous?.version ?? '?'} → v${set.version}`;
      const widget = createDiffWidget(editorServices, diff, title);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    };

    const sidebar = new AgilabSidebar(lab.runtime, lab.designer, id => void openDiff(id));
    sidebar.id = 'agilab-lab-sidebar';
    sidebar.title.icon = agilabIcon;
    sidebar.title.caption = 'agilab-lab';
    app.shell.add(sidebar, 'left', { rank: 450 });
    restorer?.add(sidebar, sidebar.id);
    sidebar.showTab('apps');

    addCommands(app, lab, sidebar);
    for (const command of PALETTE_COMMANDS) {
      palette?.addItem({ command, category: COMMAND_CATEGORY });
    }

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          applySettings(lab, settings);
          settings.changed.connect(() => applySettings(lab, settings));
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
