// Values that come from AWS (Name tags, role names, error messages) are printed to a terminal: a tag
// holding ESC [2J would clear the operator's screen, one holding a bidi override would make a line read
// differently from what it is. Human output shows every such character as a visible escape instead.
// JSON output needs none of this: JSON.stringify escapes the C0 controls itself.

// C0 controls, DEL, C1 controls (U+0080-U+009F: U+009B is CSI on terminals that honour 8-bit
// controls), and the Unicode bidi embedding/override/isolate controls ("Trojan Source",
// CVE-2021-42574).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function visible(c: string): string {
  const code = c.codePointAt(0)!;
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One line of a table or text output: every control character, newline and tab included, made visible. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, visible);
}

/** A message of several lines (a warning, an error): controls made visible, line breaks kept. */
export function escapeControlsKeepLines(s: string): string {
  return s.replace(CONTROL_BUT_NEWLINE, visible);
}

/**
 * Escapes, in place, every string held in a result document (objects and arrays, any depth), so that
 * a renderer built on it can print what it likes. Used only for the human renderings: the JSON
 * document is printed before, or instead of, this.
 */
export function escapeDocument<T>(value: T): T {
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return escapeControls(v);
    if (v === null || typeof v !== 'object' || seen.has(v) || Object.isFrozen(v)) return v;
    seen.add(v);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const next = walk(record[key]);
      if (next !== record[key]) record[key] = next;
    }
    return v;
  };
  return walk(value) as T;
}
