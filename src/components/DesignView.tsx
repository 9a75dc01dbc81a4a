/**
 * The design view (a main-area tab per project), in three panes:
 * requirements with evidence | constraints, plan and costs | critics, policy,
 * the approval gate, validation, generated files and the streaming reason cards.
 */
import React, { useRef, useState } from 'react';

import type { IDesignApp } from '../api';
import { awaitsApproval, isMoving, parseConstraint } from '../decisions';
import type { IDecisionSet, IProjectModel, IUnpacked } from '../tokens';
import { ErrorBanner, StatusBadge } from './common';
import {
  ConstraintsTable,
  CriticsAndPolicy,
  PlanTable,
  RequirementsText,
  ValidationSteps
} from './DesignParts';
import { ReasonCardList } from './ReasonCards';

/** What the design view asks of Lab. */
export interface IDesignActions {
  /** Ask the user to confirm a rejection (a destructive dialog). */
  confirmReject: () => Promise<boolean>;
  openDiff: (model: IProjectModel, againstId: string) => void;
  /** Show a folder of the Jupyter root in the file browser. */
  openFolder: (path: string) => void;
  /** Open a file of the Jupyter root in Lab's editor. */
  openFile: (path: string) => void;
  /** Ask for an app name and make a runtime app of a generated design; null when cancelled. */
  makeApp?: (decisionSetId: string, suggested: string) => Promise<IDesignApp | null>;
}

/** A lower-case Python identifier the server accepts as an app name. */
export function appNameFrom(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  return /^[a-z]/.test(name) ? name : `app_${name}`.replace(/_+$/, '');
}

