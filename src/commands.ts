/**
 * Palette commands of agilab-lab.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import type { AgilabSidebar, SidebarTab } from './components/Sidebar';
import { projectNameFrom } from './format';
import { describeHealth } from './health';
import { CommandIDs, type ApprovalDecision, type IAgilabLab } from './tokens';
import { confirmReject, type MainAreaViews } from './views';

/** Dialog body with one multi-line text box. */
class RequirementsBody extends Widget implements Dialog.IBodyWidget<string> {
  constructor() {
    super({ node: document.createElement('div') });
    this.addClass('jp-AgilabLab-dialog');
    this._textarea = document.createElement('textarea');
    this._textarea.rows = 8;
    this._textarea.placeholder =
      'e.g. Real-time fraud scoring on AWS eu-west-1, PII data, GDPR, p99 under 100 ms, 500 rps, budget $8000/month.';
    this._textarea.className = 'jp-AgilabLab-textarea';
    this.node.appendChild(this._textarea);
  }

  getValue(): string {
    return this._textarea.value;
  }

  protected onAfterAttach(): void {
    this._textarea.focus();
  }

  private _textarea: HTMLTextAreaElement;
}

/** Ask for requirements, create a project for them, open its design view and submit them. */
export async function newDesignFromText(lab: IAgilabLab, views: MainAreaViews): Promise<void> {
  const result = await showDialog({
    title: 'New design from requirements',
    body: new RequirementsBody(),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Design' })]
  });
  const text = result.value?.trim();
  if (!result.button.accept || !text) {
    return;
  }
  const project = await lab.designer.createProject(projectNameFrom(text));
  if (!project) {
    Notification.error(lab.designer.error ?? 'The design could not be started.');
    return;
  }
  const model = views.openDesign(project.id).content.model;
  if (await model.submitRequirements(text)) {
    Notification.info(`Designing "${project.name}"…`, { autoClose: 3000 });
  } else {
    Notification.error(model.error ?? 'The design could not be started.');
  }
}

const DONE: Record<ApprovalDecision, string> = {
  approve: 'Design approved: generating the repository…',
  reject: 'Design rejected.',
  revise: 'Revision requested.'
};

async function decide(views: MainAreaViews, decision: ApprovalDecision): Promise<void> {
  const model = views.currentDesign;
  if (!model) {
    return;
  }
  if (decision === 'reject' && !(await confirmReject())) {
    return;
  }
  if (await model.decide(decision)) {
    Notification.success(DONE[decision], { autoClose: 3000 });
  } else {
    Notification.error(model.error ?? `Could not ${decision} the design.`);
  }
}

/** Register every agilab-lab command; the caller adds them to the palette. */
export function addCommands(
  app: JupyterFrontEnd,
  lab: IAgilabLab,
  sidebar: AgilabSidebar,
  views: MainAreaViews
): void {
  const { commands, shell } = app;
  const open = (tab: SidebarTab) => {
    sidebar.showTab(tab);
    shell.activateById(sidebar.id);
  };

  commands.addCommand(CommandIDs.refreshHealth, {
    label: 'Refresh agilab-lab Server Health',
    caption: 'Check GET agilab-lab/api/health now',
    execute: async () => describeHealth(await lab.health.refresh()).label
  });
  commands.addCommand(CommandIDs.openApps, {
    label: 'Open agilab-lab Apps',
    execute: () => open('apps')
  });
  commands.addCommand(CommandIDs.openRuns, {
    label: 'Open agilab-lab Runs',
    execute: () => open('runs')
  });
  commands.addCommand(CommandIDs.openDesigner, {
    label: 'Open agilab-lab Designer',
    execute: () => open('designer')
  });
  commands.addCommand(CommandIDs.newDesign, {
    label: 'New agilab-lab Design from Requirements…',
    execute: () => {
      open('designer');
      return newDesignFromText(lab, views);
    }
  });
  commands.addCommand(CommandIDs.approve, {
    label: 'Approve Current agilab-lab Decision Set',
    isEnabled: () => views.currentDesign?.canDecide ?? false,
    execute: () => decide(views, 'approve')
  });
  commands.addCommand(CommandIDs.reject, {
    label: 'Reject Current agilab-lab Decision Set',
    isEnabled: () => views.currentDesign?.canDecide ?? false,
    execute: () => decide(views, 'reject')
  });
  commands.addCommand(CommandIDs.openRun, {
    label: args => `Open Run ${args.runId ?? ''}`,
    execute: args => views.openRun(String(args.runId))
  });
  commands.addCommand(CommandIDs.exportNotebook, {
    label: 'Export agilab-lab Run as Notebook',
    caption:
      'Write the run in focus (or args.runId) as a notebook under the Jupyter root and open it',
    isEnabled: args => Boolean(args.runId ?? views.currentRunId),
    execute: async args => {
      const runId = String(args.runId ?? views.currentRunId);
      try {
        return await views.exportNotebook(runId);
      } catch (reason) {
        Notification.error(`Notebook export failed: ${(reason as Error)?.message ?? reason}`);
      }
    }
  });
  commands.addCommand(CommandIDs.openDesign, {
    label: 'Open agilab-lab Design',
    execute: args => views.openDesign(String(args.projectId))
  });
  commands.addCommand(CommandIDs.openDiff, {
    label: 'Open agilab-lab Design Diff',
    execute: args => views.openDiff(String(args.projectId), String(args.fromId), String(args.toId))
  });
  // Approve/reject enable themselves when the design in focus reaches the gate.
  const refresh = () => commands.notifyCommandChanged();
  views.designs.currentChanged.connect((_, widget) => {
    widget?.content.model.changed.connect(refresh);
    refresh();
  });
  views.designs.widgetAdded.connect((_, widget) => widget.content.model.changed.connect(refresh));
}

export const PALETTE_COMMANDS = [
  CommandIDs.refreshHealth,
  CommandIDs.openApps,
  CommandIDs.openRuns,
  CommandIDs.openDesigner,
  CommandIDs.newDesign,
  CommandIDs.approve,
  CommandIDs.reject,
  CommandIDs.exportNotebook
];
