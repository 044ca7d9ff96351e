// The lazy client factory. Each SDK client package is import()ed the first time a command needs it, so
// `--help` and the offline generators never load the SDK, and a command loads only its own clients.
// Services see narrow interfaces (the operations they use), which is also the IAM permission list
// the README documents for each command.
import type * as SSM from '@aws-sdk/client-ssm';
import type * as IAM from '@aws-sdk/client-iam';
import type * as EC2 from '@aws-sdk/client-ec2';
import type * as STS from '@aws-sdk/client-sts';
import type * as ORG from '@aws-sdk/client-organizations';
import { assumedRoleProvider, type AssumeRoleParams } from './assume-role.js';
import { requireProfile } from './profiles.js';

export interface CallRecord {
  service: string;
  operation: string;
  region: string;
  ms: number;
  attempts: number;
  /** The AWS error code when the call failed, else null. */
  error: string | null;
  /** The account of a run across accounts whose clients made the call (entered through a role). */
  account?: string;
}

export interface ClientSettings {
  profile?: string | undefined;
  /** The environment the SDK reads (AWS_PROFILE, AWS_CONFIG_FILE...), for checkProfile(). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** --endpoint-url; AWS_ENDPOINT_URL(_<SERVICE>) are honoured by the SDK itself. */
  endpoint?: string | undefined;
  maxAttempts?: number | undefined;
  /** --cli-connect-timeout: seconds to establish the TCP/TLS connection; 0 = no limit (default 60). */
  connectTimeoutSeconds?: number | undefined;
  /** --cli-read-timeout: seconds a connection may stay silent while an answer is awaited; 0 = no limit (default 60). */
  readTimeoutSeconds?: number | undefined;
  retryMode?: 'standard' | 'adaptive' | undefined;
  /** Aborts in-flight calls on Ctrl-C. */
  signal?: AbortSignal | undefined;
  /** Called once per AWS operation (after the SDK's own retries), for --debug and call counting. */
  onCall?: ((call: CallRecord) => void) | undefined;
  /**
   * The credentials of another identity (an account entered with sts:AssumeRole), as the SDK takes them:
   * an object or a provider function. Unset: the SDK's default chain (environment, --profile, SSO, IMDS).
   */
  credentials?: unknown;
  /**
   * The request handler of the factory this one is derived from (another account's credentials): its
   * connections are reused across accounts, which only sign their requests differently.
   */
  sharedNetworkHandler?: (() => Promise<unknown>) | undefined;
  /** The account these clients act in, for the call log (a factory derived for another account). */
  account?: string | undefined;
}

export interface SsmApi {
  getServiceSetting(i: SSM.GetServiceSettingCommandInput): Promise<SSM.GetServiceSettingCommandOutput>;
  updateServiceSetting(i: SSM.UpdateServiceSettingCommandInput): Promise<SSM.UpdateServiceSettingCommandOutput>;
  resetServiceSetting(i: SSM.ResetServiceSettingCommandInput): Promise<SSM.ResetServiceSettingCommandOutput>;
  describeInstanceInformation(i: SSM.DescribeInstanceInformationCommandInput): Promise<SSM.DescribeInstanceInformationCommandOutput>;
  listAssociations(i: SSM.ListAssociationsCommandInput): Promise<SSM.ListAssociationsCommandOutput>;
  // doctor --fix --update-agent
  sendCommand(i: SSM.SendCommandCommandInput): Promise<SSM.SendCommandCommandOutput>;
}

