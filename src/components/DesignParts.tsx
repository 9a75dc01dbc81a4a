/**
 * The pieces of the design view: requirements with evidence, the constraints
 * table, the plan with costs, critics and policy findings, validation steps.
 */
import React from 'react';

import { constraintRows, evidenceSpans, monthlyCost } from '../decisions';
import { formatSeconds, formatUsd } from '../format';
import type { IDecisionSet, IFinding, IValidationStep } from '../tokens';

/** The requirements text with each constraint's evidence quote highlighted. */
export function RequirementsText(props: { set: IDecisionSet }): JSX.Element {
  const text = props.set.requirements_text ?? '';
  if (!text.trim()) {
    return (
      <p className="jp-AgilabLab-muted">This version was given typed constraints, not text.</p>
    );
  }
  const evidence = (props.set.constraints?.evidence ?? {}) as Record<string, unknown>;
  return (
    <blockquote className="jp-AgilabLab-requirementsText">
      {evidenceSpans(text, evidence).map((span, i) =>
        span.fields.length ? (
          <mark
            key={i}
            title={`evidence of ${span.fields.join(', ')}`}
            data-fields={span.fields.join(' ')}
          >
            {span.text}
          </mark>
        ) : (
          <span key={i}>{span.text}</span>
        )
      )}
    </blockquote>
  );
}

/**
 * Constraints as value / evidence / confidence rows. While the version awaits
 * approval the values are editable: edits go with a revision.
 */
