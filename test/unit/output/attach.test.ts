import { describe, expect, it } from 'vitest';
import { renderAttach } from '../../../src/output/attach.js';
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
