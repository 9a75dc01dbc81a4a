/**
 * Palette commands of agilab-lab.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import type { AgilabSidebar, SidebarTab } from './components/Sidebar';
import { describeHealth, projectNameFrom } from './reducers';
import { CommandIDs, type ApprovalDecision, type IAgilabLab } from './tokens';

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

/** Ask for requirements, create a project for them and submit them. */
async function newDesignFromText(lab: IAgilabLab, showDesigner: () => void): Promise<void> {
  const result = await showDialog({
    title: 'New design from requirements',
    body: new RequirementsBody(),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Design' })]
  });
  const text = result.value?.trim();
  if (!result.button.accept || !text) {
    return;
  }
  showDesigner();
  const project = await lab.designer.createProject(projectNameFrom(text));
  if (project && (await lab.designer.submitRequirements(text))) {
    Notification.info(`Designing "${project.name}"…`, { autoClose: 3000 });
  } else {
    Notification.error(lab.designer.error ?? 'The design could not be started.');
  }
}

async function decide(lab: IAgilabLab, decision: ApprovalDecision): Promise<void> {
  if (await lab.designer.decide(decision)) {
    Notification.success(`Decision set ${decision === 'approve' ? 'approved' : 'rejected'}.`, {
      autoClose: 3000
    });
  } else {
    Notification.error(lab.designer.error ?? `Could not ${decision} the decision set.`);
  }
}

/** Register every agilab-lab command; the caller adds them to the palette. */
export function addCommands(app: JupyterFrontEnd, lab: IAgilabLab, sidebar: AgilabSidebar): void {
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
    execute: () => newDesignFromText(lab, () => open('designer'))
  });
  commands.addCommand(CommandIDs.approve, {
    label: 'Approve Current agilab-lab Decision Set',
    isEnabled: () => lab.designer.canDecide,
    execute: () => decide(lab, 'approve')
  });
  commands.addCommand(CommandIDs.reject, {
    label: 'Reject Current agilab-lab Decision Set',
    isEnabled: () => lab.designer.canDecide,
    execute: () => decide(lab, 'reject')
  });
  // Approve/reject enable themselves when a decision set reaches the gate.
  lab.designer.changed.connect(() => commands.notifyCommandChanged());
}

export const PALETTE_COMMANDS = [
  CommandIDs.refreshHealth,
  CommandIDs.openApps,
  CommandIDs.openRuns,
  CommandIDs.openDesigner,
  CommandIDs.newDesign,
  CommandIDs.approve,
  CommandIDs.reject
];
