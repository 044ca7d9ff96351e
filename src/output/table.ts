// Aligned columns for terminal output, fitted to the terminal's width: when the natural table is too
// wide, the columns marked as dispensable go first (highest `drop` first), then the widest columns
// shrink, their cells wrapped (or cut with an ellipsis) inside the column - never the line itself.
// Cells hold plain text and an optional paint (colour) applied after measuring and cutting, so widths
// never count escape codes and a cut never splits one. Every cell is escaped (escape.ts).
import { displayWidth } from './width.js';
import { escapeControls } from './escape.js';

export interface Column {
  header: string;
  /** Dispensable on a narrow terminal: the column with the highest value is dropped first. */
  drop?: number;
  /** Too long for its column: wrap inside the cell (default) or cut with an ellipsis. */
  overflow?: 'wrap' | 'cut';
  /** The narrowest this column may become before columns stop shrinking (default: its header, at least 4). */
  min?: number;
}

export type Cell = string | { text: string; paint?: (s: string) => string };

/** A result's table before it is drawn, so results of several accounts can share one (with an ACCOUNT column). */
export interface TablePart {
  columns: Column[];
  rows: Cell[][];
  /** What goes under the table (errors, checks), already rendered. */
  after: string;
}

const GAP = 2;
// Made on first use: building a segmenter loads ICU's break data, which start-up does not need.
let segmenter: Intl.Segmenter | undefined;

export { displayWidth };

/** The longest prefix of s (whole graphemes) that fits in `width` columns, and the rest. */
function splitAt(s: string, width: number): [string, string] {
  let used = 0;
  let end = 0;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment, index } of segmenter.segment(s)) {
    const w = displayWidth(segment);
    if (used + w > width) return [s.slice(0, index), s.slice(index)];
    used += w;
    end = index + segment.length;
  }
  return [s.slice(0, end), s.slice(end)];
}

/** s cut to `width` columns, ending in an ellipsis when something was cut. */
export function cut(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  return splitAt(s, Math.max(0, width - 1))[0] + '…';
}

/**
 * s broken into lines of at most `width` columns: at the last space that fits where there is one
 * (the space is dropped), else after the last `/`, `:` or `,` (an ARN, a path, a list), inside a word
 * only when none fits (a long id).
 */
export function wrap(s: string, width: number): string[] {
  if (width < 1) return [s];
  const lines: string[] = [];
  let rest = s;
  while (displayWidth(rest) > width) {
    const [head, tail] = splitAt(rest, width);
    const space = head.lastIndexOf(' ');
    // An ARN or a path without spaces breaks after one of its separators, not inside a name.
    const separator = Math.max(head.lastIndexOf('/'), head.lastIndexOf(':'), head.lastIndexOf(','));
    if (space > 0 && !tail.startsWith(' ')) {
      lines.push(head.slice(0, space).trimEnd());
      rest = head.slice(space + 1) + tail;
    } else if (separator > 0 && separator < head.length - 1 && !tail.startsWith(' ')) {
      lines.push(head.slice(0, separator + 1));
      rest = head.slice(separator + 1) + tail;
    } else {
      lines.push(head.trimEnd());
      rest = tail.trimStart();
    }
  }
  lines.push(rest);
  return lines;
}

/**
 * Text that starts `indent` columns into a line of `width` (no limit when undefined): every line gets
 * the same room, the lines after the first are indented to start under the first.
 */
export function hang(s: string, width: number | undefined, indent: number): string {
  if (width === undefined) return s;
  return wrap(s, Math.max(1, width - indent)).join(`\n${' '.repeat(indent)}`);
}

/** Text broken to fit `width` columns (no limit when undefined), each line after the first indented. */
export function fitText(s: string, width: number | undefined, indent = ''): string {
  if (width === undefined) return s;
  const [first, ...rest] = wrap(s, width);
  const more = rest.join(' ');
  return more
    ? `${first}\n${wrap(more, width - displayWidth(indent))
        .map((l) => indent + l)
        .join('\n')}`
    : first!;
}

/** Which columns to show, and how wide, for the natural widths given and the room there is. */
export function fitColumns(columns: readonly Column[], natural: readonly number[], room: number | undefined): { shown: number[]; widths: number[] } {
  let shown = columns.map((_, i) => i);
  const widths = [...natural];
  const total = () => shown.reduce((sum, i) => sum + widths[i]!, 0) + GAP * (shown.length - 1);
  if (room === undefined) return { shown, widths };
  const floor = (i: number) => Math.min(natural[i]!, columns[i]!.min ?? Math.max(displayWidth(columns[i]!.header), 4));
  const drop = (i: number) => columns[i]!.drop ?? 0;
  // A dispensable column stays while the table fits with it at its minimum and the others whole;
  // otherwise it goes, the least valuable first.
  const dispensable = shown.filter((i) => drop(i) > 0).sort((a, b) => drop(b) - drop(a));
  const need = () => shown.reduce((sum, i) => sum + (drop(i) > 0 ? floor(i) : natural[i]!), 0) + GAP * (shown.length - 1);
  for (const i of dispensable) {
    if (need() <= room) break;
    shown = shown.filter((x) => x !== i);
  }
  // Then columns shrink one column at a time: the dispensable ones first (least valuable first), then
  // the widest, each down to its minimum.
  while (total() > room) {
    const candidates = shown.filter((i) => widths[i]! > floor(i));
    const next = candidates.sort((a, b) => drop(b) - drop(a) || widths[b]! - widths[a]!)[0];
    if (next === undefined) break;
    widths[next]! -= 1;
  }
  return { shown, widths };
}