/** `POST decision-sets/{id}/app` behind a name dialog; the answer or the error stays inline. */
function MakeAppButton(props: {
  decisionSetId: string;
  suggested: string;
  makeApp: NonNullable<IDesignActions['makeApp']>;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<IDesignApp | null>(null);
  const [error, setError] = useState<string | null>(null);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await props.makeApp(props.decisionSetId, props.suggested);
      if (answer) {
        setMade(answer);
      }
    } catch (reason) {
      setError(String((reason as Error)?.message ?? reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="jp-AgilabLab-row jp-AgilabLab-makeApp">
      <button className="jp-Button jp-mod-styled" disabled={busy} onClick={() => void click()}>
        {busy ? 'Making app…' : 'Make runtime app'}
      </button>
      {made && (
        <span className="jp-AgilabLab-muted">
          App <code>{made.app}</code> is in the Apps panel ({made.path})
        </span>
      )}
      {error && (
        <span className="jp-AgilabLab-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** Submit on Ctrl/Cmd+Enter in a text area (Enter alone adds a line). */
function submitOnCtrlEnter(submit: () => void) {
  return (event: React.KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  };
}

function NewVersion(props: { model: IProjectModel; autoFocus?: boolean }): JSX.Element {
  const { model } = props;
  const [text, setText] = useState('');
  const blocked = model.designing || model.busy;
  const submit = async () => {
    if (!blocked && text.trim() && (await model.submitRequirements(text))) {
      setText('');
    }
  };
  return (
    <form
      className="jp-AgilabLab-requirements"
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
      <textarea
        className="jp-AgilabLab-textarea"
        aria-label="requirements"
        rows={6}
        placeholder="Describe the system: cloud, regions, data classes, latency, budget, workloads…"
        value={text}
        // A new design starts here: keyboard users land in the box.
        autoFocus={props.autoFocus}
        onChange={event => setText(event.target.value)}
        onKeyDown={submitOnCtrlEnter(() => void submit())}
      />
      <div className="jp-AgilabLab-row">
        <button
          type="submit"
          className="jp-mod-styled jp-mod-accept"
          disabled={!text.trim() || blocked}
        >
          {model.decisionSets.length ? 'Submit as a new version' : 'Submit requirements'}
        </button>
        {model.designing && (
          <span className="jp-AgilabLab-muted">A version is being designed…</span>
        )}
      </div>
    </form>
  );
}

function ClarifyGate(props: { model: IProjectModel; set: IDecisionSet }): JSX.Element {
  const { model, set } = props;
  const [answer, setAnswer] = useState('');
  const submit = async () => {
    if (answer.trim() && !model.busy && (await model.answerQuestions(answer))) {
      setAnswer('');
    }
  };
  return (
    <form
      className="jp-AgilabLab-gate"
      onSubmit={event => {
        event.preventDefault();
        void submit();
      }}
    >
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
        onKeyDown={submitOnCtrlEnter(() => void submit())}
      />
      <button
        type="submit"
        className="jp-mod-styled jp-mod-accept"
        disabled={!answer.trim() || model.busy}
      >
        Answer
      </button>
    </form>
  );
}

/** Approve / revise (comment required, inline) / reject (confirmed, destructive). */
function ApprovalGate(props: {
  model: IProjectModel;
  edits: Record<string, string>;
  onDecided: () => void;
  confirmReject: () => Promise<boolean>;
}): JSX.Element {
  const { model } = props;
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const commentRef = useRef<HTMLInputElement>(null);
  const disabled = !model.canDecide;
  const edited = Object.keys(props.edits).length > 0;

  const revise = async () => {
    if (!comment.trim()) {
      setProblem('Say what to revise: a comment is required.');
      commentRef.current?.focus();
      return;
    }
    let constraints: Record<string, unknown> | undefined;
    try {
      constraints = edited
        ? Object.fromEntries(
            Object.entries(props.edits).map(([field, text]) => [
              field,
              parseConstraint(field, text)
            ])
          )
        : undefined;
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      return;
    }
    setProblem(null);
    if (await model.decide('revise', comment, constraints)) {
      setComment('');
      props.onDecided();
    }
  };
  const approve = async () => {
    setProblem(null);
    if (await model.decide('approve', comment)) {
      setComment('');
    }
  };
  const reject = async () => {
    setProblem(null);
    if ((await props.confirmReject()) && (await model.decide('reject', comment))) {
      setComment('');
    }
  };
  return (
    <div className="jp-AgilabLab-gate" role="group" aria-label="approval">
      <label className="jp-AgilabLab-field">
        <span>
          Comment {edited ? '(required to revise with your edits)' : '(required to revise)'}
        </span>
        <input
          ref={commentRef}
          className="jp-AgilabLab-input"
          aria-label="approval comment"
          aria-invalid={problem !== null}
          aria-describedby="agilab-approval-problem"
          value={comment}
          disabled={disabled}
          onChange={event => {
            setComment(event.target.value);
            setProblem(null);
          }}
        />
      </label>
      {problem && (
        <div id="agilab-approval-problem" className="jp-AgilabLab-error" role="alert">
          {problem}
        </div>
      )}
      <div className="jp-AgilabLab-row">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={disabled}
          onClick={() => void approve()}
        >
          Approve
        </button>
        <button className="jp-mod-styled" disabled={disabled} onClick={() => void revise()}>
          {edited ? 'Revise with edits' : 'Revise'}
        </button>
        <button
          className="jp-mod-styled jp-mod-warn"
          disabled={disabled}
          onClick={() => void reject()}
        >
          Reject…
        </button>
      </div>
    </div>
  );
}

function GeneratedFiles(props: { model: IProjectModel; actions: IDesignActions }): JSX.Element {
  const { model, actions } = props;
  const [unpacked, setUnpacked] = useState<IUnpacked | null>(null);
  const open = async () => {
    const result = unpacked ?? (await model.unpack());
    if (result) {
      setUnpacked(result);
      actions.openFolder(result.path);
    }
  };
  const zip = model.zipUrl();
  return (
    <div className="jp-AgilabLab-generated">
      <div className="jp-AgilabLab-row">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={model.busy}
          onClick={() => void open()}
        >
          Open files in Lab
        </button>
        {unpacked?.report && (
          <button className="jp-mod-styled" onClick={() => actions.openFile(unpacked.report!)}>
            Open report
          </button>
        )}
        {zip && (
          <a className="jp-AgilabLab-link" href={zip} download>
            Download zip
          </a>
        )}
      </div>
      {unpacked && (
        <div className="jp-AgilabLab-muted">
          {unpacked.files} files in <code>{unpacked.path}</code>
        </div>
      )}
      {actions.makeApp && model.decisionSet && (
        <MakeAppButton
          decisionSetId={model.decisionSet.id}
          suggested={appNameFrom(model.project?.name ?? 'design')}
          makeApp={actions.makeApp}
        />
      )}
    </div>
  );
}

function Versions(props: { model: IProjectModel; actions: IDesignActions }): JSX.Element | null {
  const { model } = props;
  const set = model.decisionSet;
  const previous = model.previousDecisionSet;
  if (!set) {
    return null;
  }
  return (
    <div className="jp-AgilabLab-row">
      <select
        className="jp-AgilabLab-select"
        aria-label="version"
        value={set.id}
        onChange={event => void model.selectDecisionSet(event.target.value)}
      >
        {model.decisionSets.map(s => (
          <option key={s.id} value={s.id}>
            v{s.version}
          </option>
        ))}
      </select>
      {previous ? (
        <button
          className="jp-mod-styled"
          disabled={isMoving(set)}
          title={isMoving(set) ? 'Wait until this version is designed' : undefined}
          onClick={() => props.actions.openDiff(model, previous.id)}
        >
          Compare with v{previous.version}
        </button>
      ) : (
        <span className="jp-AgilabLab-muted">Only one version so far: nothing to compare yet.</span>
      )}
    </div>
  );
}

export function DesignView(props: { model: IProjectModel; actions: IDesignActions }): JSX.Element {
  const { model, actions } = props;
  const set = model.decisionSet;
  const [edits, setEdits] = useState<Record<string, string>>({});
  const editable = set !== null && awaitsApproval(set) && model.canDecide;
  return (
    <div className="jp-AgilabLab-view jp-AgilabLab-designView" data-project={model.projectId}>
      <header className="jp-AgilabLab-viewHeader">
        <h2>{model.project?.name ?? 'Design'}</h2>
        {set && <span data-version={set.version}>v{set.version}</span>}
        {set && <StatusBadge status={set.status} />}
        <Versions model={model} actions={actions} />
      </header>
      <ErrorBanner message={model.error} />
      {set?.error && <ErrorBanner message={set.error} />}
      <div className="jp-AgilabLab-panes">
        <section className="jp-AgilabLab-pane" aria-label="requirements">
          <h3>Requirements</h3>
          {set && <RequirementsText set={set} />}
          {set?.status === 'awaiting_input' && <ClarifyGate model={model} set={set} />}
          <NewVersion model={model} autoFocus={!set} />
        </section>
        <section className="jp-AgilabLab-pane" aria-label="constraints and plan">
          <h3>Constraints</h3>
          {set ? (
            <ConstraintsTable
              set={set}
              editable={editable}
              edits={edits}
              onEdit={(field, value) => setEdits(e => ({ ...e, [field]: value }))}
            />
          ) : (
            <p className="jp-AgilabLab-muted">Submit requirements to start.</p>
          )}
          <h3>Plan and costs</h3>
          {set && <PlanTable set={set} />}
        </section>
        <section className="jp-AgilabLab-pane" aria-label="review">
          {set && awaitsApproval(set) && (
            <>
              <h3>Approval</h3>
              <ApprovalGate
                model={model}
                edits={edits}
                onDecided={() => setEdits({})}
                confirmReject={actions.confirmReject}
              />
            </>
          )}
          {set && ['generating', 'generated'].includes(set.status) && (
            <>
              <h3>Validation</h3>
              <ValidationSteps steps={model.validationSteps} set={set} />
            </>
          )}
          {set?.status === 'generated' && <GeneratedFiles model={model} actions={actions} />}
          {set && <CriticsAndPolicy set={set} />}
          <h3>Reason cards</h3>
          <ReasonCardList cards={model.cards} />
        </section>
      </div>
    </div>
  );
}
