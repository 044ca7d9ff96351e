// doctor's text and Markdown: groups with one fix each, fitted to the terminal and still pasteable;
// one instance with every check; an empty selection that says where it looked.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderDoctor } from '../../../src/output/doctor.js';
import { renderDoctorMarkdown } from '../../../src/output/doctor-markdown.js';
import { createStyle } from '../../../src/output/style.js';
import type { DoctorReport, InstanceReport } from '../../../src/services/doctor/diagnose.js';
import { groupInstances } from '../../../src/services/doctor/group.js';

const ids = (n: number) => Array.from({ length: n }, (_, k) => `i-${String(k + 1).padStart(17, '0')}`);

function noIdentity(instanceId: string, name: string | null = null): InstanceReport {
  return {
    instanceId,
    region: 'us-east-1',
    name,
    state: 'running',
    verdict: 'not-ready',
    route: 'none',
    cause: 'identity-route',
    reason: 'no identity: no instance profile and DHMC is off in us-east-1',
    fix: 'ssm-perms dhmc enable --region us-east-1',
    alternative: `ssm-perms profile attach --name SSMInstanceProfile --instance-id ${instanceId} --region us-east-1`,
    checks: [
      { id: 'imds', status: 'pass', message: 'IMDS enabled, IMDSv2 required', fix: null },
      { id: 'instance-profile', status: 'skip', message: 'no instance profile attached', fix: null },
      {
        id: 'identity-route',
        status: 'fail',
        message: 'no identity: no instance profile and DHMC is off in us-east-1',
        fix: 'ssm-perms dhmc enable --region us-east-1',
        alternative: `ssm-perms profile attach --name SSMInstanceProfile --instance-id ${instanceId} --region us-east-1`,
      },
    ],
  };
}

function reportOf(instances: InstanceReport[]): DoctorReport {
  const count = (v: string) => instances.filter((i) => i.verdict === v).length;
  return {
    account: '111122223333',
    instances,
    summary: { total: instances.length, managed: count('managed'), ready: count('ready'), notReady: count('not-ready'), stopped: 0, unknown: 0 },
    notFound: [],
    readErrors: [],
    regions: [{ region: 'us-east-1', ok: true, dhmcEnabled: false, error: null }],
    groups: groupInstances(instances, { instanceIds: [], tags: [] }),
  };
}

