/** The situations doctor explains; each holds `perCase` instance ids. */
export interface WorldGroups {
  /** us-east-1, public subnet, GoodProfile (AmazonSSMManagedInstanceCore): managed. */
  good: string[];
  /** us-east-1, public subnet, WeakProfile (CloudWatchAgentServerPolicy only): no SSM permissions. */
  weak: string[];
  /** us-east-1, GoodProfile, IMDS disabled. */
  imdsOff: string[];
  /** us-east-1, GoodProfile, a subnet with no route out and no endpoints. */
  isolated: string[];
  /** us-east-1, GoodProfile, a private subnet with ssm, ssmmessages and ec2messages interface endpoints. */
  endpoints: string[];
  /** us-east-2, GoodProfile, which takes precedence over DHMC once it is on. */
  shadow: string[];
  /** us-east-2, no SSM Agent (tag ssm-agent-version=none). */
  noAgent: string[];
}

/** The first instance of each situation, the fleet, and every group. */
export interface World {
  good: string;
  weak: string;
  imdsOff: string;
  isolated: string;
  endpoints: string;
  shadow: string;
  noAgent: string;
  /** us-east-2, no profile: managed through DHMC once it is on there. */
  fleet: string[];
  groups: WorldGroups;
}

export function seedWorld(url: string, fleetSize: number, options?: { perCase?: number }): Promise<World>;
