// `--query ... --output table`: the command's own table cannot show an arbitrary selection, so the
// selection gets a plain one: a list of objects as rows under their keys, a list of lists (a
// multiselect list, `[a, b]`) as rows of columns without a header, a list of values one per line, an
// object as KEY / VALUE rows, a value as it is; nothing for null (as the AWS CLI's table prints
// nothing). Nested lists and objects show as JSON.
import type { Style } from './style.js';
import { table, type Cell } from './table.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cell(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function renderQueryTable(data: unknown, style: Style): string {
  if (data === null || data === undefined) return '';
  if (Array.isArray(data)) {
    if (data.length === 0) return '';
    if (data.every(Array.isArray)) {
      const width = Math.max(...data.map((row) => row.length));
      const columns = Array.from({ length: width }, () => ({ header: '' }));
      return table(
        columns,
        data.map((row: unknown[]) => row.map(cell)),
        style.width,
        { header: false },
      );
    }
    if (data.every(isObject)) {
      const keys = [...new Set(data.flatMap((row) => Object.keys(row)))];
      const rows: Cell[][] = data.map((row) => keys.map((k) => cell(row[k])));
      return table(
        keys.map((k) => ({ header: k })),
        rows,
        style.width,
      );
    }
    return table(
      [{ header: 'VALUE' }],
      data.map((v) => [cell(v)]),
      style.width,
    );
  }
  if (isObject(data)) {
    return table(
      [{ header: 'KEY' }, { header: 'VALUE' }],
      Object.entries(data).map(([k, v]) => [k, cell(v)]),
      style.width,
    );
  }
  return table([{ header: 'VALUE' }], [[cell(data)]], style.width);
}
