import { describe, expect, it } from 'vitest';
import { atLeast, compareVersions, DHMC_MIN_AGENT, SSMMESSAGES_ONLY_AGENT } from '../../../src/policies/agent-version.js';

describe('agent version thresholds', () => {
  it('DHMC needs SSM Agent 3.2.582.0 or later', () => {
    // "SSM Agent version 3.2.582.0 or later installed" - Default Host Management Configuration guide,
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/managed-instances-default-host-management.html
    expect(DHMC_MIN_AGENT).toBe('3.2.582.0');
  });

  it('agents from 3.3.40.0 switch off ec2messages once ssmmessages connects', () => {
    // amazon-ssm-agent RELEASENOTES.md, 3.3.40.0: "Update Messaging module to switch off ec2messages when
    // ssmmessages connected successfully" (https://github.com/aws/amazon-ssm-agent/releases/tag/3.3.40.0).
    expect(SSMMESSAGES_ONLY_AGENT).toBe('3.3.40.0');
  });
});

describe('compareVersions', () => {
  it('compares each part as a number, not as text', () => {
    expect(compareVersions('3.2.1705.0', '3.2.582.0')).toBe(1);
    expect(compareVersions('3.2.582.0', '3.2.1705.0')).toBe(-1);
    expect(compareVersions('3.3.40.0', '3.3.40.0')).toBe(0);
  });

  it('reads a missing trailing part as 0, so a shorter version is compared on all the parts of the longer one', () => {
    expect(compareVersions('3.3', '3.3.40.0')).toBe(-1);
    expect(compareVersions('3.3.40.0', '3.3')).toBe(1);
    expect(compareVersions('3.3.40', '3.3.40.0')).toBe(0);
    expect(compareVersions('3.3.40.1', '3.3.40')).toBe(1);
  });
});

describe('atLeast', () => {
  it('is true from the threshold on and false just below it', () => {
    expect(atLeast('3.2.582.0', '3.2.582.0')).toBe(true);
    expect(atLeast('3.2.1705.0', '3.2.582.0')).toBe(true);
    expect(atLeast('3.2.581.9', '3.2.582.0')).toBe(false);
    expect(atLeast('3.3.40.0', '3.3.40.0')).toBe(true);
    expect(atLeast('3.3.39.0', '3.3.40.0')).toBe(false);
    expect(atLeast('2.3.1319.0', '3.2.582.0')).toBe(false);
  });
});
