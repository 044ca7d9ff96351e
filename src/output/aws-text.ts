// `--output text`: the AWS CLI's text format, so that what people already do with `aws ... --output
// text | awk` works here. A port of awscli/text.py (aws/aws-cli, format_text and its helpers):
// - a list of objects prints one line per object: its identifier (the key that holds the list,
//   upper-cased) and then its scalar values, tab-separated, in the sorted order of every scalar key
//   any object of the list has (a key an object lacks prints as an empty field);
// - an object's nested lists and objects follow its line, under their own identifiers, in key order;
// - a list of scalars prints one line per value (`IDENTIFIER\tvalue`), or one tab-separated line when
//   it has no identifier;
// - scalars print as Python's str() prints them: True, False, None.
// Departures, each where the AWS CLI's output could not be read back:
// - values are printed with their control characters escaped (escape.ts), tabs and newlines
//   included, so a value can neither split a line nor move the cursor;
// - a key that holds a value in one object of a list and an object in another (`"error": null` next
//   to `"error": {"code": ...}`) prints the object as compact JSON, where awscli prints Python's repr;
// - a list that mixes objects and values prints each value on its own line (awscli raises an error).
import { escapeControls } from './escape.js';
import { asJsonValue } from './words.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isContainer = (v: unknown): v is Json[] | { [key: string]: Json } => typeof v === 'object' && v !== null;
const isObject = (v: unknown): v is { [key: string]: Json } => isContainer(v) && !Array.isArray(v);

/** Python's str() of a JSON scalar, as the AWS CLI prints it. */
function scalar(v: Json | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'object') return escapeControls(JSON.stringify(v));
  // The documents hold whole numbers only (counts, ms), which print alike in both languages.
  return escapeControls(String(v));
}

/** Keys sorted as Python sorts str: by code point. */
const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function allScalarKeys(list: readonly { [key: string]: Json }[]): string[] {
  const seen = new Set<string>();
  for (const item of list) for (const [k, v] of Object.entries(item)) if (!isContainer(v)) seen.add(k);
  return sorted(seen);
}

function formatText(item: Json, out: string[], identifier?: string, scalarKeys?: string[]): void {
  if (isObject(item)) formatDict(item, out, identifier, scalarKeys);
  else if (Array.isArray(item)) formatList(item, out, identifier);
  else out.push(scalar(item));
}

function formatList(item: Json[], out: string[], identifier?: string): void {
  if (item.length === 0) return;
  if (item.some(isObject)) {
    // awscli passes every element the keys of the dicts; a non-dict element ignores them.
    const keys = allScalarKeys(item.filter(isObject));
    for (const element of item) formatText(element, out, identifier, keys);
  } else if (item.some(Array.isArray)) {
    const scalars = item.filter((e) => !isContainer(e));
    if (scalars.length > 0) formatScalarList(scalars, out, identifier);
    for (const nested of item.filter(isContainer)) formatText(nested, out, identifier);
  } else {
    formatScalarList(item, out, identifier);
  }
}

function formatScalarList(elements: Json[], out: string[], identifier?: string): void {
  if (identifier !== undefined) for (const e of elements) out.push(`${identifier.toUpperCase()}\t${scalar(e)}`);
  else out.push(elements.map(scalar).join('\t'));
}

function formatDict(item: { [key: string]: Json }, out: string[], identifier?: string, scalarKeys?: string[]): void {
  const scalars: string[] = [];
  const nested: [string, Json][] = [];
  if (scalarKeys === undefined) {
    for (const key of sorted(Object.keys(item))) {
      const v = item[key]!;
      if (isContainer(v)) nested.push([key, v]);
      else scalars.push(scalar(v));
    }
  } else {
    for (const key of scalarKeys) scalars.push(scalar(item[key]));
    for (const key of sorted(Object.keys(item).filter((k) => !scalarKeys.includes(k)))) nested.push([key, item[key]!]);
  }
  if (scalars.length > 0) out.push((identifier !== undefined ? [identifier.toUpperCase(), ...scalars] : scalars).join('\t'));
  for (const [key, v] of nested) formatText(v, out, key);
}

/** The document as the AWS CLI's `--output text` prints it ('' for an empty result, as awscli). */
export function awsText(data: unknown): string {
  const out: string[] = [];
  // Through JSON first: what is printed is exactly what --output json would hold (no undefined, no Dates).
  const json = asJsonValue(data) as Json;
  formatText(json, out);
  return out.map((l) => `${l}\n`).join('');
}
