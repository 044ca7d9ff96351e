// Choosing instances by id and/or tag: the options doctor and profile attach share, declared once with
// their parser.
import type { OptionDef } from '../types.js';
import type { RawOptions } from '../define.js';
import { readInstanceIds, readTagFilters, type Tag } from './validate.js';

export interface Selection {
  instanceIds: string[];
  tags: Tag[];
}

export function selectionOptions(idHelp: string, tagHelp: string): OptionDef[] {
  return [
    { flags: '--instance-id <id>', description: idHelp, kind: 'repeatable' },
    { flags: '--tag <key=value>', description: tagHelp, kind: 'repeatable' },
  ];
}

/** --instance-id (repeatable, comma-separated) and --tag KEY=VALUE filters, validated. */
export function parseSelection(options: RawOptions): Selection {
  return { instanceIds: readInstanceIds(options.instanceId), tags: readTagFilters(options.tag) };
}
