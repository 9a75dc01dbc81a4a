/**
 * Small presentational pieces shared by the sidebar panels and the main-area views.
 */
import React from 'react';

import { statusLabel } from '../format';

/** The last error of a model, shown next to what caused it. */
export function ErrorBanner(props: { message: string | null }): JSX.Element | null {
  if (!props.message) {
    return null;
  }
  return (
    <div className="jp-AgilabLab-error" role="alert">
      {props.message}
    </div>
  );
}

/** A status as a human label, coloured by what it means; the raw word stays in `data-status`. */
export function StatusBadge(props: { status: string }): JSX.Element {
  return (
    <span
      className={`jp-AgilabLab-badge jp-AgilabLab-status-${props.status}`}
      data-status={props.status}
      title={props.status}
    >
      {statusLabel(props.status)}
    </span>
  );
}

/** A JSON value, pretty-printed. */
export function JsonBlock(props: { value: unknown }): JSX.Element {
  return <pre className="jp-AgilabLab-json">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** Grey placeholder rows while a list loads: never a false "nothing here". */
export function Skeleton(props: { rows?: number; label: string }): JSX.Element {
  return (
    <div className="jp-AgilabLab-skeleton" aria-busy="true" aria-label={props.label}>
      {Array.from({ length: props.rows ?? 3 }, (_, i) => (
        <div key={i} className="jp-AgilabLab-skeletonRow" />
      ))}
    </div>
  );
}

/** Section heading with an optional (neutral) action button on the right. */
export function SectionHeader(props: {
  title: string;
  level?: 3 | 4;
  action?: { label: string; onClick: () => void; disabled?: boolean };
}): JSX.Element {
  const { action } = props;
  const Heading = props.level === 4 ? 'h4' : 'h3';
  return (
    <div className="jp-AgilabLab-sectionHeader">
      <Heading>{props.title}</Heading>
      {action && (
        <button
          className="jp-mod-styled jp-AgilabLab-smallButton"
          onClick={action.onClick}
          disabled={action.disabled}
          aria-label={`${action.label} ${props.title}`}
        >
          {action.label}
        </button>
      )}
    </div>
  );
}
