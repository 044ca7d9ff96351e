// The `profile attach` request the unit tests start from: instance profile SSMInstanceProfile for the
// instances tagged Env=prod in us-east-1, without --replace or --wait, 8 at a time.
import type { AttachRequest } from '../../src/services/profile/attach-plan.js';
import { ACCOUNT } from './aws-mocks.js';

/** The n-th instance id, in the 17-hex-digit form EC2 gives. */
export const instanceId = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;

export function attachRequest(over: Partial<AttachRequest> = {}): AttachRequest {
  return {
    partition: 'aws',
    account: ACCOUNT,
    regions: ['us-east-1'],
    iamRegion: 'us-east-1',
    profileName: 'SSMInstanceProfile',
    instanceIds: [],
    tags: [{ Key: 'Env', Value: 'prod' }],
    replace: false,
    concurrency: 8,
    wait: false,
    ...over,
  };
}
