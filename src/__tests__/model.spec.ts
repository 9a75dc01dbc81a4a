import { AgilabApi } from '../api';
import { DesignerModel, ProjectModel } from '../designer';
import { ApiError } from '../errors';
import { HEALTH_RETRY_MS, HealthModel, RunViewModel, RuntimeModel } from '../model';
import { FakeClient, settle } from './fakeClient';

describe('HealthModel', () => {
  let client: FakeClient;
  let model: HealthModel;

  beforeEach(() => {
    client = new FakeClient();
    model = new HealthModel(new AgilabApi(client), 3600);
  });

  afterEach(() => model.dispose());

  it('becomes healthy from GET health and announces it', async () => {
    client.on('GET', 'health', {
      status: 'ok',
      version: '0.1.0',
      database: { kind: 'sqlite', revision: 'abc' },
      queue: {},
      cluster: {}
    });
    const seen: string[] = [];
    model.changed.connect((_, state) => seen.push(state.kind));
    expect(model.state.kind).toBe('unknown');
    await model.refresh();
    expect(model.state.kind).toBe('healthy');
    expect(seen).toContain('healthy');
  });

  it('becomes unreachable with the server message when the request fails', async () => {
    client.on('GET', 'health', new ApiError(500, 'internal', 'database is locked'));
    const state = await model.refresh();
    expect(state).toEqual({ kind: 'unreachable', message: 'database is locked' });
  });

  it('checks health as soon as polling starts', async () => {
    client.on('GET', 'health', { status: 'ok' });
    const changed = new Promise(resolve =>
      model.changed.connect((_, state) => resolve(state.kind))
    );
    expect(client.calls('GET', 'health')).toHaveLength(0);
    model.start();
    expect(await changed).toBe('healthy');
    expect(client.calls('GET', 'health')).toHaveLength(1);
  });

  it('becomes unreachable when the answer is not a health report', async () => {
    client.on('GET', 'health', { nope: true });
    const state = await model.refresh();
    expect(state.kind).toBe('unreachable');
  });
});

describe('HealthModel recovery', () => {
  afterEach(() => jest.useRealTimers());

  it('retries quickly while unreachable and goes back to the interval once healthy', async () => {
    jest.useFakeTimers();
    const client = new FakeClient().on('GET', 'health', new ApiError(0, 'network', 'down'));
    const model = new HealthModel(new AgilabApi(client), 30);
    model.start();
    await settle();
    expect(model.state.kind).toBe('unreachable');
    expect(model.nextDelayMs).toBe(HEALTH_RETRY_MS);
    jest.advanceTimersByTime(HEALTH_RETRY_MS);
    await settle();
    expect(client.calls('GET', 'health')).toHaveLength(2);
    expect(model.nextDelayMs).toBe(2 * HEALTH_RETRY_MS);

    client.on('GET', 'health', { status: 'ok' });
    jest.advanceTimersByTime(2 * HEALTH_RETRY_MS);
    await settle();
    expect(model.state.kind).toBe('healthy');
    expect(model.nextDelayMs).toBe(30_000);
    model.dispose();
  });

  it('never waits longer than the interval between retries', async () => {
    const client = new FakeClient().on('GET', 'health', new ApiError(0, 'network', 'down'));
    const model = new HealthModel(new AgilabApi(client), 3);
    for (let i = 0; i < 8; i++) {
      await model.refresh();
    }
    expect(model.nextDelayMs).toBe(3000);
    model.dispose();
  });
});

