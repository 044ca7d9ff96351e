import { describe, expect, it, vi } from 'vitest';
import { defineCommand } from '../../../src/commands/define.js';
import { UsageError } from '../../../src/services/errors.js';
import type { Context } from '../../../src/commands/types.js';

describe('defineCommand', () => {
  const make = (load: () => Promise<{ run: (input: { n: number }, ctx: Context) => Promise<never> }>) =>
    defineCommand<{ n: number }>({
      path: ['x'],
      summary: 'x',
      options: [],
      examples: [],
      permissions: [],
      parse: (o) => {
        if (!/^\d+$/.test(String(o.n))) throw new UsageError('InvalidOption', `invalid --n ${JSON.stringify(o.n)}`, null);
        return { n: Number(o.n) };
      },
      load,
    });

  it('hands run the parsed, typed input - never the raw options', async () => {
    const run = vi.fn(async () => ({ data: null, text: () => '', exitCode: 0 as const }));
    await make(async () => ({ run }) as never).run({ n: '7', json: true }, {} as Context);
    expect(run).toHaveBeenCalledWith({ n: 7 }, {});
  });

  it('refuses bad input before loading the implementation', async () => {
    const load = vi.fn();
    await expect(make(load).run({ n: 'seven' }, {} as Context)).rejects.toBeInstanceOf(UsageError);
    expect(load).not.toHaveBeenCalled();
  });
});
