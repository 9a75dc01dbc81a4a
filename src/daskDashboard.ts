/**
 * "Show runtime cluster in the Dask dashboard": points dask-labextension's
 * dashboard at the cluster the agilab-lab runtime started.
 *
 * dask-labextension is an optional companion: this plugin loads without it and
 * the command then explains what is missing.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { AgilabApi } from './api';
import { browserDashboardUrl, runtimeDashboard } from './clusters';
import { errorMessage, isRecord } from './errors';
import { CommandIDs, COMMAND_CATEGORY, DASK_PLUGIN_ID, IAgilabLab } from './tokens';

/** Id of dask-labextension's left-sidebar panel. */
const DASK_SIDEBAR_ID = 'dask-dashboard-launcher';

/**
 * The browser-reachable dashboard URL of the runtime's running cluster
 * (`GET cluster`), or null with the reason when there is none.
 */
export async function runtimeDashboardUrl(
  lab: IAgilabLab,
  baseUrl: string
): Promise<{ url: string } | { reason: string }> {
  let report: unknown;
  try {
    report = await new AgilabApi(lab.client).cluster();
  } catch (error) {
    return { reason: errorMessage(error) };
  }
  const dashboard = runtimeDashboard(report);
  if (!dashboard) {
    return { reason: 'The runtime has no running Dask cluster: start a dask-mode run first.' };
  }
  return { url: browserDashboardUrl(dashboard, baseUrl) };
}

/**
 * Show `url` in the open Dask sidebar now. dask-labextension reads `defaultURL`
 * only when the page loads, and exports no token for its sidebar, so its
 * widget's URL input is set directly when it has the expected shape.
 *
 * Its cluster manager overwrites that input with its first cluster's link when
 * it first lists clusters (a poll that idles while the sidebar is hidden), so
 * the list is refreshed before the input is set.
 */
async function showInDaskSidebar(app: JupyterFrontEnd, url: string): Promise<void> {
  for (const widget of app.shell.widgets('left')) {
    if (widget.id !== DASK_SIDEBAR_ID) {
      continue;
    }
    app.shell.activateById(DASK_SIDEBAR_ID);
    const sidebar = widget as unknown as Record<string, unknown>;
    const manager = sidebar.clusterManager;
    if (isRecord(manager) && typeof manager.refresh === 'function') {
      try {
        await (manager.refresh as () => Promise<void>).call(manager);
      } catch {
        // No dask-labextension server part: there is no list to settle.
      }
    }
    const launcher = sidebar.dashboardLauncher;
    const input = isRecord(launcher) ? launcher.input : null;
    if (isRecord(input) && 'url' in input) {
      input.url = url;
    }
  }
}

async function showRuntimeCluster(
  app: JupyterFrontEnd,
  lab: IAgilabLab,
  registry: ISettingRegistry | null
): Promise<string | null> {
  const found = await runtimeDashboardUrl(lab, PageConfig.getBaseUrl());
  if ('reason' in found) {
    Notification.warning(found.reason, { autoClose: 5000 });
    return null;
  }
  try {
    if (!registry) {
      throw new Error('no setting registry');
    }
    // The setting persists the choice for the next page load.
    await registry.set(DASK_PLUGIN_ID, 'defaultURL', found.url);
  } catch (error) {
    Notification.error(
      `Could not set the Dask dashboard URL (is dask-labextension installed?): ${errorMessage(error)}`
    );
    return null;
  }
  await showInDaskSidebar(app, found.url);
  Notification.success(`Dask dashboard: ${found.url}`, { autoClose: 5000 });
  return found.url;
}

/** Adds the command and its palette entry. */
export const daskDashboardPlugin: JupyterFrontEndPlugin<void> = {
  id: 'agilab-lab:dask-dashboard',
  description: "Shows the runtime's Dask cluster in dask-labextension's dashboard.",
  autoStart: true,
  requires: [IAgilabLab],
  optional: [ISettingRegistry, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    lab: IAgilabLab,
    registry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ) => {
    app.commands.addCommand(CommandIDs.showClusterInDask, {
      label: 'Show agilab-lab Runtime Cluster in the Dask Dashboard',
      caption: "Point dask-labextension's dashboard at the runtime's running cluster",
      execute: () => showRuntimeCluster(app, lab, registry)
    });
    palette?.addItem({ command: CommandIDs.showClusterInDask, category: COMMAND_CATEGORY });
  }
};
