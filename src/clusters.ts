/**
 * Which Dask cluster a dask-mode run uses, and where a browser can see the
 * runtime cluster's dashboard: pure functions over the answers of
 * dask-labextension's `GET dask/clusters` and agilab-lab's `GET cluster`.
 */
import { isRecord } from './errors';
import type { IClusterChoice, IDaskCluster } from './tokens';

/** The default choice: the runtime starts (and reuses) its own LocalCluster. */
export const ON_DEMAND_CHOICE: IClusterChoice = {
  key: 'on-demand',
  label: 'on-demand LocalCluster (agilab-lab)',
  scheduler: null
};

/** The clusters of a `GET dask/clusters` answer; entries without an address are dropped. */
export function parseDaskClusters(raw: unknown): IDaskCluster[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  return raw.filter(
    (c): c is IDaskCluster =>
      isRecord(c) &&
      typeof c.id === 'string' &&
      typeof c.scheduler_address === 'string' &&
      c.scheduler_address !== ''
  );
}

/**
 * The choices of the Apps panel's "Dask cluster" select: the on-demand
 * LocalCluster first, then dask-labextension's clusters by name, then the
 * server's configured scheduler unless a listed cluster already has that address.
 */
export function clusterChoices(
  daskClusters: readonly IDaskCluster[],
  configuredScheduler: string | null
): IClusterChoice[] {
  const choices = [
    ON_DEMAND_CHOICE,
    ...daskClusters.map(c => ({
      key: `dask-labextension:${c.id}`,
      label: c.name || c.id,
      scheduler: c.scheduler_address
    }))
  ];
  if (configuredScheduler && !choices.some(c => c.scheduler === configuredScheduler)) {
    choices.push({
      key: 'configured',
      label: `configured scheduler ${configuredScheduler}`,
      scheduler: configuredScheduler
    });
  }
  return choices;
}

/** `scheduler_address` of a `GET cluster` answer, null when none is configured. */
export function configuredScheduler(report: unknown): string | null {
  const address = isRecord(report) ? report.scheduler_address : null;
  return typeof address === 'string' && address ? address : null;
}

/** Dashboard of the first running cluster in a `GET cluster` answer. */
export function runtimeDashboard(report: unknown): { link: string; port: number | null } | null {
  const clusters = isRecord(report) && Array.isArray(report.clusters) ? report.clusters : [];
  for (const cluster of clusters) {
    if (isRecord(cluster) && typeof cluster.dashboard === 'string' && cluster.dashboard) {
      const port = cluster.dashboard_port;
      return { link: cluster.dashboard, port: typeof port === 'number' ? port : null };
    }
  }
  return null;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A dashboard URL the browser can open. A dashboard bound to the server's
 * loopback is reached through jupyter-server-proxy (`{baseUrl}proxy/PORT/status`),
 * since the browser may not run on the server's machine; any other link is
 * used as it is.
 */
export function browserDashboardUrl(
  dashboard: { link: string; port: number | null },
  baseUrl: string
): string {
  let url: URL;
  try {
    url = new URL(dashboard.link);
  } catch {
    return dashboard.link; // a relative link (e.g. already proxied) works as it is
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return dashboard.link;
  }
  const port = dashboard.port ?? Number(url.port);
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return `${base}proxy/${port}/status`;
}
