/**
 * Small presentational pieces shared by the sidebar panels.
 */
import React from 'react';

/** The last error of a model, shown above a panel's content. */
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

/** A status word coloured by what it means (succeeded, failed, running...). */
export function StatusBadge(props: { status: string }): JSX.Element {
  return (
    <span className={`jp-AgilabLab-badge jp-AgilabLab-status-${props.status}`}>{props.status}</span>
  );
}

/** A JSON value, pretty-printed. */
export function JsonBlock(props: { value: unknown }): JSX.Element {
  return <pre className="jp-AgilabLab-json">{JSON.stringify(props.value, null, 2)}</pre>;
}

/** Section heading with an optional action button on the right. */
export function SectionHeader(props: {
  title: string;
  action?: { label: string; onClick: () => void; disabled?: boolean };
}): JSX.Element {
  const { action } = props;
  return (
    <div className="jp-AgilabLab-sectionHeader">
      <h3>{props.title}</h3>
      {action && (
        <button
          className="jp-mod-styled jp-mod-reject jp-AgilabLab-smallButton"
          onClick={action.onClick}
          disabled={action.disabled}
        >
          {action.label}
        </button>
      )}
    </div>
  );
}
