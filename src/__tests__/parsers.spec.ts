import { awaitsApproval, monthlyCost } from '../decisions';
import { ApiError, errorMessage, unwrapList } from '../errors';
import { EMPTY_FEED, parseStreamEvent, reasonCardFrom, reduceDesignerEvent } from '../feed';
import { projectNameFrom } from '../format';
import { describeHealth, healthFromReport, parseHealth } from '../health';
import type { IStreamEvent } from '../tokens';

const HEALTH = {
  status: 'ok',
  version: '0.1.0',
  database: { kind: 'sqlite', revision: '0001' },
  queue: { queued: 0, running: 1 },
  cluster: { target: 'local', running: false }
};

describe('health', () => {
  it('parses a complete report', () => {
    const report = parseHealth(HEALTH);
    expect(report.database).toEqual({ kind: 'sqlite', revision: '0001' });
    expect(report.queue).toEqual({ queued: 0, running: 1 });
    expect(healthFromReport(report).kind).toBe('healthy');
  });

  it('rejects a body without status', () => {
    expect(() => parseHealth({ version: '1' })).toThrow('no "status"');
    expect(() => parseHealth('ok')).toThrow('not a JSON object');
  });

  it('fills missing optional fields instead of failing', () => {
    const report = parseHealth({ status: 'ok' });
    expect(report.version).toBe('unknown');
    expect(report.database).toEqual({ kind: 'unknown', revision: null });
  });

  it('treats any status other than ok as degraded', () => {
    const state = healthFromReport(parseHealth({ ...HEALTH, status: 'migrating' }));
    expect(state.kind).toBe('degraded');
    const text = describeHealth(state);
    expect(text.label).toBe('agilab-lab: migrating');
    expect(text.ok).toBe(false);
  });

  it('describes healthy and unreachable states for the status bar', () => {
    const healthy = describeHealth(healthFromReport(parseHealth(HEALTH)));
    expect(healthy.label).toBe('agilab-lab: healthy');
    expect(healthy.ok).toBe(true);
    expect(healthy.tooltip).toContain('0.1.0');
    expect(healthy.tooltip).toContain('sqlite');
    expect(healthy.tooltip).toContain('revision 0001');

    const down = describeHealth({ kind: 'unreachable', message: 'HTTP 502' });
    expect(down).toEqual({ label: 'agilab-lab: unreachable', tooltip: 'HTTP 502', ok: false });
  });
});

describe('errors', () => {
  it('reads the server error envelope', () => {
    const error = ApiError.fromBody(422, {
      error: { code: 'invalid_body', message: 'name: required' }
    });
    expect(error.code).toBe('invalid_body');
    expect(error.message).toBe('name: required');
    expect(errorMessage(error)).toBe('name: required');
  });

  it('falls back to the status line for non-JSON bodies', () => {
    const error = ApiError.fromBody(502, '<html>bad gateway</html>', 'Bad Gateway');
    expect(error.code).toBe('http_502');
    expect(error.message).toBe('HTTP 502 <html>bad gateway</html>');
  });

  it('explains a bare 404 as a missing route', () => {
    expect(errorMessage(ApiError.fromBody(404, null, 'Not Found'))).toContain('not available');
    expect(errorMessage(new ApiError(404, 'not_found', 'no run abc'))).toBe('no run abc');
  });
});

describe('unwrapList', () => {
  it('accepts arrays and keyed objects', () => {
    expect(unwrapList([1, 2], 'apps')).toEqual([1, 2]);
    expect(unwrapList({ apps: [{ name: 'a' }] }, 'apps')).toEqual([{ name: 'a' }]);
    expect(unwrapList({ items: [3] }, 'runs')).toEqual([3]);
    expect(unwrapList({ other: 1 }, 'runs')).toEqual([]);
    expect(unwrapList(null, 'runs')).toEqual([]);
  });
});

describe('parseStreamEvent', () => {
  it('decodes an event-log frame', () => {
    const event = parseStreamEvent(
      '{"id": 7, "kind": "status", "payload": {"status": "running"}, "ts": "t"}'
    );
    expect(event).toEqual({
      id: 7,
      topic: undefined,
      kind: 'status',
      payload: { status: 'running' },
      ts: 't'
    });
  });

  it('takes the id from the SSE id field when the JSON has none', () => {
    expect(parseStreamEvent('{"kind": "x"}', '12')?.id).toBe(12);
  });

  it('ignores frames that are not event records', () => {
    expect(parseStreamEvent('not json')).toBeNull();
    expect(parseStreamEvent('[1]')).toBeNull();
    expect(parseStreamEvent('{"payload": {}}')).toBeNull();
  });
});

