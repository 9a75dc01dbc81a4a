import {
  browserDashboardUrl,
  clusterChoices,
  ON_DEMAND_CHOICE,
  parseDaskClusters,
  runtimeDashboard
} from '../clusters';
import { AgilabApi } from '../api';
import { RuntimeModel } from '../model';
import { ApiError } from '../errors';
import type { IDaskClusterSource } from '../tokens';
import { FakeClient } from './fakeClient';

const DASK_CLUSTERS = [
  {
    id: 'a1b2',
    name: 'Cluster 1',
    scheduler_address: 'tcp://127.0.0.1:40001',
    dashboard_link: '/dask/dashboard/a1b2',
    workers: 2
  },
  { id: 'c3d4', name: 'Cluster 2', scheduler_address: 'tcp://127.0.0.1:40002' }
];

/** dask-labextension's cluster manager answering `answer` (thrown when it is an Error). */
function daskSource(answer: unknown): IDaskClusterSource & { calls: number } {
  return {
    calls: 0,
    async listClusters() {
      this.calls++;
      if (answer instanceof Error) {
        throw answer;
      }
      return answer;
    }
  };
}

describe('clusterChoices', () => {
  it('lists the on-demand cluster first, then the dask-labextension clusters by name', () => {
    const choices = clusterChoices(parseDaskClusters(DASK_CLUSTERS), null);
    expect(choices.map(c => [c.label, c.scheduler])).toEqual([
      ['on-demand LocalCluster (agilab-lab)', null],
      ['Cluster 1', 'tcp://127.0.0.1:40001'],
      ['Cluster 2', 'tcp://127.0.0.1:40002']
    ]);
    expect(new Set(choices.map(c => c.key)).size).toBe(3);
  });

  it('adds the configured scheduler unless a listed cluster already has its address', () => {
    const added = clusterChoices([], 'tcp://scheduler:8786');
    expect(added.map(c => c.scheduler)).toEqual([null, 'tcp://scheduler:8786']);
    expect(added[1].label).toBe('configured scheduler tcp://scheduler:8786');

    const listed = clusterChoices(parseDaskClusters(DASK_CLUSTERS), 'tcp://127.0.0.1:40002');
    expect(listed.map(c => c.scheduler)).toEqual([
      null,
      'tcp://127.0.0.1:40001',
      'tcp://127.0.0.1:40002'
    ]);
  });

  it('ignores answers that are not a list of clusters with an address', () => {
    expect(parseDaskClusters({ clusters: [] })).toEqual([]);
    expect(parseDaskClusters([{ id: 'x', name: 'starting', scheduler_address: '' }, 3])).toEqual(
      []
    );
  });
});

describe('RuntimeModel cluster choices', () => {
  let client: FakeClient;

  beforeEach(() => {
    client = new FakeClient().on('GET', 'cluster', { clusters: [], scheduler_address: null });
  });

  it('starts with the on-demand LocalCluster only', () => {
    expect(new RuntimeModel(new AgilabApi(client)).clusterChoices).toEqual([ON_DEMAND_CHOICE]);
  });

  it('lists the clusters of dask-labextension and the configured scheduler', async () => {
    client.on('GET', 'cluster', { clusters: [], scheduler_address: 'tcp://10.0.0.5:8786' });
    const dask = daskSource(DASK_CLUSTERS);
    const model = new RuntimeModel(new AgilabApi(client), dask);
    let changes = 0;
    model.changed.connect(() => changes++);

    await model.loadClusterChoices();

    expect(dask.calls).toBe(1);
    expect(model.clusterChoices.map(c => c.label)).toEqual([
      'on-demand LocalCluster (agilab-lab)',
      'Cluster 1',
      'Cluster 2',
      'configured scheduler tcp://10.0.0.5:8786'
    ]);
    expect(changes).toBe(1);
    expect(model.error).toBeNull();
  });

  it('keeps only the on-demand cluster when dask-labextension is not installed (404)', async () => {
    const model = new RuntimeModel(
      new AgilabApi(client),
      daskSource(new ApiError(404, 'http_404', 'Not Found'))
    );
    await model.loadClusterChoices();
    expect(model.clusterChoices).toEqual([ON_DEMAND_CHOICE]);
    expect(model.error).toBeNull();
  });

  it('still offers the configured scheduler when GET dask/clusters fails otherwise', async () => {
    client.on('GET', 'cluster', { clusters: [], scheduler_address: 'tcp://10.0.0.5:8786' });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = new RuntimeModel(
      new AgilabApi(client),
      daskSource(new ApiError(500, 'http_500', 'boom'))
    );
    await model.loadClusterChoices();
    expect(model.clusterChoices.map(c => c.scheduler)).toEqual([null, 'tcp://10.0.0.5:8786']);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it("sends the chosen cluster's address as the scheduler of a dask run only", async () => {
    client.on('POST', 'apps/minimal_app/runs', { run_id: 'r1', job_id: 'j1' });
    client.on('GET', 'runs', { runs: [] });
    client.on('GET', 'runs/r1', {
      run_id: 'r1',
      app: 'minimal_app',
      mode: 'dask',
      status: 'queued'
    });
    const model = new RuntimeModel(new AgilabApi(client), daskSource(DASK_CLUSTERS));

    await model.startRun('minimal_app', 'dask', { items: 2 }, 'tcp://127.0.0.1:40001');
    await model.startRun('minimal_app', 'dask', {}, null);
    await model.startRun('minimal_app', 'pool', {}, 'tcp://127.0.0.1:40001');

    expect(client.calls('POST', 'apps/minimal_app/runs').map(r => r.body)).toEqual([
      { mode: 'dask', scheduler: 'tcp://127.0.0.1:40001', args: { items: 2 } },
      { mode: 'dask', args: {} },
      { mode: 'pool', args: {} }
    ]);
    model.dispose();
  });
});

describe('runtime dashboard', () => {
  const report = {
    clusters: [
      {
        target: 'local:2x1',
        scheduler: 'tcp://127.0.0.1:39000',
        dashboard: 'http://127.0.0.1:41234/status',
        dashboard_port: 41234,
        workers: []
      }
    ],
    scheduler_address: null
  };

  it('takes the first running cluster of GET cluster, or null when none runs', () => {
    expect(runtimeDashboard(report)).toEqual({
      link: 'http://127.0.0.1:41234/status',
      port: 41234
    });
    expect(runtimeDashboard({ clusters: [] })).toBeNull();
    expect(runtimeDashboard(null)).toBeNull();
  });

  it('reaches a loopback dashboard through jupyter-server-proxy', () => {
    const dashboard = runtimeDashboard(report)!;
    expect(browserDashboardUrl(dashboard, 'http://lab.example:8888/user/ann/')).toBe(
      'http://lab.example:8888/user/ann/proxy/41234/status'
    );
    // Without dashboard_port (an older server) the link's own port is used.
    expect(
      browserDashboardUrl({ link: 'http://localhost:8787/status', port: null }, 'http://h/')
    ).toBe('http://h/proxy/8787/status');
  });

  it('keeps a link the browser can already reach', () => {
    const remote = { link: 'http://dask.internal:8787/status', port: 8787 };
    expect(browserDashboardUrl(remote, 'http://h/')).toBe('http://dask.internal:8787/status');
    const relative = { link: '/user/ann/proxy/8787/status', port: 8787 };
    expect(browserDashboardUrl(relative, 'http://h/')).toBe('/user/ann/proxy/8787/status');
  });
});