describe('RuntimeModel', () => {
  let client: FakeClient;
  let model: RuntimeModel;

  beforeEach(() => {
    client = new FakeClient();
    model = new RuntimeModel(new AgilabApi(client));
  });

  afterEach(() => model.dispose());

  it('is not "empty" before the first answer, and surfaces a missing route', async () => {
    expect(model.appsLoaded).toBe(false);
    await model.loadApps();
    expect(model.error).toBe('no API route apps');
    expect(model.appsLoaded).toBe(false);
    client.on('GET', 'apps', { apps: [{ name: 'minimal_app' }, { name: 'flight_telemetry' }] });
    await model.loadApps();
    expect(model.error).toBeNull();
    expect(model.appsLoaded).toBe(true);
    expect(model.apps.map(a => a.name)).toEqual(['minimal_app', 'flight_telemetry']);
  });

  it('starts a run and lists it', async () => {
    const record = { run_id: 'r1', app: 'minimal_app', mode: 'pool', status: 'queued' };
    client
      .on('POST', 'apps/minimal_app/runs', { run_id: 'r1', job_id: 'j1' })
      .on('GET', 'runs', { runs: [record] });
    const runId = await model.startRun('minimal_app', 'pool', { rows: 10 });
    expect(runId).toBe('r1');
    expect(client.calls('POST', 'apps/minimal_app/runs')[0].body).toEqual({
      mode: 'pool',
      args: { rows: 10 }
    });
    expect(model.runs.map(r => r.run_id)).toEqual(['r1']);
    expect(model.runsLoaded).toBe(true);
  });

  it('reports a refused run and lists nothing new', async () => {
    client.on('POST', 'apps/minimal_app/runs', new ApiError(400, 'bad_args', 'items: too small'));
    expect(await model.startRun('minimal_app', 'local', { items: 0 })).toBeNull();
    expect(model.error).toBe('items: too small');
    expect(client.calls('GET', 'runs')).toHaveLength(0);
  });
});

describe('RunViewModel', () => {
  const record = { run_id: 'r1', app: 'flight_telemetry', mode: 'local', status: 'running' };

  it('loads the run, follows its log with worker and stream labels, and reloads on a status change', async () => {
    const client = new FakeClient().on('GET', 'runs/r1', record);
    const changed: string[] = [];
    const model = new RunViewModel(new AgilabApi(client), 'r1', r => changed.push(r.status));
    await model.load();
    expect(model.record?.status).toBe('running');
    client.push('runs/r1/events', {
      id: 3,
      kind: 'log',
      payload: { worker: 'w0', line: 'FL00000 done' }
    });
    client.push('runs/r1/events', {
      id: 4,
      kind: 'log',
      payload: { worker: 'w1', line: 'Traceback', stream: 'stderr' }
    });
    client.push('runs/r1/events', {
      id: 4,
      kind: 'log',
      payload: { worker: 'w1', line: 'replayed' }
    });
    expect(model.log.map(l => [l.worker, l.stream, l.text])).toEqual([
      ['w0', 'stdout', 'FL00000 done'],
      ['w1', 'stderr', 'Traceback']
    ]);

    client.on('GET', 'runs/r1', { ...record, status: 'succeeded', seconds: 2 });
    client.push('runs/r1/events', { id: 5, kind: 'status', payload: { state: 'succeeded' } });
    await settle();
    expect(model.record?.status).toBe('succeeded');
    expect(model.log[2]).toMatchObject({ stream: 'event', text: 'status: succeeded' });
    expect(changed).toEqual(['succeeded']);
    model.dispose();
    expect(client.streams.get('runs/r1/events')?.disposed).toBe(true);
  });

  it('does not subscribe to a run that does not exist', async () => {
    const client = new FakeClient();
    const model = new RunViewModel(new AgilabApi(client), 'ghost');
    await model.load();
    expect(model.record).toBeNull();
    expect(model.error).toBe('no API route runs/ghost');
    expect(client.streams.size).toBe(0);
  });

  it('builds artifact and preview endpoints with each path segment encoded', async () => {
    const client = new FakeClient().on('GET', 'runs/r%201/preview/out/a%20b.parquet?limit=20', {
      path: 'out/a b.parquet',
      columns: [],
      rows: [],
      total_rows: 0,
      truncated: false
    });
    const model = new RunViewModel(new AgilabApi(client), 'r 1');
    expect(model.artifactUrl('out/a b.parquet')).toBe(
      'http://lab/agilab-lab/api/runs/r%201/artifacts/out/a%20b.parquet'
    );
    expect((await model.preview('out/a b.parquet')).total_rows).toBe(0);
  });
});

