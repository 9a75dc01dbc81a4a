/**
 * Status-bar item: a coloured dot and "agilab-lab: healthy|unreachable".
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import React from 'react';

import type { HealthModel } from '../model';
import { describeHealth } from '../reducers';
import type { HealthState } from '../tokens';

export function HealthIndicator(props: { state: HealthState; onRefresh: () => void }): JSX.Element {
  const { label, tooltip, ok } = describeHealth(props.state);
  return (
    <div
      className="jp-AgilabLab-health"
      data-health={props.state.kind}
      title={tooltip}
      role="button"
      onClick={props.onRefresh}
    >
      <span className={`jp-AgilabLab-dot ${ok ? 'jp-mod-ok' : 'jp-mod-error'}`} />
      <span className="jp-AgilabLab-health-label">{label}</span>
    </div>
  );
}

/** Re-renders whenever the health model reports a new state. */
export class HealthStatusWidget extends ReactWidget {
  constructor(private _model: HealthModel) {
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
