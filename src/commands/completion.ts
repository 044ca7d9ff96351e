import type { CommandDef } from './types.js';

export const completionCommand: CommandDef = {
  path: ['completion'],
  summary: 'Print a shell completion script (bash or zsh)',
  options: [],
  positional: '<shell>',
  examples: ['source <(ssm-perms completion bash)', 'ssm-perms completion zsh > "${fpath[1]}/_ssm-perms"'],
  permissions: ['none (offline)'],
  run: (opts, ctx) => import('./completion.run.js').then((m) => m.run(opts, ctx)),
};
