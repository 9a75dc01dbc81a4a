/**
 * Status-bar item: a coloured dot and "agilab-lab: healthy|unreachable".
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import { describeHealth } from '../health';
import type { HealthState, IHealthModel } from '../tokens';

export function HealthIndicator(props: { state: HealthState; onRefresh: () => void }): JSX.Element {
  const { label, tooltip, ok } = describeHealth(props.state);
  return (
    <div
      className="jp-AgilabLab-health"
      data-health={props.state.kind}
      title={tooltip}
      role="button"
      tabIndex={0}
      aria-label={`${label}. Refresh`}
      onClick={props.onRefresh}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          props.onRefresh();
        }
      }}
    >
      <span className={`jp-AgilabLab-dot ${ok ? 'jp-mod-ok' : 'jp-mod-error'}`} />
      <span className="jp-AgilabLab-health-label">{label}</span>
    </div>
  );
}

/** Re-renders whenever the health model reports a new state. */
export class HealthStatusWidget extends ReactWidget {
  constructor(private _model: IHealthModel) {
    super();
    this.addClass('jp-AgilabLab-statusItem');
  }

  render(): JSX.Element {
    const model = this._model;
    return (
      <UseSignal signal={model.changed} initialArgs={model.state}>
        {() => <HealthIndicator state={model.state} onRefresh={() => void model.refresh()} />}
      </UseSignal>
    );
  }
}
