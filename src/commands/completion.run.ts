import { ExitCode, UsageError } from '../services/errors.js';
import { bashCompletion, zshCompletion } from '../output/completion.js';
import type { Context, Outcome } from './types.js';

export async function run(opts: Record<string, unknown>, ctx: Context): Promise<Outcome> {
  const shell = String(opts.shell ?? '');
  if (shell !== 'bash' && shell !== 'zsh') throw new UsageError('InvalidShell', `invalid shell ${JSON.stringify(shell)}: must be bash or zsh`, null);
  const script = shell === 'bash' ? bashCompletion(ctx.catalog) : zshCompletion(ctx.catalog);
  return { data: { shell, script }, text: () => script, exitCode: ExitCode.Ok };
}
