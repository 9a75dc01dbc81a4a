import { AgilabApi } from '../api';
import { ApiError } from '../errors';
import { FakeClient } from './fakeClient';

describe('AgilabApi', () => {
  it('has one method per endpoint, each with its method, path and body', async () => {
    const client = new FakeClient();
    const api = new AgilabApi(client);
    const calls: [() => Promise<unknown>, string, string, unknown][] = [
      [() => api.health(), 'GET', 'health', undefined],
      [() => api.openapi(), 'GET', 'openapi.json', undefined],
      [() => api.apps(), 'GET', 'apps', undefined],
      [() => api.app('a b'), 'GET', 'apps/a%20b', undefined],
      [() => api.appSettings('x'), 'GET', 'apps/x/settings', undefined],
      [
        () => api.updateAppSettings('x', { args: { n: 1 } }),
        'PUT',
        'apps/x/settings',
        { args: { n: 1 } }
      ],
      [() => api.installApp('x'), 'POST', 'apps/x/install', { mode: 'local' }],
      [
        () => api.startRun('x', { mode: 'pool', args: {} }),
        'POST',
        'apps/x/runs',
        { mode: 'pool', args: {} }
      ],
      [() => api.runs(), 'GET', 'runs', undefined],
      [() => api.run('r/1'), 'GET', 'runs/r%2F1', undefined],
      [
        () => api.artifactJson('r1', 'a/c.vl.json'),
        'GET',
        'runs/r1/artifacts/a/c.vl.json',
        undefined
      ],
      [
        () => api.preview('r1', 'f.parquet', 5),
        'GET',
        'runs/r1/preview/f.parquet?limit=5',
        undefined
      ],
      [() => api.exportNotebook('r 1'), 'POST', 'runs/r%201/notebook', undefined],
      [() => api.cluster(), 'GET', 'cluster', undefined],
      [() => api.projects(), 'GET', 'projects', undefined],
      [() => api.createProject('p'), 'POST', 'projects', { name: 'p' }],
      [() => api.project('p1'), 'GET', 'projects/p1', undefined],
      [
        () => api.submitRequirements('p1', { text: 't' }),
        'POST',
        'projects/p1/constraints',
        { text: 't' }
      ],
      [() => api.decisionSets('p1'), 'GET', 'projects/p1/decision-sets', undefined],
      [() => api.decisionSet('d1'), 'GET', 'decision-sets/d1', undefined],
      [
        () => api.approve('d1', { decision: 'reject', version: 3 }),
        'POST',
        'decision-sets/d1/approve',
        { decision: 'reject', version: 3 }
      ],
      [() => api.answer('d1', { text: 'aws' }), 'POST', 'decision-sets/d1/answer', { text: 'aws' }],
      [() => api.generate('d1'), 'POST', 'decision-sets/d1/generate', undefined],
      [() => api.diff('d2', 'd 1'), 'GET', 'decision-sets/d2/diff?against=d%201', undefined],
      [() => api.unpack('d1'), 'POST', 'decision-sets/d1/unpack', undefined],
      [() => api.makeApp('d1', 'fraud_app'), 'POST', 'decision-sets/d1/app', { name: 'fraud_app' }]
    ];
    for (const [call, method, endpoint, body] of calls) {
      client.on(method, endpoint, { ok: true });
      await call();
      const recorded = client.requests[client.requests.length - 1];
      expect([recorded.method, recorded.endpoint, recorded.body]).toEqual([method, endpoint, body]);
    }
  });

  it('unwraps list answers and passes server errors through', async () => {
    const client = new FakeClient()
      .on('GET', 'runs', { runs: [{ run_id: 'r1' }] })
      .on('GET', 'projects', new ApiError(500, 'internal', 'boom'));
    const api = new AgilabApi(client);
    expect((await api.runs()).map(r => r.run_id)).toEqual(['r1']);
    await expect(api.projects()).rejects.toThrow('boom');
  });

  it('builds browser URLs and opens event streams', () => {
    const client = new FakeClient();
    const api = new AgilabApi(client);
    expect(api.zipUrl('d1')).toBe('http://lab/agilab-lab/api/decision-sets/d1/zip');
    expect(api.artifactUrl('r1', 'out/x y.csv')).toBe(
      'http://lab/agilab-lab/api/runs/r1/artifacts/out/x%20y.csv'
    );
    api.runEvents('r1', () => undefined).dispose();
    api.projectEvents('p1', () => undefined);
    expect([...client.streams.keys()]).toEqual(['runs/r1/events', 'projects/p1/events']);
  });
});
