// What the global options say about a command's scope before it runs (for the run across accounts,
// which decides from them whether an account must be entered).
import { stringList } from '../define.js';
import type { RawOptions } from '../types.js';

/** --region all: the regions are those the account has enabled, read with ec2:DescribeRegions in it. */
export const asksAllRegions = (options: RawOptions): boolean => stringList(options.region).includes('all');
