/**
 * The run-argument fields of one app, generated from its `args_schema`.
 */
import React from 'react';

import type { FieldValue, IArgField } from '../argsForm';
import { initialValue } from '../argsForm';

function bounds(field: IArgField): string {
  const { minimum, maximum } = field;
  if (minimum !== undefined && maximum !== undefined) {
    return `${minimum} – ${maximum}`;
  }
  if (minimum !== undefined) {
    return `≥ ${minimum}`;
  }
  return maximum !== undefined ? `≤ ${maximum}` : '';
}

function FieldInput(props: {
  app: string;
  field: IArgField;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
}): JSX.Element {
  const { field, value } = props;
  const label = `${field.name} of ${props.app}`;
  if (field.kind === 'boolean') {
    return (
      <input
        type="checkbox"
        aria-label={label}
        checked={value === true}
        onChange={event => props.onChange(event.target.checked)}
      />
    );
  }
  if (field.kind === 'choice') {
    return (
      <select
        className="jp-AgilabLab-select"
        aria-label={label}
        value={String(value)}
        onChange={event => props.onChange(event.target.value)}
      >
        {(field.options ?? []).map(option => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  const numeric = field.kind === 'integer' || field.kind === 'number';
  return (
    <input
      className="jp-AgilabLab-input"
      aria-label={label}
      // A text input keeps what was typed, so a malformed number is reported
      // by name instead of being silently emptied by the browser.
      inputMode={numeric ? (field.kind === 'integer' ? 'numeric' : 'decimal') : undefined}
      placeholder={numeric ? bounds(field) : ''}
      value={String(value)}
      onChange={event => props.onChange(event.target.value)}
    />
  );
}

/** One labelled input per field; `values` holds only the fields edited so far. */
export function ArgsForm(props: {
  app: string;
  fields: readonly IArgField[];
  values: Readonly<Record<string, FieldValue>>;
  onChange: (name: string, value: FieldValue) => void;
}): JSX.Element {
  return (
    <div className="jp-AgilabLab-argsForm">
      {props.fields.map(field => {
        const range = bounds(field);
        return (
          <label
            key={field.name}
            className="jp-AgilabLab-argField"
            title={[field.description, range && `range ${range}`].filter(Boolean).join(' · ')}
          >
            <span className="jp-AgilabLab-muted">{field.title}</span>
            <FieldInput
              app={props.app}
              field={field}
              value={props.values[field.name] ?? initialValue(field)}
              onChange={value => props.onChange(field.name, value)}
            />
          </label>
        );
      })}
    </div>
  );
}
