import {
  constraintChanges,
  constraintRows,
  evidenceSpans,
  isMoving,
  parseConstraint
} from '../decisions';
import { costDeltaText, sideBySide } from '../diff';
import { appendLog, mergeStep, validationStepFrom } from '../feed';
import { stepVerdict } from '../components/DesignParts';
import { appNameFrom } from '../components/DesignView';
import { formatSeconds, formatStart, humanSize, mlflowInfo, statusLabel } from '../format';

describe('format', () => {
  it('writes sizes, durations and start times for people', () => {
    expect(humanSize(0)).toBe('0 B');
    expect(humanSize(999)).toBe('999 B');
    expect(humanSize(1536)).toBe('1.5 kB');
    expect(humanSize(48_213_000)).toBe('48.2 MB');
    expect(humanSize(undefined)).toBe('');
    expect(formatSeconds(0.4213)).toBe('0.42 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    const now = new Date('2026-12-03T10:00:00Z');
    expect(formatStart('2026-12-03T09:05:07', now)).toMatch(/\d\d:\d\d:\d\d/);
    expect(formatStart('2026-11-28T09:05:07', now)).toMatch(/28/);
    expect(formatStart('garbage', now)).toBe('');
  });

  it('turns status words into labels', () => {
    expect(statusLabel('awaiting_approval')).toBe('Awaiting approval');
    expect(statusLabel('awaiting_input')).toBe('Needs answers');
    expect(statusLabel('some_new_state')).toBe('Some new state');
  });
});

describe('decisions', () => {
  const constraints = {
    cloud: 'aws',
    regions: ['eu-west-1'],
    budget_monthly_usd: null,
    latency_slo: { percentile: 99, ms: 100 },
    evidence: { cloud: 'AWS', regions: 'eu-west-1', latency_slo: 'p99 under 100 ms' },
    confidence: { cloud: 0.95 }
  };

  it('lays constraints out as value / evidence / confidence / open rows', () => {
    const rows = constraintRows(constraints);
    const byField = Object.fromEntries(rows.map(r => [r.field, r]));
    expect(byField.cloud).toEqual({
      field: 'cloud',
      value: 'aws',
      evidence: 'AWS',
      confidence: 0.95,
      open: false
    });
    expect(byField.latency_slo.value).toBe('p99 ≤ 100 ms');
    expect(byField.budget_monthly_usd.open).toBe(true);
  });

  it('parses edited cells back into typed values, refusing nonsense', () => {
    expect(parseConstraint('regions', 'eu-west-1, EU-central-1')).toEqual([
      'eu-west-1',
      'eu-central-1'
    ]);
    expect(parseConstraint('budget_monthly_usd', '$8,000')).toBe(8000);
    expect(parseConstraint('latency_slo', 'p95 ≤ 250 ms')).toEqual({ percentile: 95, ms: 250 });
    expect(parseConstraint('cloud', '  ')).toBeNull();
    expect(() => parseConstraint('throughput_rps', 'lots')).toThrow('must be a number');
  });

  it('highlights each evidence quote in the requirements once', () => {
    const text = 'Fraud scoring on AWS in eu-west-1, p99 under 100 ms.';
    const spans = evidenceSpans(text, constraints.evidence);
    expect(spans.map(s => s.text).join('')).toBe(text);
    expect(spans.filter(s => s.fields.length).map(s => [s.text, s.fields])).toEqual([
      ['AWS', ['cloud']],
      ['eu-west-1', ['regions']],
      ['p99 under 100 ms', ['latency_slo']]
    ]);
    expect(evidenceSpans(text, { cloud: 'GCP' })).toEqual([{ text, fields: [] }]);
  });

  it('lists constraint changes between versions and knows moving statuses', () => {
    const a = { id: 'a', project_id: 'p', version: 1, status: 'generated', constraints };
    const b = {
      ...a,
      id: 'b',
      version: 2,
      constraints: { ...constraints, budget_monthly_usd: 500 }
    };
    expect(constraintChanges(a, b)).toEqual([{ field: 'budget_monthly_usd', from: '', to: '500' }]);
    expect(isMoving({ status: 'generating' })).toBe(true);
    expect(isMoving({ status: 'awaiting_approval' })).toBe(false);
  });
});

describe('diff', () => {
  it('pairs removed and added lines side by side with line numbers', () => {
    const patch =
      '--- a/x.py\n+++ b/x.py\n@@ -1,3 +1,3 @@\n a = 1\n-b = 2\n+b = 3\n+c = 4\n d = 5\n';
    const rows = sideBySide(patch);
    expect(rows[0]).toEqual({ hunk: '@@ -1,3 +1,3 @@' });
    expect(
      rows
        .slice(1)
        .map(r => ('left' in r ? [r.left.line, r.left.kind, r.right.line, r.right.kind] : r))
    ).toEqual([
      [1, 'context', 1, 'context'],
      [2, 'removed', 2, 'added'],
      [null, 'empty', 3, 'added'],
      [3, 'context', 4, 'context']
    ]);
  });

  it('keeps removed lines that start with dashes', () => {
    const rows = sideBySide('@@ -1 +1 @@\n---- old rule\n+++ new rule\n');
    expect(rows[1]).toMatchObject({
      left: { text: '--- old rule' },
      right: { text: '++ new rule' }
    });
  });

  it('says the cost change with its sign', () => {
    expect(costDeltaText({ cost_delta_usd: 120, cost_delta_pct: 4 })).toBe(
      '+$120.00 / month (+4.0%)'
    );
    expect(costDeltaText({ cost_delta_usd: -8.5, cost_delta_pct: -1.13 })).toBe(
      '−$8.50 / month (−1.1%)'
    );
    expect(costDeltaText({ cost_delta_usd: 0 })).toBe('no cost change');
  });
});

describe('feed', () => {
  it('merges validation steps: a finish replaces its start, checkov families fold', () => {
    let steps = mergeStep([], validationStepFrom({ name: 'checkov', state: 'started' })!);
    steps = mergeStep(steps, validationStepFrom({ name: 'ruff', state: 'started' })!);
    steps = mergeStep(steps, {
      name: 'checkov_terraform',
      state: 'finished',
      passed: true,
      seconds: 2
    });
    steps = mergeStep(steps, { name: 'ruff', state: 'finished', passed: false, seconds: 0.1 });
    expect(steps.map(s => [s.name, s.state])).toEqual([
      ['checkov_terraform', 'finished'],
      ['ruff', 'finished']
    ]);
    expect(validationStepFrom({ name: 'x', state: 'exploded' })).toBeNull();
    const skipped = validationStepFrom({
      name: 'terraform_init',
      state: 'finished',
      passed: true,
      skipped: true
    })!;
    expect(stepVerdict(skipped)).toEqual({ label: 'skipped', status: 'skipped' });
    expect(stepVerdict({ name: 'ruff', state: 'finished', passed: false }).label).toBe('failed');
    expect(stepVerdict({ name: 'ruff', state: 'started' }).label).toBe('running');
  });

  it('keeps log lines in order and drops replays', () => {
    let log = appendLog([], { id: 1, kind: 'log', payload: { worker: 'w0', line: 'a' } });
    log = appendLog(log, { id: 1, kind: 'log', payload: { worker: 'w0', line: 'a' } });
    log = appendLog(log, {
      id: 2,
      kind: 'log',
      payload: { worker: 'w0', stream: 'stderr', lines: ['b', 'c'] }
    });
    log = appendLog(log, { id: 2, kind: 'log', payload: { worker: 'w0', lines: ['replayed'] } });
    log = appendLog(log, { id: 3, kind: 'worker', payload: { worker: 'w0', state: 'finished' } });
    expect(log.map(l => [l.stream, l.text])).toEqual([
      ['stdout', 'a'],
      ['stderr', 'b'],
      ['stderr', 'c'],
      ['event', 'worker: finished']
    ]);
  });
});

describe('run view', () => {
  it('shows the MLflow run as a link, else its id, else the tracking error', () => {
    const url = 'http://127.0.0.1:5000/#/experiments/1/runs/abc';
    expect(mlflowInfo({ mlflow: { url, run_id: 'abc' } })).toEqual({
      text: 'MLflow run',
      href: url
    });
    expect(mlflowInfo({ mlflow: { run_id: 'abc' } })).toEqual({ text: 'MLflow run abc' });
    expect(mlflowInfo({ mlflow: { url: 'javascript:alert(1)', run_id: 'abc' } })).toEqual({
      text: 'MLflow run abc'
    });
    expect(mlflowInfo({ mlflow: { error: 'no tracking store' } })).toEqual({
      text: 'MLflow: no tracking store'
    });
    expect(mlflowInfo({ request: {} })).toBeNull();
    expect(mlflowInfo(undefined)).toBeNull();
  });
});

describe('design view', () => {
  it('suggests an app name the server accepts', () => {
    const ok = /^[a-z][a-z0-9_]*$/;
    for (const text of ['Nightly forecasting!', '2026 fraud scoring', '  ', 'Ünïcode ops']) {
      expect(appNameFrom(text)).toMatch(ok);
    }
    expect(appNameFrom('Nightly forecasting!')).toBe('nightly_forecasting');
  });
});
