// DescribeInstances for instances chosen by id and/or tag, in as many calls as EC2's filter-value
// limit needs and every page of each: the one reader doctor, dhmc status --check and profile attach use.
import type * as EC2 from '@aws-sdk/client-ec2';
import type { Ec2Api } from './clients.js';
import { filterBatches, type Ec2Filter } from './ec2-filters.js';
import { allPages } from '../paginate.js';

export interface InstanceSelection {
  /** Empty: every instance (that the other filters let through). */
  instanceIds: readonly string[];
  /** Every tag must match (EC2 ANDs filters). */
  tags: readonly { Key: string; Value: string }[];
}

export async function describeSelectedInstances(ec2: Ec2Api, sel: InstanceSelection, filters: readonly Ec2Filter[] = []): Promise<EC2.Instance[]> {
  const base = [...filters, ...sel.tags.map((t) => ({ Name: `tag:${t.Key}`, Values: [t.Value] }))];
  const out: EC2.Instance[] = [];
  for (const Filters of filterBatches(base, 'instance-id', sel.instanceIds.length ? sel.instanceIds : null)) {
    const pages = await allPages(
      (NextToken) => ec2.describeInstances({ Filters, MaxResults: 1000, NextToken }),
      (p) => p.NextToken,
    );
    out.push(...pages.flatMap((p) => p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  }
  return out;
}

/** An instance's tags as a record (a tag without key or value reads as ''). */
export function tagRecord(i: EC2.Instance): Record<string, string> {
  return Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}
