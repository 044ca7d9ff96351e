import { describe, expect, it } from 'vitest';
import {
  awsManagedPolicyArn,
  customerPolicyArn,
  ec2InstanceArn,
  instanceProfileArn,
  managedInstanceArn,
  roleArn,
  s3BucketArn,
  ssmDocumentArn,
} from '../../../src/policies/arn.js';

describe('ARNs, in the partition given', () => {
  it('build the formats of the Service Authorization Reference', () => {
    expect(awsManagedPolicyArn('aws-cn', 'AmazonSSMManagedInstanceCore')).toBe('arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect(awsManagedPolicyArn('aws', 'service-role/AmazonEC2RoleforSSM')).toBe('arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM');
    expect(customerPolicyArn('aws-us-gov', '111122223333', 'P')).toBe('arn:aws-us-gov:iam::111122223333:policy/P');
    expect(roleArn('aws', '111122223333', '/service-role/', 'R')).toBe('arn:aws:iam::111122223333:role/service-role/R');
    expect(instanceProfileArn('aws-cn', '111122223333', '/team/', 'P')).toBe('arn:aws-cn:iam::111122223333:instance-profile/team/P');
    expect(ec2InstanceArn('aws', 'us-east-2', '111122223333', 'i-0123456789abcdef0')).toBe('arn:aws:ec2:us-east-2:111122223333:instance/i-0123456789abcdef0');
    expect(managedInstanceArn('aws-us-gov', 'us-gov-west-1', '111122223333', 'mi-0123456789abcdef0')).toBe(
      'arn:aws-us-gov:ssm:us-gov-west-1:111122223333:managed-instance/mi-0123456789abcdef0',
    );
    expect(ssmDocumentArn('aws', 'eu-west-1', '', 'AWS-RunShellScript')).toBe('arn:aws:ssm:eu-west-1::document/AWS-RunShellScript');
    expect(s3BucketArn('aws-cn', 'b')).toBe('arn:aws-cn:s3:::b');
  });
});
