/**
 * Side-by-side diff of two versions of a design (a main-area tab per pair):
 * a header with constraint, plan and cost changes, a file list, and each file's
 * old and new lines side by side, syntax-coloured by Lab's language registry.
 */
import type { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import React, { useEffect, useRef, useState } from 'react';

import { constraintChanges } from '../decisions';
import { costDeltaText, sideBySide, type IDiffCell } from '../diff';
import type { IDecisionSet, IDiffResult } from '../tokens';

export interface IDiffData {
  diff: IDiffResult;
  from: IDecisionSet;
  to: IDecisionSet;
}

function Code(props: {
  cell: IDiffCell;
  language: string;
  languages: IEditorLanguageRegistry | null;
}): JSX.Element {
  const ref = useRef<HTMLElement>(null);
  const { cell, languages } = props;
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    // Plain text at once; the coloured version replaces it when the language has loaded.
    el.textContent = cell.text;
    const language = languages?.findBest(props.language) ?? null;
    if (!languages || !language || !cell.text) {
      return;
    }
    let live = true;
    const coloured = document.createElement('span');
    languages.highlight(cell.text, language, coloured).then(
      () => live && el.replaceChildren(coloured),
      () => undefined
    );
    return () => {
      live = false;
    };
  }, [cell.text, props.language, languages]);
  return <code ref={ref} />;
}

function FileDiff(props: {
  path: string;
  change: string;
  patch: string;
  languages: IEditorLanguageRegistry | null;
}): JSX.Element {
  const rows = sideBySide(props.patch);
  const language = props.path.split('.').pop() ?? '';
  return (
    <section className="jp-AgilabLab-fileDiff" id={`diff-${props.path}`} data-path={props.path}>
      <h4>
        {props.path} <span className="jp-AgilabLab-muted">{props.change}</span>
      </h4>
      <table className="jp-AgilabLab-sideBySide">
        <colgroup>
          <col className="jp-AgilabLab-lineNoCol" />
          <col />
          <col className="jp-AgilabLab-lineNoCol" />
          <col />
        </colgroup>
        <tbody>
          {rows.map((row, i) =>
            'hunk' in row ? (
              <tr key={i} className="jp-AgilabLab-hunk">
                <td colSpan={4}>{row.hunk}</td>
              </tr>
            ) : (
              <tr key={i}>
                <td className="jp-AgilabLab-lineNo">{row.left.line ?? ''}</td>
                <td className={`jp-AgilabLab-cell jp-mod-${row.left.kind}`}>
                  <Code cell={row.left} language={language} languages={props.languages} />
                </td>
                <td className="jp-AgilabLab-lineNo">{row.right.line ?? ''}</td>
                <td className={`jp-AgilabLab-cell jp-mod-${row.right.kind}`}>
                  <Code cell={row.right} language={language} languages={props.languages} />
                </td>
              </tr>
            )
          )}
        </tbody>
      </table>
    </section>
  );
}

export function DiffView(props: {
  data: IDiffData;
  languages: IEditorLanguageRegistry | null;
}): JSX.Element {
  const { diff, from, to } = props.data;
  const [selected, setSelected] = useState<string | null>(diff.files[0]?.path ?? null);
  const constraints = constraintChanges(from, to);
  const plan = diff.plan_changes ?? [];
  const file = diff.files.find(f => f.path === selected) ?? null;
  const notGenerated = [from, to].filter(s => s.status !== 'generated');
  return (
    <div className="jp-AgilabLab-view jp-AgilabLab-diffView">
      <header className="jp-AgilabLab-diffHeader">
        <h2>
          v{from.version} → v{to.version}
        </h2>
        <div className="jp-AgilabLab-costDelta" data-cost-delta={diff.cost_delta_usd ?? 0}>
          Cost: {costDeltaText(diff)}
        </div>
        <div>
          Constraints:{' '}
          {constraints.length === 0
            ? 'unchanged'
            : constraints.map(c => `${c.field} ${c.from || '—'} → ${c.to || '—'}`).join('; ')}
        </div>
        <div>
          Plan:{' '}
          {plan.length === 0
            ? 'unchanged'
            : plan.map(p => `${p.capability} ${p.from ?? '—'} → ${p.to ?? '—'}`).join('; ')}
        </div>
      </header>
      {notGenerated.length > 0 && (
        <p className="jp-AgilabLab-muted">
          {notGenerated.map(s => `v${s.version}`).join(' and ')}{' '}
          {notGenerated.length > 1 ? 'have' : 'has'} no generated repository yet: only constraints,
          plan and cost are compared.
        </p>
      )}
      {diff.files.length === 0 && notGenerated.length === 0 && (
        <p className="jp-AgilabLab-muted">No generated file differs between the two versions.</p>
      )}
      {diff.files.length > 0 && (
        <div className="jp-AgilabLab-diffBody">
          <nav className="jp-AgilabLab-fileList" aria-label="changed files">
            <ul className="jp-AgilabLab-list">
              {diff.files.map(f => (
                <li key={f.path}>
                  <button
                    className={`jp-AgilabLab-fileButton ${f.path === selected ? 'jp-mod-current' : ''}`}
                    aria-current={f.path === selected}
                    onClick={() => setSelected(f.path)}
                  >
                    <span className={`jp-AgilabLab-change jp-mod-${f.change}`}>
                      {f.change[0].toUpperCase()}
                    </span>{' '}
                    {f.path}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {file && <FileDiff key={file.path} {...file} languages={props.languages} />}
        </div>
      )}
    </div>
  );
}
