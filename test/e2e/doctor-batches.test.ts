// doctor's node reads in batches of instance ids, end to end: the built CLI against the emulator through
// the fault proxy. Throttled batches are retried by the SDK on the region's one client (in adaptive
// mode when asked), and a batch that keeps failing is reported as doctor reports any read it could not
// make (exit 5, a warning, readErrors), never dropped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../emulator/fault-proxy.mjs';
import { emulatorSuite } from '../helpers/emulator-suite.js';
import { aws, ssmPerms } from '../helpers/child.js';

const suite = emulatorSuite({ resetEach: false });
let proxy: FaultProxy;
let env: Record<string, string>;
let ids: string[];

beforeAll(async () => {
  proxy = await startFaultProxy(suite.emu.url, { seed: 7 });
  env = { ...suite.env, AWS_ENDPOINT_URL: proxy.url };
  // 250 instances: three batches (100, 100 and 50 ids).
  // --query keeps the AWS CLI's answer small (the whole reservation of 250 overflows the child's buffer).
  ids = (await aws(['ec2', 'run-instances', '--image-id', 'ami-12345678', '--count', '250', '--query', 'Instances[].InstanceId'], suite.env)) as string[];
}, 120_000);
afterAll(async () => proxy?.stop());
beforeEach(() => proxy.setRules([]));

interface Report {
  instances: { instanceId: string; verdict: string; reason: string }[];
  readErrors: { region: string | null; read: string; error: { code: string } }[];
}
const verdicts = (stdout: string) => (JSON.parse(stdout) as Report).instances.map((i) => [i.instanceId, i.verdict, i.reason]);
const nodeCalls = () => proxy.log().filter((x) => x.operation === 'DescribeInstanceInformation');

describe('doctor: managed nodes in batches of instance ids', () => {
  it('asks for 250 instances in three calls, and gives the same verdicts when batches are throttled (adaptive mode retries them)', async () => {
    const clean = await ssmPerms(['doctor', '--region', 'us-east-1', '--json', '--debug'], env);
    expect(clean.stderr).toMatch(/ssm:DescribeInstanceInformation 3[,)]/);
    expect(nodeCalls()).toHaveLength(3);
    expect(verdicts(clean.stdout)).toHaveLength(250);

    // Two of the three batches are throttled once each: retried, answered, nothing lost.
    proxy.setRules([{ service: 'ssm', operation: 'DescribeInstanceInformation', fault: 'throttle', times: 2 }]);
    const throttled = await ssmPerms(['doctor', '--region', 'us-east-1', '--json', '--retry-mode', 'adaptive', '--max-attempts', '5'], env);
    expect(throttled.code, throttled.stderr).toBe(clean.code);
    expect(verdicts(throttled.stdout)).toEqual(verdicts(clean.stdout));
    expect((JSON.parse(throttled.stdout) as Report).readErrors).toEqual([]);
    const calls = nodeCalls();
    // Every batch went out from an adaptive retry strategy (F), and the throttled ones were sent again.
    for (const x of calls) expect([x.features.includes('F'), x.maxAttempts]).toEqual([true, 5]);
    expect(calls.map((x) => `${x.attempt} ${x.fault ?? 'answered'}`).sort()).toEqual(['1 answered', '1 throttle', '1 throttle', '2 answered', '2 answered']);
  });

  it('a batch that keeps failing is a read error: exit 5, a warning, and readErrors name ssm:DescribeInstanceInformation', async () => {
    // The batch holding the 101st instance id always answers 503.
    proxy.setRules([{ service: 'ssm', operation: 'DescribeInstanceInformation', bodyIncludes: ids[100]!, fault: 503 }]);
    const r = await ssmPerms(['doctor', '--region', 'us-east-1', '--json', '--max-attempts', '2'], env);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^warning: could not read ssm:DescribeInstanceInformation in us-east-1 \(.*\); whether instances are registered is unknown$/m);
    const doc = JSON.parse(r.stdout) as Report;
    expect(doc.readErrors.map((e) => [e.region, e.read])).toEqual([['us-east-1', 'ssm:DescribeInstanceInformation']]);
    expect(doc.instances).toHaveLength(250);
  });
});
