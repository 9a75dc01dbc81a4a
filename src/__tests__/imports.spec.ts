/**
 * No import cycle in src/: every module's relative imports, followed depth-first.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..');

function modules(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__tests__' ? [] : modules(full);
    }
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return null;
}

/** Value and type imports alike: a type-only cycle still couples the modules. */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map(
      m => m[1]
    );
    graph.set(
      file,
      specs.map(s => resolve(file, s)).filter((f): f is string => f !== null)
    );
  }
  return graph;
}

export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'open') {
      return [...stack.slice(stack.indexOf(node)), node];
    }
    if (state.get(node) === 'done') {
      return null;
    }
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) {
        return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) {
      return cycle;
    }
  }
  return null;
}

/** Calls on the raw transport (`x.request(`, `client.subscribe(`, `transport.url(`) in `text`. */
export function transportCalls(text: string): string[] {
  return [...text.matchAll(/\b(?:client|transport)\.(?:request|subscribe|url)\s*[<(]/g)].map(
    m => m[0]
  );
}

describe('imports', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']]
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []]
        ])
      )
    ).toBeNull();
  });

  it('has no cycle in src/', () => {
    const graph = importGraph(modules(SRC));
    expect(graph.size).toBeGreaterThan(20);
    const cycle = findCycle(graph);
    expect(cycle?.map(f => path.relative(SRC, f))).toBeUndefined();
  });

  it('keeps tokens.ts free of concrete classes', () => {
    const tokens = fs.readFileSync(path.join(SRC, 'tokens.ts'), 'utf8');
    expect([...tokens.matchAll(/from\s+['"](\.[^'"]+)['"]/g)]).toEqual([]);
    expect(tokens).not.toMatch(/import\(['"]\./);
  });

  it('writes endpoints only in the typed client (api.ts)', () => {
    expect(transportCalls("await lab.client.request<unknown>('cluster')")).toHaveLength(1);
    const offenders = modules(SRC)
      .filter(f => !/(api|handler)\.ts$/.test(f))
      .filter(f => transportCalls(fs.readFileSync(f, 'utf8')).length > 0)
      .map(f => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
