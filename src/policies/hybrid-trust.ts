// The trust policy of the service role for hybrid and multicloud nodes (the "Create the IAM service
// role required for Systems Manager in hybrid and multicloud environments" procedure): ssm.amazonaws.com,
// confused-deputy protection with aws:SourceAccount and aws:SourceArn.
import { SSM_SERVICE_PRINCIPAL, type PolicyDocument } from './trust.js';

export function hybridTrustPolicy(partition: string, account: string, regions: readonly string[]): PolicyDocument {
  const arns = regions.map((r) => `arn:${partition}:ssm:${r}:${account}:*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: SSM_SERVICE_PRINCIPAL },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnEquals: { 'aws:SourceArn': arns.length === 1 ? arns[0]! : arns },
        },
      },
    ],
  };
}
