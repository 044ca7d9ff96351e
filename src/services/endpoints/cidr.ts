// Whether a security group rule's CIDR admits a whole VPC CIDR block, so a rule that already covers
// the VPC (0.0.0.0/0, a wider block, the block itself) is not added again.
import { cidrContains } from '../../policies/network.js';

/** `rule` (from an inbound rule) contains every address of `block`. */
export function cidrCovered(rule: string, block: string): boolean {
  const bits = (c: string) => Number(c.split('/')[1] ?? (c.includes(':') ? '128' : '32'));
  if (block.includes(':') || rule.includes(':')) {
    // IPv6: the same block, or every address; finer containment is not worth an IPv6 parser here
    // (a narrower rule only means the rule is added, which EC2 accepts beside the existing one).
    return rule.includes(':') && block.includes(':') && (bits(rule) === 0 || rule.toLowerCase() === block.toLowerCase());
  }
  return bits(rule) <= bits(block) && cidrContains(rule, block.split('/')[0] ?? '');
}