const plain = createStyle(false);
const at80 = createStyle(false, 80);
const view = { regions: ['us-east-1'], detail: false };
/** The words bash reads from a command (its lines joined as the shell joins them). */
const words = (command: string) => execFileSync('bash', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' });

describe('renderDoctor', () => {
  it('200 instances with one cause: one group, a few examples, one fix and one alternative', () => {
    const out = renderDoctor(reportOf(ids(200).map((id, k) => noIdentity(id, `web-${k + 1}`))), plain, view);
    expect(out.split('\n').slice(0, 5)).toEqual([
      'NOT READY  200 instances in us-east-1',
      '  why:  no identity: no instance profile and DHMC is off in us-east-1',
      `  e.g.: ${ids(3)[0]} (web-1), ${ids(3)[1]} (web-2), ${ids(3)[2]} (web-3), and 197 more`,
      '  fix:  ssm-perms dhmc enable --region us-east-1',
      `  or:   ssm-perms profile attach --name SSMInstanceProfile --instance-id ${ids(200).join(',')} --region us-east-1`,
    ]);
    expect(out.match(/fix:/g)).toHaveLength(1);
    expect(out).toContain('200 instances: 0 managed, 0 ready, 200 not ready\n');
  });

  it('at 80 columns no line is wider, and the wrapped alternative is still the same command for bash', () => {
    const out = renderDoctor(reportOf(ids(200).map((id) => noIdentity(id))), at80, view);
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('  or:   '));
    const end = lines.findIndex((l, k) => k > start && !l.endsWith('\\'));
    const command = lines
      .slice(start, end + 1)
      .join('\n')
      .replace(/^ {2}or: {3}/, '');
    expect(words(command)).toBe(words(`ssm-perms profile attach --name SSMInstanceProfile --instance-id ${ids(200).join(',')} --region us-east-1`));
  });

  it('one instance asked by id: every check with its status, message and fix', () => {
    const r = reportOf([noIdentity(ids(1)[0]!, 'db-1')]);
    const out = renderDoctor(r, plain, { regions: ['us-east-1'], detail: true });
    expect(out.split('\n').slice(0, 7)).toEqual([
      `${ids(1)[0]} (db-1)  us-east-1  running`,
      'not-ready: no identity: no instance profile and DHMC is off in us-east-1',
      '  pass    imds: IMDS enabled, IMDSv2 required',
      '  skip    instance-profile: no instance profile attached',
      '  FAIL    identity-route: no identity: no instance profile and DHMC is off in us-east-1',
      '            fix: ssm-perms dhmc enable --region us-east-1',
      `            or:  ssm-perms profile attach --name SSMInstanceProfile --instance-id ${ids(1)[0]} --region us-east-1`,
    ]);
    // Without detail (several ids asked, or a tag), the same instance is a group.
    expect(renderDoctor(r, plain, view)).toContain('NOT READY  1 instance in us-east-1');
  });

  it('the detail view is for one instance only: with several, the groups', () => {
    const two = reportOf([noIdentity('i-1'), noIdentity('i-2')]);
    expect(renderDoctor(two, plain, { regions: ['us-east-1'], detail: true })).toContain('NOT READY  2 instances in us-east-1');
  });

  it('a fix naming hundreds of instances is not printed whole: where the JSON has it, said as prose', () => {
    const out = renderDoctor(reportOf(ids(300).map((id) => noIdentity(id))), createStyle(false, 80), view);
    expect(out).toContain('  fix:  ssm-perms dhmc enable --region us-east-1\n');
    expect(out.replace(/\n\s+/g, ' ').replace(/ +/g, ' ')).toContain(
      `or: (300 instances: too many to name here; with --json this group's "alternative" holds the commands, 1,000 instances each)`,
    );
    // Prose, not a command: no continuation backslash that would make a paste run half of it.
    expect(out).not.toMatch(/too many[^\n]*\\$/m);
    expect(out).not.toContain(ids(300)[299]);
    // Short enough, the fix is the command itself (the threshold is the length, not a count).
    expect(renderDoctor(reportOf(ids(20).map((id) => noIdentity(id))), plain, view)).toContain(`--instance-id ${ids(20).join(',')} --region us-east-1`);
  });

  it("names a group's other blockers under its reason: 'all' when every instance has it, else how many", () => {
    const route = { id: 'network', status: 'fail' as const, message: 'no route to Systems Manager', fix: null };
    const two = [noIdentity('i-1'), noIdentity('i-2')].map((i, n) => ({ ...i, checks: [...i.checks, ...(n === 0 ? [route] : [])] }));
    expect(renderDoctor(reportOf(two), plain, view)).toContain('  also: no route to Systems Manager (1)\n');
    const both = [noIdentity('i-1'), noIdentity('i-2')].map((i) => ({ ...i, checks: [...i.checks, route] }));
    expect(renderDoctor(reportOf(both), plain, view)).toContain('  also: no route to Systems Manager (all)\n');
    expect(renderDoctorMarkdown(reportOf(both))).toContain('- Also: no route to Systems Manager (all)\n');
  });

  it('a managed group says no why, only which instances', () => {
    const managed: InstanceReport = { ...noIdentity('i-1'), verdict: 'managed', cause: null, reason: 'managed: Online', fix: null, alternative: null };
    expect(
      renderDoctor(reportOf([managed]), plain, view)
        .split('\n')
        .slice(0, 3),
    ).toEqual(['MANAGED  1 instance in us-east-1', '  ids:  i-1', '']);
  });

  it('an empty selection says where it looked and how to look everywhere', () => {
    expect(renderDoctor(reportOf([]), plain, { regions: ['us-east-1', 'us-east-2'], detail: false })).toBe(
      'No instance matched in us-east-1, us-east-2. Instances are regional: to look in every region, add --region all.\n0 instances: 0 managed, 0 ready, 0 not ready\n',
    );
  });

  it('with --region all it counts the regions read and gives no advice to add --region all', () => {
    const regions = ['us-east-1', 'us-east-2', 'eu-west-1'];
    expect(renderDoctor(reportOf([]), plain, { regions, detail: false, everyRegion: true })).toBe(
      'No instance matched in any of the 3 regions read (--region all).\n0 instances: 0 managed, 0 ready, 0 not ready\n',
    );
    const missing = renderDoctor({ ...reportOf([]), notFound: ['i-0123456789abcdef0'] }, plain, { regions, detail: false, everyRegion: true });
    expect(missing).toContain('not found in any of the 3 regions (or terminated): i-0123456789abcdef0\n');
    expect(missing).not.toContain('add --region all');
  });

  it('a managed instance in detail is not "managed: managed: ..."', () => {
    const managed: InstanceReport = {
      ...noIdentity('i-1'),
      verdict: 'managed',
      cause: null,
      reason: 'managed: Online, agent 3.3.1611.0',
      fix: null,
      alternative: null,
      checks: [{ id: 'managed', status: 'pass', message: 'managed: Online, agent 3.3.1611.0', fix: null }],
    };
    expect(
      renderDoctor(reportOf([managed]), plain, { regions: ['us-east-1'], detail: true })
        .split('\n')
        .slice(1, 3),
    ).toEqual(['managed: Online, agent 3.3.1611.0', '  pass    managed: Online, agent 3.3.1611.0']);
  });

  it('ids found nowhere are said once, with the advice, not also as an empty selection', () => {
    const r = { ...reportOf([]), notFound: ['i-0123456789abcdef0'] };
    const out = renderDoctor(r, plain, { regions: ['us-east-1'], detail: false });
    expect(out).not.toContain('No instance matched');
    expect(out.match(/--region all/g)).toHaveLength(1);
  });

  it('ids not found name the regions looked in and suggest --region all', () => {
    const r = { ...reportOf([noIdentity('i-1')]), notFound: ['i-0123456789abcdef0'] };
    expect(renderDoctor(r, plain, { regions: ['us-east-1'], detail: false })).toContain(
      'not found in us-east-1 (or terminated): i-0123456789abcdef0; instances are regional: to look in every region, add --region all\n',
    );
  });

  it('escapes control characters in names and reasons that come from AWS', () => {
    const out = renderDoctor(reportOf([noIdentity('i-1', 'evil\u001b[2Jname')]), plain, view);
    expect(out).toContain('i-1 (evil\\x1b[2Jname)');
    expect(out).not.toContain('\u001b');
  });
});