export function ConstraintsTable(props: {
  set: IDecisionSet;
  editable: boolean;
  edits: Record<string, string>;
  onEdit: (field: string, value: string) => void;
}): JSX.Element {
  const rows = constraintRows(props.set.constraints);
  return (
    <table className="jp-AgilabLab-table jp-AgilabLab-constraints">
      <thead>
        <tr>
          <th>constraint</th>
          <th>value</th>
          <th>evidence</th>
          <th title="confidence">conf.</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(row => {
          const edited = props.edits[row.field];
          return (
            <tr key={row.field} data-field={row.field} className={row.open ? 'jp-mod-open' : ''}>
              <th scope="row">{row.field}</th>
              <td>
                {props.editable ? (
                  <input
                    className="jp-AgilabLab-input"
                    aria-label={`value of ${row.field}`}
                    value={edited ?? row.value}
                    placeholder={row.open ? 'not stated' : ''}
                    onChange={event => props.onEdit(row.field, event.target.value)}
                  />
                ) : (
                  row.value || <span className="jp-AgilabLab-muted">not stated</span>
                )}
              </td>
              <td className="jp-AgilabLab-evidence">
                {row.evidence ? <q>{row.evidence}</q> : row.open ? <em>open question</em> : ''}
              </td>
              <td>{row.confidence === null ? '' : `${Math.round(row.confidence * 100)}%`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Sizing in one short line (how each figure was priced stays in the tooltip). */
function sizing(value: Record<string, unknown> | undefined): { short: string; full: string } {
  const entries = Object.entries(value ?? {}).map(
    ([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as const
  );
  const full = entries.map(([k, v]) => `${k}: ${v}`).join('\n');
  const short = entries
    .filter(([k, v]) => !/cost|basis|encryption|exposure/.test(k) && v.length <= 40)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return { short, full };
}

/** The plan's components with sizing, cost and the alternatives that lost; total vs budget. */
export function PlanTable(props: { set: IDecisionSet }): JSX.Element {
  const { set } = props;
  const components = set.plan?.components ?? [];
  const total = monthlyCost(set);
  const budget = set.constraints?.budget_monthly_usd;
  const over = typeof budget === 'number' && total !== null && total > budget;
  if (components.length === 0) {
    return <p className="jp-AgilabLab-muted">No plan yet.</p>;
  }
  return (
    <>
      <table className="jp-AgilabLab-table jp-AgilabLab-plan">
        <thead>
          <tr>
            <th>capability</th>
            <th>service</th>
            <th>sizing</th>
            <th>$/month</th>
          </tr>
        </thead>
        <tbody>
          {components.map(c => (
            <tr key={c.capability} data-capability={c.capability}>
              <th scope="row">{c.capability}</th>
              <td>
                {c.service}
                {c.alternatives && c.alternatives.length > 0 && (
                  <details>
                    <summary>{c.alternatives.length} alternatives lost</summary>
                    <ul>
                      {c.alternatives.map(a => (
                        <li key={a.service}>
                          {a.service}
                          {typeof a.monthly_usd === 'number'
                            ? ` (${formatUsd(a.monthly_usd)})`
                            : ''}
                          : {a.reason_lost}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
              <td className="jp-AgilabLab-muted" title={sizing(c.sizing).full}>
                {sizing(c.sizing).short}
              </td>
              <td className="jp-AgilabLab-number">{formatUsd(c.monthly_usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={`jp-AgilabLab-total ${over ? 'jp-mod-over' : ''}`} data-over={over}>
        Total {formatUsd(total)} / month
        {typeof budget === 'number'
          ? ` against a budget of ${formatUsd(budget)}`
          : ' (no budget stated)'}
        {over ? ' — over budget' : ''}
      </div>
    </>
  );
}

function Finding(props: { finding: IFinding }): JSX.Element {
  const { finding } = props;
  const severity = finding.blocking === false ? 'warning' : 'error';
  return (
    <li className={`jp-AgilabLab-finding jp-mod-${severity}`}>
      <span className={`jp-AgilabLab-badge jp-AgilabLab-severity-${severity}`}>{severity}</span>{' '}
      <strong>
        {finding.critic ?? ''} {finding.kind}
      </strong>
      {finding.capability ? ` (${finding.capability})` : ''}: {finding.message}
    </li>
  );
}

/** Critics' findings and policy violations, each with its severity. */
export function CriticsAndPolicy(props: { set: IDecisionSet }): JSX.Element {
  const { set } = props;
  const findings = [
    ...(set.critics?.technical?.findings ?? []),
    ...(set.critics?.cost?.findings ?? [])
  ];
  const violations = set.policy?.violations ?? [];
  return (
    <div className="jp-AgilabLab-critics">
      <h4>Critics</h4>
      {set.critics ? (
        findings.length === 0 ? (
          <p className="jp-AgilabLab-ok">No finding: latency, throughput and budget hold.</p>
        ) : (
          <ul className="jp-AgilabLab-list">
            {findings.map((f, i) => (
              <Finding key={i} finding={f} />
            ))}
          </ul>
        )
      ) : (
        <p className="jp-AgilabLab-muted">Not reviewed yet.</p>
      )}
      <h4>Policy</h4>
      {set.policy ? (
        <>
          <p className={set.policy.passed ? 'jp-AgilabLab-ok' : 'jp-AgilabLab-error'}>
            {set.policy.passed
              ? 'Policy checks passed'
              : `${violations.length} policy violation${violations.length === 1 ? '' : 's'}`}
          </p>
          <ul className="jp-AgilabLab-list">
            {violations.map(v => (
              <li key={`${v.rule}-${v.message}`} className="jp-AgilabLab-finding">
                <span
                  className={`jp-AgilabLab-badge jp-AgilabLab-severity-${v.severity ?? 'error'}`}
                >
                  {v.severity ?? 'error'}
                </span>{' '}
                <code>{v.rule}</code> {v.message}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="jp-AgilabLab-muted">Not checked yet.</p>
      )}
    </div>
  );
}

/** The badge of a step: running, skipped (could not run here), passed or failed. */
export function stepVerdict(step: IValidationStep): { label: string; status: string } {
  if (step.state === 'started') {
    return { label: 'running', status: 'running' };
  }
  if (step.skipped) {
    return { label: 'skipped', status: 'skipped' };
  }
  return step.passed
    ? { label: 'passed', status: 'succeeded' }
    : { label: 'failed', status: 'failed' };
}

/** Validation checks of the generated repository: live steps while generating, then the results. */
export function ValidationSteps(props: {
  steps: readonly IValidationStep[];
  set: IDecisionSet;
}): JSX.Element | null {
  const final = props.set.validation?.checks ?? [];
  const rows: IValidationStep[] =
    props.set.status === 'generated' && final.length
      ? final.map(c => ({ ...c, state: 'finished' as const }))
      : [...props.steps];
  if (rows.length === 0) {
    return props.set.status === 'generating' ? (
      <p className="jp-AgilabLab-muted">Rendering the repository…</p>
    ) : null;
  }
  return (
    <ul className="jp-AgilabLab-list jp-AgilabLab-steps" aria-live="polite">
      {rows.map(step => (
        <li
          key={step.name}
          className="jp-AgilabLab-step"
          data-step={step.name}
          data-state={step.state}
        >
          <span className={`jp-AgilabLab-badge jp-AgilabLab-status-${stepVerdict(step).status}`}>
            {stepVerdict(step).label}
          </span>{' '}
          {step.name}
          {step.seconds !== undefined && (
            <span className="jp-AgilabLab-muted"> {formatSeconds(step.seconds)}</span>
          )}
          {step.details && (step.passed === false || step.skipped) && (
            <details>
              <summary>why</summary>
              <pre className="jp-AgilabLab-json">{step.details}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
