// An AWS Organization in the emulator, built through its AWS API (the SDK, as seed-world.mjs does): the
// management account 123456789012 (moto's own), OU Prod with an OU Web below it, OU Dev, a few member
// accounts in them, one closed (SUSPENDED) account, and an EC2 instance in two members - launched with the
// credentials sts:AssumeRole returns for the member's OrganizationAccountAccessRole, which moto makes act
// in that account (/work/shared/reference/emulator.md, "Many accounts in moto"). Used by the --accounts
// end-to-end tests (test/e2e/accounts.test.ts). Plain JavaScript, like moto.mjs.
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

export const MANAGEMENT = '123456789012';
export const ORG_ROLE = 'OrganizationAccountAccessRole';

const caller = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const config = (url, region, credentials = caller) => ({ region, endpoint: url, credentials });

/** The credentials of the org role in `account`, from sts:AssumeRole with the management account's. */
export async function memberCredentials(url, account, region = 'us-east-1') {
  const sts = new STSClient(config(url, region));
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ORG_ROLE}`, RoleSessionName: 'org-world' }));
  const c = out.Credentials;
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/**
 * Builds the organization. Returns the ids: { root, ou: { prod, web, dev }, accounts: { prod1, prod2,
 * web1, dev1, dev2, closed }, instances: { prod1, dev1 } } (names prod-1, prod-2, web-1, dev-1, dev-2,
 * dev-closed; the instances are tagged Team=ops, in `region`).
 */
export async function seedOrganization(url, region = 'us-east-1') {
  const org = new OrganizationsClient(config(url, region));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const root = (await org.send(new ListRootsCommand({}))).Roots[0].Id;
  const unit = async (parent, name) => (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name }))).OrganizationalUnit.Id;
  const prod = await unit(root, 'Prod');
  const web = await unit(prod, 'Web');
  const dev = await unit(root, 'Dev');
  // moto creates an account at once (State SUCCEEDED in the CreateAccount answer), in the root.
  const account = async (name, parent) => {
    const id = (await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus.AccountId;
    await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: parent }));
    return id;
  };
  const accounts = {
    prod1: await account('prod-1', prod),
    prod2: await account('prod-2', prod),
    web1: await account('web-1', web),
    dev1: await account('dev-1', dev),
    dev2: await account('dev-2', dev),
    closed: await account('dev-closed', dev),
  };
  await org.send(new CloseAccountCommand({ AccountId: accounts.closed }));
  const launch = async (account) => {
    const ec2 = new EC2Client(config(url, region, await memberCredentials(url, account, region)));
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Team', Value: 'ops' }] }],
      }),
    );
    return out.Instances[0].InstanceId;
  };
  const [p1, d1] = await Promise.all([launch(accounts.prod1), launch(accounts.dev1)]);
  return { root, ou: { prod, web, dev }, accounts, instances: { prod1: p1, dev1: d1 } };
}
