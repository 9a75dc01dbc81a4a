import { argsForm, argsFromForm, initialValue } from '../argsForm';

/** The schema pydantic gives minimal_app's arguments (trimmed to what matters). */
const MINIMAL_SCHEMA = {
  title: 'MinimalArgs',
  type: 'object',
  additionalProperties: false,
  properties: {
    items: { title: 'Items', type: 'integer', default: 20, minimum: 1, maximum: 1000000 },
    seconds_per_item: { title: 'Seconds Per Item', type: 'number', default: 0, minimum: 0 },
    weights: { title: 'Weights', type: 'string', enum: ['uniform', 'linear'], default: 'uniform' },
    fail_on: {
      title: 'Fail On',
      anyOf: [{ type: 'string' }, { type: 'null' }],
      default: null
    },
    verbose: { type: 'boolean', default: false, description: 'Log every item.' },
    tags: { type: 'array', items: { type: 'string' } }
  }
};

describe('argsForm', () => {
  it('makes a field of each scalar property and leaves the others to JSON', () => {
    const form = argsForm(MINIMAL_SCHEMA);
    expect(form.fields.map(f => [f.name, f.kind])).toEqual([
      ['items', 'integer'],
      ['seconds_per_item', 'number'],
      ['weights', 'choice'],
      ['verbose', 'boolean']
    ]);
    expect(form.jsonOnly).toEqual(['fail_on', 'tags']);
    expect(form.fields[0]).toEqual({
      name: 'items',
      kind: 'integer',
      title: 'Items',
      default: 20,
      minimum: 1,
      maximum: 1000000
    });
    expect(form.fields[2].options).toEqual(['uniform', 'linear']);
    expect(form.fields[3]).toMatchObject({ title: 'verbose', description: 'Log every item.' });
  });

  it('has no fields for a missing or malformed schema', () => {
    expect(argsForm(undefined)).toEqual({ fields: [], jsonOnly: [] });
    expect(argsForm({ properties: [] })).toEqual({ fields: [], jsonOnly: [] });
  });

  it('starts each field at its default', () => {
    const [items, seconds, weights, verbose] = argsForm(MINIMAL_SCHEMA).fields;
    expect([items, seconds, weights, verbose].map(initialValue)).toEqual([
      '20',
      '0',
      'uniform',
      false
    ]);
  });
});

describe('argsFromForm', () => {
  const { fields } = argsForm(MINIMAL_SCHEMA);

  it('sends only the values that differ from the defaults, typed', () => {
    expect(argsFromForm(fields, {})).toEqual({});
    expect(
      argsFromForm(fields, {
        items: ' 4 ',
        seconds_per_item: '0.5',
        weights: 'linear',
        verbose: true
      })
    ).toEqual({ items: 4, seconds_per_item: 0.5, weights: 'linear', verbose: true });
    // An emptied field falls back to the app's default rather than sending "".
    expect(argsFromForm(fields, { items: '' })).toEqual({});
  });

  it('names the field of a malformed or out-of-bounds number', () => {
    expect(() => argsFromForm(fields, { items: '2.5' })).toThrow('Items: "2.5" is not an integer');
    expect(() => argsFromForm(fields, { items: 'many' })).toThrow(
      'Items: "many" is not an integer'
    );
    expect(() => argsFromForm(fields, { items: '0' })).toThrow('Items: 0 is below the minimum 1');
    expect(() => argsFromForm(fields, { items: '2000000' })).toThrow(
      'Items: 2000000 is above the maximum 1000000'
    );
    expect(() => argsFromForm(fields, { seconds_per_item: '1e' })).toThrow(
      'Seconds Per Item: "1e" is not a number'
    );
  });
});