export interface IamApi {
  getRole(i: IAM.GetRoleCommandInput): Promise<IAM.GetRoleCommandOutput>;
  createRole(i: IAM.CreateRoleCommandInput): Promise<IAM.CreateRoleCommandOutput>;
  attachRolePolicy(i: IAM.AttachRolePolicyCommandInput): Promise<IAM.AttachRolePolicyCommandOutput>;
  listAttachedRolePolicies(i: IAM.ListAttachedRolePoliciesCommandInput): Promise<IAM.ListAttachedRolePoliciesCommandOutput>;
  listRolePolicies(i: IAM.ListRolePoliciesCommandInput): Promise<IAM.ListRolePoliciesCommandOutput>;
  getRolePolicy(i: IAM.GetRolePolicyCommandInput): Promise<IAM.GetRolePolicyCommandOutput>;
  getPolicy(i: IAM.GetPolicyCommandInput): Promise<IAM.GetPolicyCommandOutput>;
  getPolicyVersion(i: IAM.GetPolicyVersionCommandInput): Promise<IAM.GetPolicyVersionCommandOutput>;
  createPolicy(i: IAM.CreatePolicyCommandInput): Promise<IAM.CreatePolicyCommandOutput>;
  listPolicyVersions(i: IAM.ListPolicyVersionsCommandInput): Promise<IAM.ListPolicyVersionsCommandOutput>;
  createPolicyVersion(i: IAM.CreatePolicyVersionCommandInput): Promise<IAM.CreatePolicyVersionCommandOutput>;
  deletePolicyVersion(i: IAM.DeletePolicyVersionCommandInput): Promise<IAM.DeletePolicyVersionCommandOutput>;
  tagRole(i: IAM.TagRoleCommandInput): Promise<IAM.TagRoleCommandOutput>;
  updateAssumeRolePolicy(i: IAM.UpdateAssumeRolePolicyCommandInput): Promise<IAM.UpdateAssumeRolePolicyCommandOutput>;
  getInstanceProfile(i: IAM.GetInstanceProfileCommandInput): Promise<IAM.GetInstanceProfileCommandOutput>;
  createInstanceProfile(i: IAM.CreateInstanceProfileCommandInput): Promise<IAM.CreateInstanceProfileCommandOutput>;
  addRoleToInstanceProfile(i: IAM.AddRoleToInstanceProfileCommandInput): Promise<IAM.AddRoleToInstanceProfileCommandOutput>;
  listInstanceProfilesForRole(i: IAM.ListInstanceProfilesForRoleCommandInput): Promise<IAM.ListInstanceProfilesForRoleCommandOutput>;
}

export interface Ec2Api {
  describeRegions(i: EC2.DescribeRegionsCommandInput): Promise<EC2.DescribeRegionsCommandOutput>;
  describeInstances(i: EC2.DescribeInstancesCommandInput): Promise<EC2.DescribeInstancesCommandOutput>;
  describeIamInstanceProfileAssociations(
    i: EC2.DescribeIamInstanceProfileAssociationsCommandInput,
  ): Promise<EC2.DescribeIamInstanceProfileAssociationsCommandOutput>;
  associateIamInstanceProfile(i: EC2.AssociateIamInstanceProfileCommandInput): Promise<EC2.AssociateIamInstanceProfileCommandOutput>;
  replaceIamInstanceProfileAssociation(i: EC2.ReplaceIamInstanceProfileAssociationCommandInput): Promise<EC2.ReplaceIamInstanceProfileAssociationCommandOutput>;
  disassociateIamInstanceProfile(i: EC2.DisassociateIamInstanceProfileCommandInput): Promise<EC2.DisassociateIamInstanceProfileCommandOutput>;
  describeRouteTables(i: EC2.DescribeRouteTablesCommandInput): Promise<EC2.DescribeRouteTablesCommandOutput>;
  describeVpcEndpoints(i: EC2.DescribeVpcEndpointsCommandInput): Promise<EC2.DescribeVpcEndpointsCommandOutput>;
  describeSecurityGroups(i: EC2.DescribeSecurityGroupsCommandInput): Promise<EC2.DescribeSecurityGroupsCommandOutput>;
  describeNetworkInterfaces(i: EC2.DescribeNetworkInterfacesCommandInput): Promise<EC2.DescribeNetworkInterfacesCommandOutput>;
  // endpoints create
  describeVpcs(i: EC2.DescribeVpcsCommandInput): Promise<EC2.DescribeVpcsCommandOutput>;
  describeVpcAttribute(i: EC2.DescribeVpcAttributeCommandInput): Promise<EC2.DescribeVpcAttributeCommandOutput>;
  modifyVpcAttribute(i: EC2.ModifyVpcAttributeCommandInput): Promise<EC2.ModifyVpcAttributeCommandOutput>;
  describeSubnets(i: EC2.DescribeSubnetsCommandInput): Promise<EC2.DescribeSubnetsCommandOutput>;
  describeVpcEndpointServices(i: EC2.DescribeVpcEndpointServicesCommandInput): Promise<EC2.DescribeVpcEndpointServicesCommandOutput>;
  createVpcEndpoint(i: EC2.CreateVpcEndpointCommandInput): Promise<EC2.CreateVpcEndpointCommandOutput>;
  modifyVpcEndpoint(i: EC2.ModifyVpcEndpointCommandInput): Promise<EC2.ModifyVpcEndpointCommandOutput>;
  createSecurityGroup(i: EC2.CreateSecurityGroupCommandInput): Promise<EC2.CreateSecurityGroupCommandOutput>;
  authorizeSecurityGroupIngress(i: EC2.AuthorizeSecurityGroupIngressCommandInput): Promise<EC2.AuthorizeSecurityGroupIngressCommandOutput>;
  // doctor --fix
  authorizeSecurityGroupEgress(i: EC2.AuthorizeSecurityGroupEgressCommandInput): Promise<EC2.AuthorizeSecurityGroupEgressCommandOutput>;
  modifyInstanceMetadataOptions(i: EC2.ModifyInstanceMetadataOptionsCommandInput): Promise<EC2.ModifyInstanceMetadataOptionsCommandOutput>;
}