describe('DesignerModel', () => {
  it('creates a project and keeps it when an older project list arrives after it', async () => {
    const client = new FakeClient().on('POST', 'projects', (body: any) => ({
      id: 'p1',
      name: body.name
    }));
    const model = new DesignerModel(new AgilabApi(client));
    let answerList: (value: unknown) => void = () => undefined;
    client.on('GET', 'projects', new Promise(resolve => (answerList = resolve)));
    const listing = model.loadProjects();
    expect(model.loaded).toBe(false);
    const project = await model.createProject('fraud');
    expect(project?.id).toBe('p1');
    expect(client.calls('POST', 'projects')[0].body).toEqual({ name: 'fraud' });
    answerList({ projects: [] }); // the list as it was before the project existed
    await listing;
    expect(model.projects.map(p => p.id)).toEqual(['p1']);
  });
});

describe('ProjectModel', () => {
  let client: FakeClient;
  let model: ProjectModel;
  const awaiting = {
    id: 'ds1',
    project_id: 'p1',
    version: 1,
    lock_version: 4,
    status: 'awaiting_approval'
  };

  beforeEach(() => {
    client = new FakeClient()
      .on('GET', 'projects/p1', { id: 'p1', name: 'fraud' })
      .on('GET', 'projects/p1/decision-sets', { decision_sets: [] });
    model = new ProjectModel(new AgilabApi(client), 'p1');
  });

  afterEach(() => model.dispose());

  it('loads the project and follows its events', async () => {
    await model.load();
    expect(model.project?.name).toBe('fraud');
    expect(client.streams.has('projects/p1/events')).toBe(true);
    model.dispose();
    expect(client.streams.get('projects/p1/events')?.disposed).toBe(true);
  });

  it('submits requirements once: a second submit during the design is refused', async () => {
    client
      .on('POST', 'projects/p1/constraints', { job_id: 'j1', decision_set_id: 'ds1' })
      .on('GET', 'decision-sets/ds1', { ...awaiting, status: 'queued' });
    await model.load();
    client.on('GET', 'projects/p1/decision-sets', [{ ...awaiting, status: 'queued' }]);
    expect(await model.submitRequirements('AWS eu-west-1, PII, p99 < 100 ms')).toBe('ds1');
    expect(client.calls('POST', 'projects/p1/constraints')[0].body).toEqual({
      text: 'AWS eu-west-1, PII, p99 < 100 ms'
    });
    expect(model.designing).toBe(true);
    expect(model.canDecide).toBe(false);
    expect(await model.submitRequirements('AWS eu-west-1, PII, p99 < 100 ms')).toBeNull();
    expect(model.error).toBe('A version of this design is still in progress.');
    expect(client.calls('POST', 'projects/p1/constraints')).toHaveLength(1);
  });

  it('refuses empty requirements without calling the server', async () => {
    expect(await model.submitRequirements('   ')).toBeNull();
    expect(model.error).toBe('Write the requirements first.');
    expect(client.calls('POST', 'projects/p1/constraints')).toHaveLength(0);
  });

  it('reloads on a status change, coalescing bursts, and collects cards and validation steps', async () => {
    await model.load();
    client
      .on('GET', 'projects/p1/decision-sets', [awaiting])
      .on('GET', 'decision-sets/ds1', awaiting);
    const push = (id: number, kind: string, payload: Record<string, unknown>) =>
      client.push('projects/p1/events', {
        id,
        kind,
        payload: { decision_set_id: 'ds1', ...payload }
      });
    push(1, 'decision_set.status', { status: 'awaiting_approval' });
    push(2, 'reason_card', {
      id: 'ds1:planner:0:0',
      agent: 'planner',
      title: 'Serving',
      summary: 's',
      ts: 1
    });
    push(3, 'reason_card', {
      id: 'ds1:critic:0:0',
      agent: 'critic',
      title: 'Cost',
      summary: 's',
      ts: 2
    });
    push(4, 'validation_step', { name: 'ruff', state: 'started' });
    push(5, 'validation_step', { name: 'ruff', state: 'finished', passed: true, seconds: 0.4 });
    await settle();
    // One reload for the burst plus one follow-up (1 initial load + 2), never one per event.
    expect(client.calls('GET', 'projects/p1/decision-sets')).toHaveLength(3);
    expect(model.decisionSet?.status).toBe('awaiting_approval');
    expect(model.canDecide).toBe(true);
    expect(model.cards.map(c => c.title)).toEqual(['Serving', 'Cost']);
    expect(model.validationSteps).toEqual([
      { name: 'ruff', state: 'finished', passed: true, seconds: 0.4 }
    ]);
  });

  it('sends the decision with the version it was made on; revise needs a comment', async () => {
    client
      .on('GET', 'projects/p1/decision-sets', [awaiting])
      .on('GET', 'decision-sets/ds1', awaiting)
      .on(
        'POST',
        'decision-sets/ds1/approve',
        new ApiError(409, 'stale_version', 'decision set changed')
      );
    await model.load();

    expect(await model.decide('approve', 'ship it')).toBe(false);
    expect(model.error).toBe('decision set changed');
    expect(client.calls('POST', 'decision-sets/ds1/approve')[0].body).toEqual({
      decision: 'approve',
      comment: 'ship it',
      version: 4
    });

    expect(await model.decide('revise', '  ')).toBe(false);
    expect(model.error).toBe('Say what to revise: a comment is required.');
    expect(client.calls('POST', 'decision-sets/ds1/approve')).toHaveLength(1);

    client.on('POST', 'decision-sets/ds1/approve', { job_id: 'j', decision_set_id: 'ds1' });
    expect(await model.decide('revise', 'cheaper', { budget_monthly_usd: 500 })).toBe(true);
    expect(client.calls('POST', 'decision-sets/ds1/approve')[1].body).toEqual({
      decision: 'revise',
      comment: 'cheaper',
      constraints: { budget_monthly_usd: 500 },
      version: 4
    });
    expect(model.error).toBeNull();
  });

  it('answers open questions with the version they were asked on', async () => {
    const waiting = { ...awaiting, status: 'awaiting_input', open_questions: ['Which cloud?'] };
    client
      .on('GET', 'projects/p1/decision-sets', [waiting])
      .on('GET', 'decision-sets/ds1', waiting)
      .on('POST', 'decision-sets/ds1/answer', { job_id: 'j2', decision_set_id: 'ds1' });
    await model.load();
    expect(await model.answerQuestions('   ')).toBe(false);
    expect(client.calls('POST', 'decision-sets/ds1/answer')).toHaveLength(0);
    client.on('GET', 'decision-sets/ds1', { ...waiting, status: 'running', lock_version: 5 });
    expect(await model.answerQuestions('AWS eu-west-1')).toBe(true);
    expect(client.calls('POST', 'decision-sets/ds1/answer')[0].body).toEqual({
      text: 'AWS eu-west-1',
      version: 4
    });
    expect(model.decisionSet?.status).toBe('running');
    expect(await model.answerQuestions('more')).toBe(false);
    expect(model.error).toBe('No decision set is waiting for answers.');
  });

  it('diffs only against a version that exists, and unpacks only a generated one', async () => {
    const v2 = { ...awaiting, id: 'ds2', version: 2, status: 'generated' };
    client
      .on('GET', 'projects/p1/decision-sets', [v2, awaiting])
      .on('GET', 'decision-sets/ds2', v2)
      .on('GET', 'decision-sets/ds2/diff?against=ds1', { from: 'ds1', to: 'ds2', files: [] })
      .on('POST', 'decision-sets/ds2/unpack', {
        path: 'agilab-designs/fraud-p1/v2',
        files: 3,
        created: true,
        report: null
      });
    await model.load();
    expect(model.decisionSet?.id).toBe('ds2');
    expect(model.previousDecisionSet?.id).toBe('ds1');
    expect(await model.diffAgainst('ds1')).toEqual({ from: 'ds1', to: 'ds2', files: [] });
    expect(await model.diffAgainst('ds9')).toBeNull();
    expect(model.error).toBe('Both versions must exist to compare them.');
    expect((await model.unpack())?.path).toBe('agilab-designs/fraud-p1/v2');
    expect(model.zipUrl()).toBe('http://lab/agilab-lab/api/decision-sets/ds2/zip');
    client.on('GET', 'decision-sets/ds1', awaiting);
    await model.selectDecisionSet('ds1');
    expect(model.decisionSet?.id).toBe('ds1');
    expect(await model.unpack()).toBeNull();
    expect(client.calls('POST', 'decision-sets/ds1/unpack')).toHaveLength(0);
  });
});
