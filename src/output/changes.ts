// Text rendering of a mutating command's result: one line per change, then per-region failures.
import type { Change, MutationResult } from '../services/result.js';
import { escapeControls } from './escape.js';
import type { Style } from './style.js';
import { hang } from './table.js';

function describe(c: Change): string {
  const d = c.details;
  switch (c.operation) {
    case 'iam:CreateRole':
      return `create role ${c.resource}${d.trustedService ? ` (trusts ${d.trustedService})` : ''}`;
    case 'iam:AttachRolePolicy':
      return `attach ${d.policyArn} to ${c.resource}`;
    case 'ssm:UpdateServiceSetting':
      return d.previousValue ? `set DHMC role to ${d.settingValue} (was ${d.previousValue})` : `turn DHMC on with role ${d.settingValue}`;
    case 'ssm:ResetServiceSetting':
      return `turn DHMC off (was ${d.previousValue})`;
    case 'iam:TagRole':
      return `tag ${c.resource} with ${d.tags}`;
    case 'iam:CreatePolicy':
      return `create policy ${c.resource}`;
    case 'iam:CreatePolicyVersion':
      return `replace the document of ${c.resource} with a new default version`;
    case 'iam:DeletePolicyVersion':
      return `delete version ${d.versionId} of ${c.resource} (${d.reason})`;
    case 'iam:CreateInstanceProfile':
      return `create instance profile ${c.resource}`;
    case 'iam:UpdateAssumeRolePolicy':
      return d.addedRegions
        ? `let activations in ${d.addedRegions.split(',').join(', ')} use ${c.resource} (its trust widened)`
        : `update the trust policy of ${c.resource}`;
    case 'iam:AddRoleToInstanceProfile':
      return `put role ${d.roleName} in ${c.resource}`;
    case 'ec2:AssociateIamInstanceProfile':
      return `attach ${d.instanceProfileArn} to ${c.resource}`;
    case 'ec2:ReplaceIamInstanceProfileAssociation':
    case 'ec2:DisassociateIamInstanceProfile':
      return `replace ${d.previousInstanceProfileArn} with ${d.instanceProfileArn} on ${c.resource}`;
    case 'ec2:ModifyVpcAttribute':
      return `turn on ${d.attribute} in ${d.vpcId}`;
    case 'ec2:CreateSecurityGroup':
      return `create security group ${d.groupName}${d.groupId ? ` (${d.groupId})` : ''} in ${d.vpcId}`;
    case 'ec2:AuthorizeSecurityGroupIngress':
      return `allow TCP ${d.port} in to ${d.groupId ?? d.groupName} from ${(d.cidrs ?? '').split(',').join(', ')}`;
    case 'ec2:CreateVpcEndpoint':
      return d.vpcEndpointType === 'Gateway'
        ? `create gateway endpoint ${d.serviceName}${d.vpcEndpointId ? ` (${d.vpcEndpointId})` : ''} on ${(d.routeTableIds ?? '').split(',').join(', ')}`
        : `create endpoint ${d.serviceName}${d.vpcEndpointId ? ` (${d.vpcEndpointId})` : ''} with private DNS in ${(d.subnetIds ?? '').split(',').join(', ')}`;
    case 'ec2:ModifyVpcEndpoint':
      return `complete endpoint ${d.vpcEndpointId} (${d.serviceName}): ${[
        d.addSubnetIds && `add ${d.addSubnetIds.split(',').join(', ')}`,
        d.addSecurityGroupIds && `add group ${d.addSecurityGroupIds}`,
        d.addRouteTableIds && `add ${d.addRouteTableIds.split(',').join(', ')}`,
        d.privateDnsEnabled && 'turn private DNS on',
      ]
        .filter(Boolean)
        .join('; ')}`;
    // doctor --fix
    case 'ec2:ModifyInstanceMetadataOptions':
      return d.httpEndpoint ? `turn IMDS on, IMDSv2 required, on ${c.resource}` : `require IMDSv2 on ${c.resource}`;
    case 'ec2:AuthorizeSecurityGroupEgress':
      return `allow TCP 443 out of ${d.groupId} to 0.0.0.0/0`;
    case 'ssm:SendCommand':
      return `run ${d.documentName} on ${(d.instanceIds ?? '').split(',').join(', ')}`;
    default:
      return `${c.action} ${c.resource}`;
  }
}

const INSTANCE_ARN = /^arn:[\w-]+:ec2:[\w-]+:\d{12}:instance\/(i-[0-9a-f]+)$/;
const HOLE = '\u0000';

/**
 * One line per change, except that the same change to many instances (doctor --fix turning IMDS on
 * across a fleet) is one line naming them - the first five and how many more; the JSON lists each.
 * Failed changes merge only when their errors are the same (not attempted, for one reason).
 */
function changeRows(changes: readonly Change[]): { c: Change; text: string }[] {
  const rows: { c: Change; text: string; ids?: string[]; template?: string }[] = [];
  const byTemplate = new Map<string, { ids: string[] }>();
  for (const c of changes) {
    const text = describe(c);
    const id = INSTANCE_ARN.exec(c.resource)?.[1];
    if (!id || !text.includes(c.resource)) {
      rows.push({ c, text });
      continue;
    }
    const template = text.split(c.resource).join(HOLE);
    // Failures merge only when AWS said the same thing of each (not attempted, for one reason).
    const key = JSON.stringify([c.status, c.region, c.operation, template, c.error && [c.error.code, c.error.message, c.error.hint]]);
    const known = byTemplate.get(key);
    if (known) known.ids.push(id);
    else {
      const row = { c, text, ids: [id], template };
      byTemplate.set(key, row);
      rows.push(row);
    }
  }
  return rows.map(({ c, text, ids, template }) => {
    if (!ids || ids.length === 1 || !template) return { c, text };
    const named = `${ids.length} instances: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;
    return { c, text: template.split(HOLE).join(named) };
  });
}

export function renderMutation(r: MutationResult, style: Style): string {
  // Text that starts `indent` columns in, escaped, and wrapped under itself on a terminal.
  const fit = (text: string, indent: number) => hang(escapeControls(text), style.width, indent);
  const lines: string[] = [];
  if (r.changes.length === 0) {
    lines.push(style.ok('No changes: everything is already as asked.'));
  } else {
    lines.push(r.dryRun ? style.bold('Planned changes (dry run, nothing changed):') : style.bold('Changes:'));
    for (const { c, text } of changeRows(r.changes)) {
      const mark = c.status === 'applied' ? style.ok('applied') : c.status === 'planned' ? style.dim('planned') : style.bad('FAILED ');
      const where = c.region ?? 'global';
      lines.push(`  ${mark}  ${where.padEnd(14)} ${fit(text, 26)}`);
      if (c.error) {
        lines.push(`           ${style.bad(fit(`${c.error.code}: ${c.error.message}`, 11))}`);
        if (c.error.hint && c.error.code !== 'NotAttempted') lines.push(`           hint: ${fit(c.error.hint, 17)}`);
      }
    }
  }
  const failedRegions = r.regions.filter((x) => !x.ok && !r.changes.some((c) => c.region === x.region && c.error));
  for (const x of failedRegions) {
    lines.push(style.bad(`  ${fit(`region ${x.region} failed: ${x.error?.code}: ${x.error?.message}`, 2)}`));
    if (x.error?.hint) lines.push(`    hint: ${fit(x.error.hint, 10)}`);
  }
  return lines.join('\n') + '\n';
}