describe('renderDoctorMarkdown', () => {
  it('a summary table, then a section per group with its fixes in sh code blocks', () => {
    const md = renderDoctorMarkdown(reportOf(ids(5).map((id) => noIdentity(id))));
    expect(md).toContain('## Systems Manager readiness: account 111122223333');
    expect(md).toContain(
      '| verdict | instances | region | reason |\n|---|---:|---|---|\n| Not ready | 5 | us-east-1 | no identity: no instance profile and DHMC is off in us-east-1 |',
    );
    expect(md).toContain('### Not ready: 5 instances in us-east-1');
    expect(md).toContain(`Instances: \`${ids(5)[0]}\`, \`${ids(5)[1]}\`, \`${ids(5)[2]}\`, and 2 more.`);
    expect(md).toContain('Fix:\n\n```sh\nssm-perms dhmc enable --region us-east-1\n```');
    expect(md).toContain(
      `Or instead:\n\n\`\`\`sh\nssm-perms profile attach --name SSMInstanceProfile --instance-id ${ids(5).join(',')} --region us-east-1\n\`\`\``,
    );
  });

  it('escapes what Markdown would read as markup, and fences code longer than any backticks in it', () => {
    const odd = { ...noIdentity('i-1'), reason: 'a | b *c* `d`', fix: 'echo ```x```' };
    const md = renderDoctorMarkdown(reportOf([odd]));
    expect(md).toContain('| a \\| b \\*c\\* \\`d\\` |');
    // Parentheses stay as they are: with the brackets escaped, no link can form.
    expect(renderDoctorMarkdown(reportOf([{ ...noIdentity('i-1'), reason: 'f(x) [y](z)' }]))).toContain('| f(x) \\[y\\](z) |');
    expect(md).toContain('````sh\necho ```x```\n````');
    // An id with a backtick (not an EC2 id, but what the report holds) stays one code span.
    const md2 = renderDoctorMarkdown(reportOf([{ ...noIdentity('i-1'), instanceId: 'i-`1' }]));
    expect(md2).toContain('Instances: `` i-`1 ``.');
  });
});