export interface StsApi {
  getCallerIdentity(i: STS.GetCallerIdentityCommandInput): Promise<STS.GetCallerIdentityCommandOutput>;
}

export interface OrganizationsApi {
  listAccounts(i: ORG.ListAccountsCommandInput): Promise<ORG.ListAccountsCommandOutput>;
  listAccountsForParent(i: ORG.ListAccountsForParentCommandInput): Promise<ORG.ListAccountsForParentCommandOutput>;
  listOrganizationalUnitsForParent(i: ORG.ListOrganizationalUnitsForParentCommandInput): Promise<ORG.ListOrganizationalUnitsForParentCommandOutput>;
}

/** Another account's clients, entered through an IAM role (sts:AssumeRole from this factory's credentials). */
export interface AssumedRole {
  clients: ClientFactory;
  /** Assumes the role now (once; the credentials are then shared by every client and refreshed before they expire). */
  enter(): Promise<void>;
}

export interface ClientFactory {
  ssm(region: string): Promise<SsmApi>;
  /** IAM is global per partition; `region` only picks the partition's endpoint and signing region. */
  iam(region: string): Promise<IamApi>;
  ec2(region: string): Promise<Ec2Api>;
  sts(region: string): Promise<StsApi>;
  /** Organizations is global per partition: the SDK sends every region's calls to its one endpoint. */
  organizations(region: string): Promise<OrganizationsApi>;
  /** The region of the shared-config profile, when neither flags nor environment name one. */
  profileRegion(): Promise<string | undefined>;
  /** Fails with ProfileNotFound (exit 3) when --profile or AWS_PROFILE names a profile no file has. */
  checkProfile(): Promise<void>;
  /**
   * The same settings with other credentials: a factory per account, keyed by `key` (e.g. the account
   * id), so a command runs in another account by being handed another factory. Asking twice for the
   * same key gives the same factory (and its cached clients).
   */
  withCredentials(key: string, credentials: unknown, account?: string): ClientFactory;
  /** The clients of `params.roleArn`, assumed with this factory's credentials; the same object for the same role. */
  assumeRole(params: AssumeRoleParams): AssumedRole;
}

interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  middlewareStack: {
    add(mw: unknown, options: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low'; override?: boolean }): void;
  };
  config: { region: () => Promise<string>; credentials?: (options?: unknown) => Promise<unknown> };
}
type SdkClientCtor = new (config: Record<string, unknown>) => SdkClient;
type SdkCommandCtor = new (input: never) => unknown;

