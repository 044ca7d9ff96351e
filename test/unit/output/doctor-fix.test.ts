// doctor --fix as text: each fix with the instances it serves (and those sharing a role), its warning
// and error; what is left for you with its command; the notes; the one question; before -> after.
import { describe, expect, it } from 'vitest';
import { createStyle } from '../../../src/output/style.js';
import { fixQuestion, renderBeforeAfter, renderFix } from '../../../src/output/doctor-fix.js';
import type { FixOutcome, FixResult } from '../../../src/services/doctor/fix-apply.js';

const fix = (over: Partial<FixOutcome>): FixOutcome => ({
  id: 'x',
  kind: 'role-policy',
  region: null,
  target: 'Weak',
  summary: 'attach AmazonSSMManagedInstanceCore to role Weak',
  instanceIds: ['i-1'],
  sharedWith: [],
  warning: null,
  status: 'planned',
  error: null,
  ...over,
});
const result = (over: Partial<FixResult>): FixResult => ({
  account: '111122223333',
  dryRun: true,
  changes: [],
  regions: [],
  warnings: [],
  fixes: [],
  leftForYou: [],
  notes: [],
  ...over,
});
const plain = createStyle(false);

describe('doctor --fix text', () => {
  it('a fix names its instances, the others sharing the role, its warning and its error', () => {
    const text = renderFix(
      result({
        fixes: [
          fix({ sharedWith: ['i-2', 'i-3'] }),
          fix({
            region: 'us-east-1',
            summary: 'require IMDSv2',
            warning: 'breaks IMDSv1 applications',
            status: 'failed',
            error: { code: 'AccessDenied', message: 'denied', hint: null },
          }),
        ],
      }),
      plain,
    );
    expect(text).toContain('Fix plan (dry run, nothing changed):');
    expect(text).toMatch(
      /planned\s+global\s+attach AmazonSSMManagedInstanceCore to role Weak\n\s+for 1 instance: i-1\n\s+also used by 2 other instances: i-2, i-3\n/,
    );
    expect(text).toMatch(/FAILED\s+us-east-1\s+require IMDSv2\n\s+for 1 instance: i-1\n\s+warning: breaks IMDSv1 applications\n\s+AccessDenied: denied\n/);
  });

  it('left for you: each instance with its reason and the command to review; then the notes', () => {
    const text = renderFix(
      result({
        leftForYou: [
          {
            instanceId: 'i-9',
            region: 'us-east-2',
            reason: 'role D does not trust ssm.amazonaws.com',
            command: 'aws iam update-assume-role-policy --role-name D',
          },
        ],
        notes: ['1 instance allows IMDSv1 (i-4): --require-imdsv2 requires IMDSv2 on them'],
      }),
      plain,
    );
    expect(text).toContain('Nothing doctor --fix can change itself: what is left is yours, below.');
    expect(text).not.toContain('Nothing to fix');
    expect(renderFix(result({}), plain)).toBe('Nothing to fix from the AWS side.\n');
    expect(text).toContain(
      'Left for you (1 instance; not fixable from the AWS side by doctor --fix):\n  i-9 (us-east-2):\n    role D does not trust ssm.amazonaws.com\n    aws iam update-assume-role-policy --role-name D\n',
    );
    expect(text).toContain('note: 1 instance allows IMDSv1 (i-4): --require-imdsv2');
  });

  it('left for you at scale: one entry per region and reason naming its instances, every line within 80 columns', () => {
    const reason =
      'nothing blocks it from the AWS side, but it is not registered: expect it within minutes (up to 30 with DHMC); if it never registers, SSM Agent is not installed or not running on it';
    const noAgent = Array.from({ length: 300 }, (_, n) => ({ instanceId: `i-${String(n).padStart(17, '0')}`, region: 'us-east-2', reason, command: null }));
    const elsewhere = { instanceId: 'i-0aaaaaaaaaaaaaaaa', region: 'eu-west-1', reason, command: null };
    const trust = {
      instanceId: 'i-0bbbbbbbbbbbbbbbb',
      region: 'us-east-2',
      reason: 'role D does not trust ssm.amazonaws.com',
      command: 'aws iam update-assume-role-policy --role-name D',
    };
    const text = renderFix(result({ leftForYou: [...noAgent.slice(0, 150), trust, elsewhere, ...noAgent.slice(150)] }), createStyle(false, 80));
    const left = text.slice(text.indexOf('Left for you'));
    expect(left.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(left).toContain('Left for you (302 instances;');
    expect(left).toContain(
      '\n  300 instances in us-east-2: i-00000000000000000, i-00000000000000001,\n      i-00000000000000002, i-00000000000000003, i-00000000000000004 and 295 more\n    nothing blocks it',
    );
    expect(left).toContain('  i-0bbbbbbbbbbbbbbbb (us-east-2):\n    role D does not trust ssm.amazonaws.com\n    aws iam update-assume-role-policy');
    expect(left).toContain('  i-0aaaaaaaaaaaaaaaa (eu-west-1):\n    nothing blocks it');
    // The reason is said once per group: three groups, not 302 paragraphs.
    expect(left.match(/nothing blocks it/g)).toHaveLength(2);
  });

  it('the question lists the planned fixes only', () => {
    const r = result({
      fixes: [fix({}), fix({ status: 'unchanged', summary: 'nothing' })],
      changes: [{ region: null, action: 'attach', resource: 'r', operation: 'iam:AttachRolePolicy', status: 'planned', details: {}, error: null }],
    });
    expect(fixQuestion(r)).toBe(
      'doctor --fix will make 1 change in 1 fix:\n  - global: attach AmazonSSMManagedInstanceCore to role Weak (1 instance)\nApply it?',
    );
    // What the fixes replace is said before the question (a VPC's DNS attribute, another DHMC role).
    expect(fixQuestion(r, ['enableDnsHostnames of vpc-1 (off, turned on for private DNS)'])).toBe(
      'doctor --fix will make 1 change in 1 fix:\n  - global: attach AmazonSSMManagedInstanceCore to role Weak (1 instance)\nThis replaces:\n  - enableDnsHostnames of vpc-1 (off, turned on for private DNS)\nApply it?',
    );
  });

  it('before -> after: the verdicts present on either side', () => {
    const before = { total: 3, managed: 1, ready: 0, notReady: 2, stopped: 0, unknown: 0 };
    const after = { total: 3, managed: 2, ready: 1, notReady: 0, stopped: 0, unknown: 0 };
    expect(renderBeforeAfter(before, after, plain)).toBe('\nbefore -> after (3 instances): managed 1 -> 2, ready 0 -> 1, not-ready 2 -> 0\n');
  });
});
