/**
 * Run-argument forms generated from an app's `args_schema` (the pydantic JSON
 * schema `GET apps` returns): which properties get a form field, and how the
 * texts typed into those fields become typed run arguments.
 */
import { isRecord } from './errors';

/** The kinds of property a form field can edit; anything else stays JSON. */
export type ArgKind = 'integer' | 'number' | 'string' | 'boolean' | 'choice';

/** One form field, derived from one property of the schema. */
export interface IArgField {
  name: string;
  kind: ArgKind;
  title: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  /** The allowed values of a `choice` (a string enum or literal). */
  options?: string[];
}

/** The form of one schema: its fields and the properties only JSON can set. */
export interface IArgsForm {
  fields: IArgField[];
  /** Properties of a type no field edits (objects, arrays, unions...). */
  jsonOnly: string[];
}

/** What a field holds while being edited: the text typed, or a checkbox state. */
export type FieldValue = string | boolean;

/** Split a schema's properties into form fields and JSON-only properties. */
export function argsForm(schema: unknown): IArgsForm {
  const form: IArgsForm = { fields: [], jsonOnly: [] };
  const properties = isRecord(schema) && isRecord(schema.properties) ? schema.properties : {};
  for (const [name, raw] of Object.entries(properties)) {
    const field = isRecord(raw) ? fieldOf(name, raw) : null;
    if (field) {
      form.fields.push(field);
    } else {
      form.jsonOnly.push(name);
    }
  }
  return form;
}

function fieldOf(name: string, property: Record<string, unknown>): IArgField | null {
  const kind = kindOf(property);
  if (!kind) {
    return null;
  }
  const field: IArgField = {
    name,
    kind,
    title: typeof property.title === 'string' ? property.title : name
  };
  if (typeof property.description === 'string') {
    field.description = property.description;
  }
  if ('default' in property) {
    field.default = property.default;
  }
  // Pydantic writes gt/lt as exclusiveMinimum/Maximum; the field shows them as
  // bounds and the server still refuses the boundary value itself.
  const minimum = property.minimum ?? property.exclusiveMinimum;
  const maximum = property.maximum ?? property.exclusiveMaximum;
  if (typeof minimum === 'number') {
    field.minimum = minimum;
  }
  if (typeof maximum === 'number') {
    field.maximum = maximum;
  }
  if (kind === 'choice') {
    field.options = (property.enum as unknown[]).map(String);
  }
  return field;
}

function kindOf(property: Record<string, unknown>): ArgKind | null {
  if (Array.isArray(property.enum)) {
    return property.enum.every(v => typeof v === 'string') ? 'choice' : null;
  }
  switch (property.type) {
    case 'integer':
    case 'number':
    case 'string':
    case 'boolean':
      return property.type;
    default:
      return null;
  }
}

/** What a field shows before the user edits it: its default, or nothing. */
export function initialValue(field: IArgField): FieldValue {
  if (field.kind === 'boolean') {
    return field.default === true;
  }
  return field.default === undefined || field.default === null ? '' : String(field.default);
}

/**
 * The run arguments the form's values stand for. Fields left at their
 * default (or empty) are omitted so the app's own default applies.
 *
 * @throws Error naming the field when a number is malformed or out of bounds
 */
export function argsFromForm(
  fields: readonly IArgField[],
  values: Readonly<Record<string, FieldValue>>
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name] ?? initialValue(field);
    if (value === initialValue(field) || value === '') {
      continue;
    }
    args[field.name] = typeof value === 'boolean' ? value : parseText(field, value);
  }
  return args;
}

function parseText(field: IArgField, text: string): unknown {
  if (field.kind !== 'integer' && field.kind !== 'number') {
    return text;
  }
  const value = Number(text.trim());
  if (!Number.isFinite(value) || (field.kind === 'integer' && !Number.isInteger(value))) {
    throw new Error(
      `${field.title}: "${text}" is not ${field.kind === 'integer' ? 'an integer' : 'a number'}`
    );
  }
  if (field.minimum !== undefined && value < field.minimum) {
    throw new Error(`${field.title}: ${value} is below the minimum ${field.minimum}`);
  }
  if (field.maximum !== undefined && value > field.maximum) {
    throw new Error(`${field.title}: ${value} is above the maximum ${field.maximum}`);
  }
  return value;
}
