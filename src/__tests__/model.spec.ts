import { DesignerModel } from '../designer';
import { HealthModel, RuntimeModel, normaliseRun, runIdOf } from '../model';
import { ApiError } from '../reducers';
import { FakeClient, settle } from './fakeClient';

describe('HealthModel', () => {
  let client: FakeClient;
  let model: HealthModel;

  beforeEach(() => {
    client = new FakeClient();
    model = new HealthModel(client, 3600);
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

describe('RuntimeModel', () => {
  let client: FakeClient;
  let model: RuntimeModel;

  beforeEach(() => {
    client = new FakeClient();
    model = new RuntimeModel(client);
  });

  afterEach(() => model.dispose());

  it('lists apps and surfaces a missing route as an error', async () => {
    await model.loadApps();
    expect(model.error).toBe('no API route apps');
    client.on('GET', 'apps', { apps: [{ name: 'minimal_app' }, { name: 'flight_telemetry' }] });
    await model.loadApps();
    expect(model.error).toBeNull();
    expect(model.apps.map(a => a.name)).toEqual(['minimal_app', 'flight_telemetry']);
  });

  it('starts a run, selects it and follows its events', async () => {
    const record = { run_id: 'r1', app: 'minimal_app', mode: 'pool', status: 'running' };
    client
      .on('POST', 'apps/minimal_app/runs', { run_id: 'r1', status: 'queued' })
      .on('GET', 'runs', { runs: [record] })
      .on('GET', 'runs/r1', record);

    const runId = await model.startRun('minimal_app', 'pool', { rows: 10 });

    expect(runId).toBe('r1');
    expect(client.calls('POST', 'apps/minimal_app/runs')[0].body).toEqual({
      mode: 'pool',
      args: { rows: 10 }
    });
    expect(model.selectedRun?.status).toBe('running');

    const finished = { ...record, status: 'succeeded', seconds: 1.5, artifacts: [] };
    client.on('GET', 'runs/r1', finished);
    client.push('runs/r1/events', {
      id: 1,
      kind: 'status',
      payload: { state: 'succeeded', seconds: 1.5 }
    });
    await settle();

    expect(model.runEvents).toHaveLength(1);
    expect(model.selectedRun?.status).toBe('succeeded');
    expect(model.runs[0].seconds).toBe(1.5);
  });

  it('closes the previous run stream when another run is selected', async () => {
    client.on('GET', 'runs/a', { run_id: 'a', app: 'x', mode: 'local', status: 'running' });
    client.on('GET', 'runs/b', { id: 'b', app: 'x', mode: 'local', status: 'running' });
    await model.selectRun('a');
    await model.selectRun('b');
    expect(client.streams.get('runs/a/events')?.disposed).toBe(true);
    expect(client.streams.get('runs/b/events')?.disposed).toBe(false);
    expect(model.selectedRun?.run_id).toBe('b');
  });

  it('shows the run clicked last when an earlier click answers later', async () => {
    let answerA: (value: unknown) => void = () => undefined;
    client.on('GET', 'runs/a', new Promise(resolve => (answerA = resolve)));
    client.on('GET', 'runs/b', { run_id: 'b', app: 'x', mode: 'local', status: 'running' });
    const first = model.selectRun('a');
    await model.selectRun('b');
    answerA({ run_id: 'a', app: 'x', mode: 'local', status: 'succeeded' });
    await first;
    expect(model.selectedRun?.run_id).toBe('b');
    expect(client.streams.has('runs/a/events')).toBe(false);
  });

  it('does not subscribe to a run that does not exist', async () => {
    await model.selectRun('ghost');
    expect(model.selectedRun).toBeNull();
    expect(model.error).toBe('no API route runs/ghost');
    expect(client.streams.size).toBe(0);
  });

  it('builds artifact URLs with each path segment encoded', () => {
    expect(model.artifactUrl('r 1', 'out/a b.parquet')).toBe(
      'http://lab/agilab-lab/api/runs/r%201/artifacts/out/a%20b.parquet'
    );
  });
});

describe('run record helpers', () => {
  it('reads the run id of a POST answer', () => {
    expect(runIdOf({ run_id: 'r1' })).toBe('r1');
    expect(runIdOf({ id: 'j1' })).toBe('j1');
    expect(runIdOf({})).toBeNull();
    expect(runIdOf('r1')).toBeNull();
  });

  it('accepts id for run_id', () => {
    expect(normaliseRun({ id: 'x', app: 'a', mode: 'local', status: 's' } as any).run_id).toBe('x');
  });
});

describe('DesignerModel', () => {
  let client: FakeClient;
  let model: DesignerModel;
  const awaiting = {
    id: 'ds1',
    project_id: 'p1',
    version: 1,
    lock_version: 4,
    status: 'awaiting_approval'
  };

  beforeEach(() => {
    client = new FakeClient()
      .on('POST', 'projects', (body: any) => ({ id: 'p1', name: body.name }))
      .on('GET', 'projects/p1', { id: 'p1', name: 'fraud' })
      .on('GET', 'projects/p1/decision-sets', { decision_sets: [] });
    model = new DesignerModel(client);
  });

  afterEach(() => model.dispose());

  it('creates a project, selects it and follows its events', async () => {
    const project = await model.createProject('fraud');
    expect(project?.id).toBe('p1');
    expect(client.calls('POST', 'projects')[0].body).toEqual({ name: 'fraud' });
    expect(model.project?.name).toBe('fraud');
    expect(client.streams.has('projects/p1/events')).toBe(true);
  });

  it('keeps a new project when an older project list arrives after it', async () => {
    let answerList: (value: unknown) => void = () => undefined;
    client.on('GET', 'projects', new Promise(resolve => (answerList = resolve)));
    const listing = model.loadProjects();
    await model.createProject('fraud');
    answerList({ projects: [] }); // the list as it was before the project existed
    await listing;
    expect(model.projects.map(p => p.id)).toEqual(['p1']);
    expect(model.project?.id).toBe('p1');
  });

  it('submits requirements and shows the new decision set', async () => {
    client
      .on('POST', 'projects/p1/constraints', { job_id: 'j1', decision_set_id: 'ds1' })
      .on('GET', 'decision-sets/ds1', { ...awaiting, status: 'queued' });
    await model.createProject('fraud');
    const setId = await model.submitRequirements('AWS eu-west-1, PII, p99 < 100 ms');
    expect(setId).toBe('ds1');
    expect(client.calls('POST', 'projects/p1/constraints')[0].body).toEqual({
      text: 'AWS eu-west-1, PII, p99 < 100 ms'
    });
    expect(model.decisionSet?.status).toBe('queued');
    expect(model.canDecide).toBe(false);
  });

  it('refuses empty requirements without calling the server', async () => {
    await model.createProject('fraud');
    expect(await model.submitRequirements('   ')).toBeNull();
    expect(model.error).toBe('Write the requirements first.');
    expect(client.calls('POST', 'projects/p1/constraints')).toHaveLength(0);
  });

  it('reloads the decision set when the stream reports a status change', async () => {
    await model.createProject('fraud');
    client
      .on('GET', 'projects/p1/decision-sets', [awaiting])
      .on('GET', 'decision-sets/ds1', awaiting);
    client.push('projects/p1/events', {
      id: 1,
      kind: 'decision_set.status',
      payload: { decision_set_id: 'ds1', status: 'awaiting_approval' }
    });
    client.push('projects/p1/events', {
      id: 2,
      kind: 'reason_card',
      payload: {
        decision_set_id: 'ds1',
        id: 'c1',
        agent: 'planner',
        title: 'Serving',
        summary: 's',
        ts: 1
      }
    });
    client.push('projects/p1/events', {
      id: 3,
      kind: 'reason_card',
      payload: {
        decision_set_id: 'ds1',
        id: 'c2',
        agent: 'critic',
        title: 'Cost',
        summary: 's',
        ts: 2
      }
    });
    await settle();
    // One reload for the burst plus one follow-up for events that arrived
    // during it (1 initial load + 2), never one reload per event.
    expect(client.calls('GET', 'projects/p1/decision-sets')).toHaveLength(3);
    expect(model.decisionSet?.status).toBe('awaiting_approval');
    expect(model.canDecide).toBe(true);
    expect(model.feed.cards.map(c => c.title)).toEqual(['Serving', 'Cost']);
  });

  it('sends the decision with the version it was made on', async () => {
    await model.createProject('fraud');
    client
      .on('GET', 'projects/p1/decision-sets', [awaiting])
      .on('GET', 'decision-sets/ds1', awaiting)
      .on(
        'POST',
        'decision-sets/ds1/approve',
        new ApiError(409, 'stale_version', 'decision set changed')
      );
    await model.loadDecisionSets();

    expect(await model.decide('approve', 'ship it')).toBe(false);
    expect(model.error).toBe('decision set changed');
    expect(client.calls('POST', 'decision-sets/ds1/approve')[0].body).toEqual({
      decision: 'approve',
      version: 4,
      comment: 'ship it'
    });

    client.on('POST', 'decision-sets/ds1/approve', { status: 'generating' });
    expect(await model.decide('reject')).toBe(true);
    expect(model.error).toBeNull();
  });

  it('answers open questions with the version they were asked on', async () => {
    const waiting = {
      ...awaiting,
      status: 'awaiting_input',
      open_questions: ['Which cloud?']
    };
    await model.createProject('fraud');
    client
      .on('GET', 'projects/p1/decision-sets', [waiting])
      .on('GET', 'decision-sets/ds1', waiting)
      .on(
        'POST',
        'decision-sets/ds1/answer',
        new ApiError(422, 'invalid_body', 'an answer needs text or constraints')
      );
    await model.loadDecisionSets();
    expect(await model.answerQuestions('   ')).toBe(false);
    expect(client.calls('POST', 'decision-sets/ds1/answer')).toHaveLength(0);

    expect(await model.answerQuestions('AWS eu-west-1')).toBe(false);
    expect(model.error).toBe('an answer needs text or constraints');

    client
      .on('POST', 'decision-sets/ds1/answer', { job_id: 'j2', decision_set_id: 'ds1' })
      .on('GET', 'decision-sets/ds1', { ...waiting, status: 'planning', lock_version: 5 });
    expect(await model.answerQuestions('AWS eu-west-1')).toBe(true);
    expect(client.calls('POST', 'decision-sets/ds1/answer')[1].body).toEqual({
      text: 'AWS eu-west-1',
      version: 4
    });
    expect(model.error).toBeNull();
    expect(model.decisionSet?.status).toBe('planning');
    expect(await model.answerQuestions('more')).toBe(false);
    expect(model.error).toBe('No decision set is waiting for answers.');
  });

  it('asks for the diff against the previous version', async () => {
    const v2 = { ...awaiting, id: 'ds2', version: 2 };
    await model.createProject('fraud');
    client
      .on('GET', 'projects/p1/decision-sets', [v2, awaiting])
      .on('GET', 'decision-sets/ds2', v2)
      .on('GET', 'decision-sets/ds2/diff?against=ds1', { from: 'ds1', to: 'ds2', files: [] });
    await model.loadDecisionSets();
    expect(model.decisionSet?.id).toBe('ds2');
    expect(model.previousDecisionSet?.id).toBe('ds1');
    const diff = await model.diffAgainst('ds1');
    expect(diff).toEqual({ from: 'ds1', to: 'ds2', files: [] });
  });
});
