import { describe, expect, it } from 'vitest';
import { profileLabel, renderAttach, replaceQuestion } from '../../../src/output/attach.js';
import { createStyle } from '../../../src/output/style.js';
import type { AttachResult } from '../../../src/services/profile/attach-plan.js';

const instance = (id: string, hint: string | null) => ({
  instanceId: id,
  region: 'us-east-1',
  name: null,
  state: 'stopped',
  previousInstanceProfileArn: 'arn:aws:iam::1:instance-profile/Old',
  action: 'replace' as const,
  status: 'failed' as const,
  associationId: null,
  associationState: null,
  message: null,
  error: { code: 'UnauthorizedOperation', message: 'the instance has NO instance profile now', hint },
});

describe('renderAttach', () => {
  it("prints each distinct hint of a failure under the table, so a rollback's command is not lost in text mode", () => {
    const hint =
      'Attach one: aws ec2 associate-iam-instance-profile --instance-id i-1 --iam-instance-profile Arn=arn:aws:iam::1:instance-profile/Old --region us-east-1';
    const r = {
      account: '1',
      dryRun: false,
      changes: [],
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      warnings: [],
      instanceProfileArn: 'arn:aws:iam::1:instance-profile/New',
      instances: [instance('i-1', hint), instance('i-2', hint), instance('i-3', null)],
      summary: { attached: 0, replaced: 0, unchanged: 0, skipped: 0, failed: 3, planned: 0 },
    } as AttachResult;
    const text = renderAttach(r, createStyle(false));
    expect(text).toContain(`hint: ${hint}`);
    expect(text.split(hint)).toHaveLength(2);
  });
});

describe('replaceQuestion', () => {
  const swap = (n: number, region: string, profile: string) => ({
    instanceId: `i-${String(n).padStart(17, '0')}`,
    region,
    previousInstanceProfileArn: `arn:aws:iam::1:instance-profile/${profile}`,
  });

  it('counts per region and per current profile (most first), with three examples each and "e.g." when there are more', () => {
    const swaps = [
      swap(1, 'us-east-1', 'Old'),
      swap(2, 'us-east-2', 'Legacy'),
      swap(3, 'us-east-1', 'Old'),
      swap(4, 'us-east-1', 'Old'),
      swap(5, 'us-east-1', 'Old'),
    ];
    expect(replaceQuestion(swaps, 'SSMInstanceProfile')).toBe(
      [
        'About to replace the instance profile of 5 instances with SSMInstanceProfile:',
        '  in us-east-1: 4, us-east-2: 1',
        '  from Old: 4',
        '    e.g. i-00000000000000001, i-00000000000000003, i-00000000000000004',
        '  from Legacy: 1',
        '    i-00000000000000002',
        'Replace them?',
      ].join('\n'),
    );
  });

  it('lists five source profiles, then counts the others together', () => {
    const swaps = Array.from({ length: 7 }, (_, k) => swap(k, 'us-east-1', `P${k}`));
    const lines = replaceQuestion(swaps, 'New').split('\n');
    expect(lines.filter((l) => l.startsWith('  from P'))).toHaveLength(5);
    expect(lines).toContain('  from 2 other profiles: 2');
  });

  it('one instance: singular, and "it"', () => {
    expect(replaceQuestion([swap(1, 'eu-west-1', 'Old')], 'New')).toBe(
      'About to replace the instance profile of 1 instance with New:\n  in eu-west-1: 1\n  from Old: 1\n    i-00000000000000001\nReplace it?',
    );
  });

  it('names a profile with its path, and says when the current profile is unknown', () => {
    expect(profileLabel('arn:aws:iam::1:instance-profile/team/a/Web')).toBe('team/a/Web');
    expect(profileLabel(null)).toBe('(unknown profile)');
  });
});

describe('renderAttach: reruns and interrupted runs', () => {
  const base = (instances: object[], summary: Partial<AttachResult['summary']>, dryRun = false) =>
    ({
      account: '1',
      dryRun,
      changes: [],
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      warnings: [],
      instanceProfileArn: 'arn:aws:iam::1:instance-profile/SSMInstanceProfile',
      instances,
      summary: { attached: 0, replaced: 0, unchanged: 0, skipped: 0, failed: 0, planned: 0, ...summary },
    }) as AttachResult;
  const row = (id: string, status: string, error: object | null = null) => ({
    ...instance(id, null),
    action: 'associate',
    status,
    error,
    previousInstanceProfileArn: null,
  });

  it('every instance already as asked: one line, no table, no summary', () => {
    const r = base([row('i-1', 'unchanged'), row('i-2', 'unchanged'), row('i-3', 'unchanged'), row('i-4', 'unchanged')], { unchanged: 4 });
    expect(renderAttach(r, createStyle(false))).toBe('4 instances already have SSMInstanceProfile\n');
  });

  it('a dry run of the same says it is a plan, then the one line', () => {
    const r = base([row('i-1', 'unchanged')], { unchanged: 1 }, true);
    expect(renderAttach(r, createStyle(false))).toBe(
      'Plan for arn:aws:iam::1:instance-profile/SSMInstanceProfile (dry run, nothing changed):\n1 instance already has SSMInstanceProfile (i-1)\n',
    );
  });

  it('a region that could not be read is never hidden behind the one line', () => {
    const r = {
      ...base([row('i-1', 'unchanged')], { unchanged: 1 }),
      regions: [{ region: 'us-east-2', ok: false, error: { code: 'X', message: 'm', hint: null } }],
    };
    const text = renderAttach(r, createStyle(false));
    expect(text).toContain('region us-east-2 failed: X: m');
    expect(text).toContain('0 attached, 0 replaced, 1 unchanged, 0 skipped, 0 failed\n');
  });

  it('counts the instances not attempted apart from the failures, and says the run was interrupted', () => {
    const notTried = { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: 'Run the command again.' };
    const r = base(
      [
        row('i-1', 'applied'),
        row('i-2', 'failed', { code: 'UnauthorizedOperation', message: 'no', hint: null }),
        row('i-3', 'failed', notTried),
        row('i-4', 'failed', notTried),
      ],
      { attached: 1, failed: 3 },
    );
    expect(renderAttach(r, createStyle(false), { interrupted: true })).toMatch(
      /\n1 attached, 0 replaced, 0 unchanged, 0 skipped, 1 failed, 2 not attempted \(interrupted\)\n$/,
    );
    // Not attempted for another reason (a region not read): counted apart, without "(interrupted)".
    expect(renderAttach(r, createStyle(false))).toMatch(/1 failed, 2 not attempted\n$/);
  });
});