/**
 * Rows under a header, in aligned columns. `width` is the room on the line (the terminal's columns);
 * undefined means no limit (output to a file or a pipe).
 */
export function table(columns: readonly (Column | string)[], rows: readonly Cell[][], width?: number, options: { header?: boolean } = {}): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const plain = rows.map((r) =>
    cols.map((_, i) => {
      const cell = r[i] ?? '';
      return typeof cell === 'string' ? { text: escapeControls(cell) } : { text: escapeControls(cell.text), paint: cell.paint };
    }),
  );
  const natural = cols.map((c, i) => Math.max(displayWidth(c.header), ...plain.map((r) => displayWidth(r[i]!.text))));
  const { shown, widths } = fitColumns(cols, natural, width);
  const render = (cells: { text: string; paint?: (s: string) => string }[]): string[] => {
    const parts = shown.map((i) => {
      const w = widths[i]!;
      const t = cells[i]!.text;
      const lines = displayWidth(t) <= w ? [t] : cols[i]!.overflow === 'cut' ? [cut(t, w)] : wrap(t, w);
      return lines.map((l) => ({ text: l, paint: cells[i]!.paint }));
    });
    const height = Math.max(...parts.map((p) => p.length));
    const out: string[] = [];
    for (let line = 0; line < height; line++) {
      const row = parts.map((p, k) => {
        const piece: { text: string; paint?: (s: string) => string } = p[line] ?? { text: '' };
        const painted = piece.text && piece.paint ? piece.paint(piece.text) : piece.text;
        return k === parts.length - 1 ? painted : painted + ' '.repeat(widths[shown[k]!]! - displayWidth(piece.text));
      });
      out.push(row.join(' '.repeat(GAP)).trimEnd());
    }
    return out;
  };
  const header = options.header === false ? [] : render(cols.map((c) => ({ text: c.header })));
  return [...header, ...plain.flatMap(render)].join('\n') + '\n';
}

/**
 * A shell command broken to fit `width` columns so that it can still be pasted as it is: lines end
 * in " \" (a line continuation), breaks fall between words where they can; a word longer than a line
 * (a long list of instance ids) is broken with a bare "\", after a comma where there is one, and its
 * next piece starts the next line unindented, since the shell removes backslash-newline and any
 * indent would split the word.
 */
export function fitCommand(command: string, width: number | undefined, indent = ''): string {
  if (width === undefined || displayWidth(command) <= width) return command;
  // Every line keeps room for the 2 columns of " \\".
  const room = width - 2;
  const lines: string[] = [];
  let line = '';
  for (const word of shellWords(command)) {
    const joined = line === '' ? (lines.length > 0 ? indent : '') + word : `${line} ${word}`;
    if (displayWidth(joined) <= room) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(`${line} \\`);
    let rest = (lines.length > 0 ? indent : '') + word;
    // Inside quotes a backslash-newline is kept as it is: a quoted word is never broken (it overflows).
    while (displayWidth(rest) > room && !/['"]/.test(word)) {
      let [head, tail] = splitAt(rest, room + 1);
      // A list of ids reads better broken after one of its commas than inside an id.
      const comma = head.lastIndexOf(',');
      if (comma > 0 && comma < head.length - 1) [head, tail] = [head.slice(0, comma + 1), head.slice(comma + 1) + tail];
      lines.push(`${head}\\`);
      rest = tail;
    }
    line = rest;
  }
  lines.push(line);
  return lines.join('\n');
}

/** A command's words as the shell splits them: at spaces outside single or double quotes (quotes kept). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === ' ') {
      if (word !== '') words.push(word);
      word = '';
      continue;
    }
    word += c;
  }
  if (word !== '') words.push(word);
  return words;
}

/**
 * `label` (plain text, painted after measuring) then the text, continued under the text when it wraps;
 * each line of a command stays a command (fitCommand), and its lines are not indented by the label
 * when they continue inside a word, which the shell would split.
 */
export function labelled(label: string, text: string, width: number | undefined, command = false, paint: (s: string) => string = (s) => s): string[] {
  const pad = ' '.repeat(displayWidth(label));
  const room = width === undefined ? undefined : width - displayWidth(label);
  return text.split('\n').map((line, k) => {
    const body = command ? fitCommand(line, room, '  ') : fitText(escapeControls(line), room, '');
    const pieces = body.split('\n');
    return pieces
      .map((l, n) => {
        if (k === 0 && n === 0) return paint(label) + l;
        // A piece after a bare "\" continues a word: any indent would become part of the command.
        return command && pieces[n - 1]?.endsWith('\\') && !pieces[n - 1]!.endsWith(' \\') ? l : pad + l;
      })
      .join('\n');
  });
}