const card = (id: string, ts: number, extra: object = {}) => ({
  id,
  agent: 'planner',
  title: `card ${id}`,
  summary: 's',
  decision: 'd',
  alternatives: ['x'],
  confidence: 0.8,
  risk: 'medium',
  ts,
  ...extra
});

const event = (id: number, kind: string, payload: Record<string, unknown>): IStreamEvent => ({
  id,
  kind,
  payload
});

describe('reasonCardFrom', () => {
  it('reads a card from the payload or from payload.card', () => {
    expect(reasonCardFrom(card('a', 1))?.title).toBe('card a');
    expect(reasonCardFrom({ card: card('b', 2), decision_set_id: 'ds' })?.id).toBe('b');
  });

  it('normalises optional fields and rejects incomplete cards', () => {
    const normalised = reasonCardFrom({ id: 'c', agent: 'critic', title: 't', risk: 'extreme' });
    expect(normalised).toMatchObject({ risk: 'low', confidence: 1, alternatives: [], summary: '' });
    expect(reasonCardFrom({ id: 'c', title: 't' })).toBeNull();
  });
});

describe('reduceDesignerEvent', () => {
  it('collects cards in time order', () => {
    let feed = reduceDesignerEvent(EMPTY_FEED, event(1, 'reason_card', card('late', 20)));
    feed = reduceDesignerEvent(feed, event(2, 'reason_card', card('early', 10)));
    expect(feed.cards.map(c => c.id)).toEqual(['early', 'late']);
    expect(feed.lastEventId).toBe(2);
    expect(feed.log).toEqual([]);
  });

  it('ignores replayed events and replaces a re-sent card', () => {
    let feed = reduceDesignerEvent(EMPTY_FEED, event(5, 'reason_card', card('a', 1)));
    const replay = reduceDesignerEvent(feed, event(5, 'reason_card', card('a', 1)));
    expect(replay).toBe(feed);
    feed = reduceDesignerEvent(feed, event(6, 'reason_card', card('a', 1, { summary: 'updated' })));
    expect(feed.cards).toHaveLength(1);
    expect(feed.cards[0].summary).toBe('updated');
  });

  it('tracks the newest decision set and its status', () => {
    let feed = reduceDesignerEvent(
      EMPTY_FEED,
      event(1, 'status', { decision_set_id: 'ds1', status: 'running' })
    );
    feed = reduceDesignerEvent(
      feed,
      event(2, 'status', { decision_set_id: 'ds1', status: 'awaiting_approval' })
    );
    expect(feed.decisionSetId).toBe('ds1');
    expect(feed.statuses).toEqual({ ds1: 'awaiting_approval' });
    expect(feed.log.map(l => l.text)).toEqual(['status: running', 'status: awaiting_approval']);
  });

  it('does not mutate the previous feed', () => {
    const before = reduceDesignerEvent(EMPTY_FEED, event(1, 'reason_card', card('a', 1)));
    reduceDesignerEvent(before, event(2, 'reason_card', card('b', 2)));
    expect(before.cards).toHaveLength(1);
    expect(EMPTY_FEED.cards).toHaveLength(0);
  });
});

describe('small helpers', () => {
  it('reads the monthly cost from the view or from the cost critic', () => {
    const base = { id: 'd', project_id: 'p', version: 1, status: 'generated' };
    expect(monthlyCost({ ...base, monthly_usd: 812.5 })).toBe(812.5);
    expect(monthlyCost({ ...base, critics: { cost: { monthly_usd: 90 } } })).toBe(90);
    expect(monthlyCost(base)).toBeNull();
  });

  it('knows which statuses await a human decision', () => {
    expect(awaitsApproval({ status: 'awaiting_approval' })).toBe(true);
    expect(awaitsApproval({ status: 'awaiting_input' })).toBe(false);
    expect(awaitsApproval({ status: 'generated' })).toBe(false);
    expect(awaitsApproval(null)).toBe(false);
  });

  it('derives a project name from requirements', () => {
    expect(projectNameFrom('  Real-time fraud scoring on AWS eu-west-1 with PII data  ')).toBe(
      'Real-time fraud scoring on AWS eu-west-1'
    );
    expect(projectNameFrom('   ')).toBe('Untitled design');
  });
});