describe('renderAttach: a replaced instance', () => {
  it('names the previous profile by its name (with its path) in the table, not by its ARN', () => {
    const r = {
      account: '1',
      dryRun: false,
      changes: [],
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      warnings: [],
      instanceProfileArn: 'arn:aws:iam::1:instance-profile/New',
      instances: [
        { ...instance('i-1', null), state: 'running', status: 'applied', error: null, previousInstanceProfileArn: 'arn:aws:iam::1:instance-profile/team/Old' },
      ],
      summary: { attached: 0, replaced: 1, unchanged: 0, skipped: 0, failed: 0, planned: 0 },
    } as AttachResult;
    const text = renderAttach(r, createStyle(false, 80));
    expect(text).toMatch(/i-1\s+us-east-1\s+-\s+running\s+replaced\s+was team\/Old\n/);
    expect(text).not.toContain('arn:aws:iam');
  });
});

describe('renderAttach: the line of instances that already have the profile', () => {
  it('wraps at the terminal width, never past it', () => {
    const ids = ['i-0a1b2c3d4e5f60001', 'i-0a1b2c3d4e5f60002', 'i-0a1b2c3d4e5f60003'];
    const r = {
      account: '1',
      dryRun: false,
      changes: [],
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      warnings: [],
      instanceProfileArn: 'arn:aws:iam::1:instance-profile/SSMInstanceProfile',
      instances: ids.map((id) => ({ ...instance(id, null), status: 'unchanged', error: null })),
      summary: { attached: 0, replaced: 0, unchanged: 3, skipped: 0, failed: 0, planned: 0 },
    } as AttachResult;
    const text = renderAttach(r, createStyle(false, 60));
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(text.replace(/\n\s*/g, ' ').trim()).toBe(`3 instances already have SSMInstanceProfile (${ids.join(', ')})`);
    // No width (a pipe): one line.
    expect(renderAttach(r, createStyle(false)).split('\n')).toHaveLength(2);
  });

  it('keeps an instance id whole in the table at a narrow width: it is what gets copied', () => {
    const id = 'i-0a1b2c3d4e5f60001';
    const r = {
      account: '1',
      dryRun: true,
      changes: [],
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      warnings: [],
      instanceProfileArn: 'arn:aws:iam::1:instance-profile/SSMInstanceProfile',
      instances: [{ ...instance(id, null), name: 'a-web-server-with-a-long-name', status: 'planned', error: null }],
      summary: { attached: 0, replaced: 0, unchanged: 0, skipped: 0, failed: 0, planned: 1 },
    } as unknown as AttachResult;
    const text = renderAttach(r, createStyle(false, 64));
    expect(text).toContain(id);
    expect(text.split('\n').filter((l) => l.length > 64)).toEqual([]);
  });
});

describe('renderAttach: an interrupted run and an empty selection', () => {
  const base = {
    account: '1',
    dryRun: false,
    changes: [],
    warnings: [],
    instanceProfileArn: 'arn:aws:iam::1:instance-profile/SSMInstanceProfile',
  };
  const notAttempted = (id: string) => ({
    ...instance(id, null),
    status: 'failed',
    action: 'attach',
    error: { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: null },
  });

  it('instances not attempted get no row each and no region failure line: the summary counts them', () => {
    const r = {
      ...base,
      regions: [{ region: 'us-east-2', ok: false, error: { code: 'NotAttempted', message: 'interrupted before this instance was changed', hint: null } }],
      instances: [{ ...instance('i-1', null), status: 'applied', action: 'attach', error: null }, notAttempted('i-2'), notAttempted('i-3')],
      summary: { attached: 1, replaced: 0, unchanged: 0, skipped: 0, failed: 2, planned: 0 },
    } as unknown as AttachResult;
    const text = renderAttach(r, createStyle(false), { interrupted: true });
    expect(text).not.toContain('i-2');
    expect(text).not.toContain('region us-east-2 failed');
    expect(text).toContain('i-1');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 attached, 0 replaced, 0 unchanged, 0 skipped, 0 failed, 2 not attempted (interrupted)');
  });

  it('an empty selection names the regions and suggests --region all', () => {
    const r = {
      ...base,
      regions: [{ region: 'us-east-1', ok: true, error: null }],
      instances: [],
      summary: { attached: 0, replaced: 0, unchanged: 0, skipped: 0, failed: 0, planned: 0 },
    } as unknown as AttachResult;
    expect(renderAttach(r, createStyle(false), { regions: ['us-east-1'] })).toContain(
      'No instance matched in us-east-1. Instances are regional: to look in every region, add --region all.\n',
    );
    // Every region read already: no advice to add it.
    expect(renderAttach(r, createStyle(false), { regions: ['us-east-1', 'eu-west-1'], everyRegion: true })).toContain(
      'No instance matched in any of the 2 regions read (--region all).\n',
    );
  });
});