/** `work`, or an AbortError as soon as `signal` fires (what `work` does afterwards is ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = () => Object.assign(new Error('interrupted while the credentials were being resolved'), { name: 'AbortError' });
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The AWS CLI's defaults for --cli-connect-timeout and --cli-read-timeout. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 60;
export const DEFAULT_READ_TIMEOUT_SECONDS = 60;

/**
 * The request handler's options, in the constructor-options form every SDK v3 client accepts for
 * `requestHandler` (it builds its own NodeHttpHandler from them, so nothing more is imported here).
 * The AWS CLI's read timeout is a socket read timeout (the time without a byte from the server), which
 * is NodeHttpHandler's `socketTimeout`; its `requestTimeout` bounds the whole exchange instead, and in
 * @smithy/node-http-handler 4.x only logs a warning unless `throwOnRequestTimeout` is also set.
 * 0 disables both, as 0 does in the AWS CLI.
 */
export function requestHandlerOptions(settings: Pick<ClientSettings, 'connectTimeoutSeconds' | 'readTimeoutSeconds'>): {
  connectionTimeout: number;
  socketTimeout: number;
} {
  return {
    connectionTimeout: (settings.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000,
    socketTimeout: (settings.readTimeoutSeconds ?? DEFAULT_READ_TIMEOUT_SECONDS) * 1000,
  };
}

export function createClientFactory(settings: ClientSettings): ClientFactory {
  const cache = new Map<string, Promise<unknown>>();

  // One request handler for every client of this factory (proxies, CA bundle, timeouts), made when the
  // first client is: a bad proxy or CA bundle fails there, before any call is sent.
  let handler: Promise<unknown> | undefined;
  const networkHandler =
    settings.sharedNetworkHandler ??
    (() =>
      (handler ??= Promise.all([import('./network-config.js'), import('./network-handler.js')]).then(async ([config, made]) =>
        made.createNetworkHandler(requestHandlerOptions(settings), await config.resolveNetwork(settings.profile, settings.env)),
      )));

  function baseConfig(region: string | undefined, requestHandler: unknown = requestHandlerOptions(settings)): Record<string, unknown> {
    // `clientConfig` is what the SDK's credential providers give the clients they make themselves (SSO's
    // GetRoleCredentials, SSO OIDC token refresh: credential-provider-sso resolveSSOCredentials,
    // token-providers getSsoOidcClient), so those calls use the same proxy and CA bundle; STS AssumeRole
    // for a role profile takes the parent's requestHandler already (nested-clients defaultStsRoleAssumers).
    const config: Record<string, unknown> = { customUserAgent: 'ssm-perms', requestHandler, clientConfig: { requestHandler } };
    if (region) config.region = region;
    if (settings.profile) config.profile = settings.profile;
    if (settings.endpoint) config.endpoint = settings.endpoint;
    if (settings.maxAttempts) config.maxAttempts = settings.maxAttempts;
    if (settings.retryMode) config.retryMode = settings.retryMode;
    if (settings.credentials !== undefined) config.credentials = settings.credentials;
    return config;
  }

  /** The --debug / call-count middleware of one client: one record per operation, after the SDK's retries. */
  function callLog(service: string, region: string, account = settings.account) {
    const onCall = settings.onCall!;
    const of = account === undefined ? {} : { account };
    return (next: (args: unknown) => Promise<{ output: { $metadata?: { attempts?: number } } }>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const started = performance.now();
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        try {
          const result = await next(args);
          onCall({
            service,
            operation,
            region,
            ms: Math.round(performance.now() - started),
            attempts: result.output.$metadata?.attempts ?? 1,
            error: null,
            ...of,
          });
          return result;
        } catch (e) {
          const err = e as { name?: string; $metadata?: { attempts?: number } };
          onCall({
            service,
            operation,
            region,
            ms: Math.round(performance.now() - started),
            attempts: err.$metadata?.attempts ?? 1,
            error: err.name ?? 'Error',
          });
          throw e;
        }
      };
  }
  // 'initialize' wraps the retry middleware, so one line reports one operation with its attempts.
  const CALL_LOG = { step: 'initialize', name: 'ssmPermsCallLog', priority: 'high' } as const;

  function instrument(client: SdkClient, service: string, region: string): void {
    if (settings.onCall) client.middlewareStack.add(callLog(service, region), CALL_LOG);
  }

  /**
   * Ctrl-C abandons credentials still being resolved - a credential_process, SSO or an assumed role
   * that hangs - for reads and writes alike: nothing has been sent with them yet. (The CLI stops the
   * child processes they started.) The SDK reads `config.credentials` on every call.
   */
  function abortableCredentials(client: SdkClient): void {
    const signal = settings.signal;
    const resolve = client.config.credentials;
    if (!signal || typeof resolve !== 'function') return;
    client.config.credentials = (options?: unknown) => untilAborted(resolve(options), signal);
  }

  /**
   * Builds an API object whose methods send the named SDK commands through one cached client. `load`
   * gives the service's module of named commands (./sdk/), so a command missing there fails to compile.
   */
  function api<T, M extends object>(
    service: string,
    region: string,
    load: () => Promise<M>,
    clientName: keyof M & string,
    operations: Record<keyof T & string, keyof M & string>,
  ): Promise<T> {
    const key = `${service}:${region}`;
    let made = cache.get(key) as Promise<T> | undefined;
    if (!made) {
      made = Promise.all([load(), networkHandler()]).then(([mod, requestHandler]) => {
        const Client = mod[clientName] as unknown as SdkClientCtor;
        const client = new Client(baseConfig(region, requestHandler));
        instrument(client, service, region);
        abortableCredentials(client);
        const out: Record<string, (input: unknown) => Promise<unknown>> = {};
        for (const [method, commandName] of Object.entries(operations) as [string, keyof M & string][]) {
          const Command = mod[commandName] as unknown as SdkCommandCtor;
          // Ctrl-C abandons reads in flight, but lets a write finish: cutting it off would leave the
          // change in an unknown state. Services stop starting new calls once the signal fires.
          const abortable = /^(Get|List|Describe)/.test(commandName) && settings.signal ? { abortSignal: settings.signal } : undefined;
          out[method] = (input: unknown) => client.send(new Command(input as never), abortable);
        }
        return out as T;
      });
      cache.set(key, made);
    }
    return made;
  }

  const accounts = new Map<string, ClientFactory>();
  const roles = new Map<string, AssumedRole>();

  const factory: ClientFactory = {
    ssm: (region) =>
      api<SsmApi, typeof import('./sdk/ssm.js')>('ssm', region, () => import('./sdk/ssm.js'), 'SSMClient', {
        getServiceSetting: 'GetServiceSettingCommand',
        updateServiceSetting: 'UpdateServiceSettingCommand',
        resetServiceSetting: 'ResetServiceSettingCommand',
        describeInstanceInformation: 'DescribeInstanceInformationCommand',
        listAssociations: 'ListAssociationsCommand',
        sendCommand: 'SendCommandCommand',
      }),
    iam: (region) =>
      api<IamApi, typeof import('./sdk/iam.js')>('iam', region, () => import('./sdk/iam.js'), 'IAMClient', {
        getRole: 'GetRoleCommand',
        createRole: 'CreateRoleCommand',
        attachRolePolicy: 'AttachRolePolicyCommand',
        listAttachedRolePolicies: 'ListAttachedRolePoliciesCommand',
        listRolePolicies: 'ListRolePoliciesCommand',
        getRolePolicy: 'GetRolePolicyCommand',
        getPolicy: 'GetPolicyCommand',
        getPolicyVersion: 'GetPolicyVersionCommand',
        createPolicy: 'CreatePolicyCommand',
        listPolicyVersions: 'ListPolicyVersionsCommand',
        createPolicyVersion: 'CreatePolicyVersionCommand',
        deletePolicyVersion: 'DeletePolicyVersionCommand',
        tagRole: 'TagRoleCommand',
        updateAssumeRolePolicy: 'UpdateAssumeRolePolicyCommand',
        getInstanceProfile: 'GetInstanceProfileCommand',
        createInstanceProfile: 'CreateInstanceProfileCommand',
        addRoleToInstanceProfile: 'AddRoleToInstanceProfileCommand',
        listInstanceProfilesForRole: 'ListInstanceProfilesForRoleCommand',
      }),
    ec2: (region) =>
      api<Ec2Api, typeof import('./sdk/ec2.js')>('ec2', region, () => import('./sdk/ec2.js'), 'EC2Client', {
        describeRegions: 'DescribeRegionsCommand',
        describeInstances: 'DescribeInstancesCommand',
        describeIamInstanceProfileAssociations: 'DescribeIamInstanceProfileAssociationsCommand',
        associateIamInstanceProfile: 'AssociateIamInstanceProfileCommand',
        replaceIamInstanceProfileAssociation: 'ReplaceIamInstanceProfileAssociationCommand',
        disassociateIamInstanceProfile: 'DisassociateIamInstanceProfileCommand',
        describeRouteTables: 'DescribeRouteTablesCommand',
        describeVpcEndpoints: 'DescribeVpcEndpointsCommand',
        describeSecurityGroups: 'DescribeSecurityGroupsCommand',
        describeNetworkInterfaces: 'DescribeNetworkInterfacesCommand',
        describeVpcs: 'DescribeVpcsCommand',
        describeVpcAttribute: 'DescribeVpcAttributeCommand',
        modifyVpcAttribute: 'ModifyVpcAttributeCommand',
        describeSubnets: 'DescribeSubnetsCommand',
        describeVpcEndpointServices: 'DescribeVpcEndpointServicesCommand',
        createVpcEndpoint: 'CreateVpcEndpointCommand',
        modifyVpcEndpoint: 'ModifyVpcEndpointCommand',
        createSecurityGroup: 'CreateSecurityGroupCommand',
        authorizeSecurityGroupIngress: 'AuthorizeSecurityGroupIngressCommand',
        authorizeSecurityGroupEgress: 'AuthorizeSecurityGroupEgressCommand',
        modifyInstanceMetadataOptions: 'ModifyInstanceMetadataOptionsCommand',
      }),
    sts: (region) =>
      api<StsApi, typeof import('./sdk/sts.js')>('sts', region, () => import('./sdk/sts.js'), 'STSClient', {
        getCallerIdentity: 'GetCallerIdentityCommand',
      }),
    organizations: (region) =>
      api<OrganizationsApi, typeof import('./sdk/organizations.js')>('organizations', region, () => import('./sdk/organizations.js'), 'OrganizationsClient', {
        listAccounts: 'ListAccountsCommand',
        listAccountsForParent: 'ListAccountsForParentCommand',
        listOrganizationalUnitsForParent: 'ListOrganizationalUnitsForParentCommand',
      }),
    assumeRole(params) {
      let role = roles.get(params.roleArn);
      if (!role) {
        // The STS client that assumes the role is configured as this factory's clients are (profile,
        // endpoint, proxy, retries) and logs its AssumeRole calls with theirs.
        // arn:<partition>:iam::<account>:role/...
        const account = params.roleArn.split(':')[4];
        const provider = assumedRoleProvider(params, async () => ({
          config: baseConfig(params.region, await networkHandler()),
          // fromTemporaryCredentials applies its plugins on every AssumeRole (each refresh), to the same
          // client: `override` lets the call log replace itself instead of failing as a duplicate name.
          plugin: settings.onCall
            ? { applyToStack: (stack: SdkClient['middlewareStack']) => stack.add(callLog('sts', params.region, account), { ...CALL_LOG, override: true }) }
            : undefined,
        }));
        const clients = factory.withCredentials(`role:${params.roleArn}`, provider, account);
        const signal = settings.signal;
        role = { clients, enter: async () => void (await (signal ? untilAborted(provider(), signal) : provider())) };
        roles.set(params.roleArn, role);
      }
      return role;
    },
    withCredentials(key, credentials, account) {
      let factory = accounts.get(key);
      if (!factory) {
        factory = createClientFactory({ ...settings, credentials, sharedNetworkHandler: networkHandler, account });
        accounts.set(key, factory);
      }
      return factory;
    },
    checkProfile: () => requireProfile({ flag: settings.profile, env: settings.env ?? {} }),
    async profileRegion() {
      // The SDK already knows how to read the shared config for a profile (AWS_PROFILE, --profile,
      // AWS_CONFIG_FILE); ask it rather than parsing INI files here.
      const { STSClient } = await import('./sdk/sts.js');
      try {
        const client = new STSClient(baseConfig(undefined)) as unknown as SdkClient;
        return await client.config.region();
      } catch {
        return undefined;
      }
    },
  };
  return factory;
}
