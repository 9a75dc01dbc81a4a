/**
 * Designer tab: projects, requirements, the decision set on screen with its
 * policy and cost, the approval gate, diffs and the live reason cards.
 */
import React, { useState } from 'react';

import type { DesignerModel } from '../designer';
import { awaitsApproval, monthlyCost } from '../reducers';
import type { ApprovalDecision, IDecisionSet } from '../tokens';
import { ErrorBanner, SectionHeader, StatusBadge } from './common';
import { ReasonCardList } from './ReasonCards';

function ProjectPicker(props: { model: DesignerModel }): JSX.Element {
  const { model } = props;
  const [name, setName] = useState('');
  const create = async () => {
    if (await model.createProject(name.trim())) {
      setName('');
    }
  };
  return (
    <div className="jp-AgilabLab-row">
      <select
        className="jp-AgilabLab-select"
        aria-label="project"
        value={model.project?.id ?? ''}
        onChange={event => void model.selectProject(event.target.value || null)}
      >
        <option value="">Choose a project…</option>
        {model.projects.map(project => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </select>
      <input
        className="jp-AgilabLab-input"
        aria-label="new project name"
        placeholder="new project name"
        value={name}
        onChange={event => setName(event.target.value)}
      />
      <button
        className="jp-mod-styled jp-mod-accept"
        disabled={!name.trim() || model.busy}
        onClick={() => void create()}
      >
        Create
      </button>
    </div>
  );
}

function Requirements(props: { model: DesignerModel }): JSX.Element {
  const { model } = props;
  const [text, setText] = useState('');
  return (
    <div className="jp-AgilabLab-requirements">
      <textarea
        className="jp-AgilabLab-textarea"
        aria-label="requirements"
        rows={5}
        placeholder="Describe the system: cloud, regions, data classes, latency, budget, workloads…"
        value={text}
        onChange={event => setText(event.target.value)}
      />
      <button
        className="jp-mod-styled jp-mod-accept"
        disabled={!text.trim() || model.busy}
        onClick={() => void model.submitRequirements(text)}
      >
        Submit requirements
      </button>
    </div>
  );
}

function DecisionSetSummary(props: { set: IDecisionSet }): JSX.Element {
  const { set } = props;
  const cost = monthlyCost(set);
  const violations = set.policy?.violations ?? [];
  return (
    <div className="jp-AgilabLab-decisionSet" data-decision-set={set.id}>
      <div className="jp-AgilabLab-row">
        <span>Version {set.version}</span>
        <StatusBadge status={set.status} />
        {cost !== null && <span className="jp-AgilabLab-cost">${cost.toFixed(0)} / month</span>}
      </div>
      {set.plan?.components && set.plan.components.length > 0 && (
        <table className="jp-AgilabLab-table">
          <tbody>
            {set.plan.components.map(c => (
              <tr key={c.capability}>
                <td>{c.capability}</td>
                <td>{c.service}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {set.error && <div className="jp-AgilabLab-error">{set.error}</div>}
      {set.policy && (
        <div className={set.policy.passed ? 'jp-AgilabLab-ok' : 'jp-AgilabLab-error'}>
          {set.policy.passed ? 'Policy checks passed' : `${violations.length} policy violation(s)`}
        </div>
      )}
      {violations.length > 0 && (
        <ul className="jp-AgilabLab-violations">
          {violations.map(v => (
            <li key={`${v.rule}-${v.message}`}>
              <code>{v.rule}</code> {v.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ClarifyGate(props: { model: DesignerModel; set: IDecisionSet }): JSX.Element {
  const { model, set } = props;
  const [answer, setAnswer] = useState('');
  const submit = async () => {
    if (await model.answerQuestions(answer)) {
      setAnswer('');
    }
  };
  return (
    <div className="jp-AgilabLab-gate">
      <div>The requirements leave these questions open:</div>
      <ul className="jp-AgilabLab-questions">
        {(set.open_questions ?? []).map(question => (
          <li key={question}>{question}</li>
        ))}
      </ul>
      <textarea
        className="jp-AgilabLab-textarea"
        aria-label="answer to open questions"
        rows={3}
        placeholder="Answer the questions: cloud and region, budget, workload, data classes…"
        value={answer}
        onChange={event => setAnswer(event.target.value)}
      />
      <button
        className="jp-mod-styled jp-mod-accept"
        disabled={!answer.trim() || model.busy}
        onClick={() => void submit()}
      >
        Answer
      </button>
    </div>
  );
}

function ApprovalGate(props: { model: DesignerModel }): JSX.Element {
  const { model } = props;
  const [comment, setComment] = useState('');
  const decide = async (decision: ApprovalDecision) => {
    if (await model.decide(decision, comment)) {
      setComment('');
    }
  };
  const disabled = !model.canDecide;
  return (
    <div className="jp-AgilabLab-gate">
      <input
        className="jp-AgilabLab-input"
        aria-label="approval comment"
        placeholder="comment (optional)"
        value={comment}
        disabled={disabled}
        onChange={event => setComment(event.target.value)}
      />
      <div className="jp-AgilabLab-row">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={disabled}
          onClick={() => void decide('approve')}
        >
          Approve
        </button>
        <button
          className="jp-mod-styled jp-mod-warn"
          disabled={disabled}
          onClick={() => void decide('revise')}
        >
          Revise
        </button>
        <button
          className="jp-mod-styled jp-mod-reject"
          disabled={disabled}
          onClick={() => void decide('reject')}
        >
          Reject
        </button>
      </div>
    </div>
  );
}

export function DesignerPanel(props: {
  model: DesignerModel;
  onOpenDiff: (againstId: string) => void;
}): JSX.Element {
  const { model } = props;
  const set = model.decisionSet;
  const previous = model.previousDecisionSet;
  return (
    <div className="jp-AgilabLab-panel">
      <SectionHeader
        title="Designer"
        action={{ label: 'Refresh', onClick: () => void model.loadProjects() }}
      />
      <ErrorBanner message={model.error} />
      <ProjectPicker model={model} />
      {model.project && <Requirements model={model} />}
      {model.decisionSets.length > 1 && (
        <select
          className="jp-AgilabLab-select"
          aria-label="decision set version"
          value={set?.id ?? ''}
          onChange={event => void model.selectDecisionSet(event.target.value)}
        >
          {model.decisionSets.map(s => (
            <option key={s.id} value={s.id}>
              v{s.version} · {s.status}
            </option>
          ))}
        </select>
      )}
      {set && <DecisionSetSummary set={set} />}
      {set?.status === 'awaiting_input' && <ClarifyGate model={model} set={set} />}
      {set && awaitsApproval(set) && <ApprovalGate model={model} />}
      {set && (
        <div className="jp-AgilabLab-row">
          {previous && (
            <button className="jp-mod-styled" onClick={() => props.onOpenDiff(previous.id)}>
              Diff against v{previous.version}
            </button>
          )}
          {set.status === 'generated' && (
            <a
              className="jp-AgilabLab-link"
              href={model.zipUrl(set.id)}
              target="_blank"
              rel="noreferrer"
            >
              Download repository (zip)
            </a>
          )}
        </div>
      )}
      {model.project && (
        <>
          <h4>Reason cards</h4>
          <ReasonCardList cards={model.feed.cards} />
          {model.feed.log.length > 0 && (
            <ol className="jp-AgilabLab-log">
              {model.feed.log.slice(-20).map(line => (
                <li key={`${line.id}-${line.kind}`}>{line.text}</li>
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
