// Every ARN the tool builds, in one place, each in the partition of its region: an ARN of `aws` in
// cn-north-1 names nothing (IAM trust cannot cross partitions). Formats are those of the Service
// Authorization Reference for IAM, EC2 and Systems Manager.

/** An AWS managed IAM policy; `name` may carry a path (service-role/X). */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/** A customer managed policy at the path `/`. */
export function customerPolicyArn(partition: string, account: string, name: string): string {
  return `arn:${partition}:iam::${account}:policy/${name}`;
}

/** A role; `path` starts and ends with `/`. */
export function roleArn(partition: string, account: string, path: string, name: string): string {
  return `arn:${partition}:iam::${account}:role${path}${name}`;
}

/** An instance profile; `path` starts and ends with `/`. */
export function instanceProfileArn(partition: string, account: string, path: string, name: string): string {
  return `arn:${partition}:iam::${account}:instance-profile${path}${name}`;
}

/** An EC2 instance (i-...), or with id `*` every instance of the region. */
export function ec2InstanceArn(partition: string, region: string, account: string, id: string): string {
  return `arn:${partition}:ec2:${region}:${account}:instance/${id}`;
}

/** A hybrid managed node (mi-...). */
export function managedInstanceArn(partition: string, region: string, account: string, id: string): string {
  return `arn:${partition}:ssm:${region}:${account}:managed-instance/${id}`;
}

/** An SSM document; AWS-owned documents have an empty account. */
export function ssmDocumentArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:document/${name}`;
}

/** An S3 bucket (or, with `/*` appended by the caller, its objects). */
export function s3BucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}
