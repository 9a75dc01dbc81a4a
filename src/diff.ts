/**
 * Unified patches as side-by-side rows, and what a diff header says.
 */
import type { IDiffResult } from './tokens';

export type CellKind = 'context' | 'removed' | 'added' | 'empty';

export interface IDiffCell {
  line: number | null;
  text: string;
  kind: CellKind;
}

/** One row of a side-by-side diff: a hunk header, or the old and new line side by side. */
export type DiffRow = { hunk: string } | { left: IDiffCell; right: IDiffCell };

const EMPTY: IDiffCell = { line: null, text: '', kind: 'empty' };
const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/**
 * Side-by-side rows of a unified patch: removed lines are paired with the
 * added lines that replace them, context lines appear on both sides.
 */
export function sideBySide(patch: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  let removed: IDiffCell[] = [];
  let added: IDiffCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ left: removed[i] ?? EMPTY, right: added[i] ?? EMPTY });
    }
    removed = [];
    added = [];
  };
  for (const line of patch.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      flush();
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      rows.push({ hunk: line });
    } else if (line.startsWith('\\') || (rows.length === 0 && /^(---|\+\+\+) /.test(line))) {
      continue;
    } else if (line.startsWith('-')) {
      removed.push({ line: oldLine++, text: line.slice(1), kind: 'removed' });
    } else if (line.startsWith('+')) {
      added.push({ line: newLine++, text: line.slice(1), kind: 'added' });
    } else if (line.startsWith(' ')) {
      flush();
      const text = line.slice(1);
      rows.push({
        left: { line: oldLine++, text, kind: 'context' },
        right: { line: newLine++, text, kind: 'context' }
      });
    }
  }
  flush();
  return rows;
}

/** `+$120 (+4.0%)` / `-$35 (-1.2%)` / `no change`. */
export function costDeltaText(
  diff: Pick<IDiffResult, 'cost_delta_usd' | 'cost_delta_pct'>
): string {
  const usd = diff.cost_delta_usd;
  if (typeof usd !== 'number' || Math.abs(usd) < 0.005) {
    return 'no cost change';
  }
  const sign = usd > 0 ? '+' : '−';
  const pct =
    typeof diff.cost_delta_pct === 'number'
      ? ` (${sign}${Math.abs(diff.cost_delta_pct).toFixed(1)}%)`
      : '';
  return `${sign}$${Math.abs(usd).toFixed(2)} / month${pct}`;
}
