import { UsageError } from '../services/errors.js';
import { bashCompletion, zshCompletion } from '../output/completion.js';
import type { CommandDef } from './types.js';

export const completionCommand: CommandDef = {
  path: ['completion'],
  summary: 'Print a shell completion script (bash or zsh)',
  options: [],
  positional: '<shell>',
  examples: ['source <(ssm-perms completion bash)', 'ssm-perms completion zsh > "${fpath[1]}/_ssm-perms"'],
  permissions: ['none (offline)'],
  async run(opts, ctx) {
    const shell = String(opts.shell ?? '');
    if (shell !== 'bash' && shell !== 'zsh') throw new UsageError('InvalidShell', `invalid shell ${JSON.stringify(shell)}: must be bash or zsh`, null);
    const script = shell === 'bash' ? bashCompletion(ctx.catalog) : zshCompletion(ctx.catalog);
    return { data: { shell, script }, text: () => script, exitCode: 0 };
  },
};
