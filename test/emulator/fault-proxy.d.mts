export type Fault = 'throttle' | 500 | 503 | 'denied' | 'expired' | 'drop' | 'latency';
export interface FaultRule {
  service?: 'iam' | 'ec2' | 'ssm' | 'sts';
  operation?: string;
  region?: string;
  bodyIncludes?: string;
  fault: Fault;
  times?: number;
  rate?: number;
  ms?: number;
}
export interface LoggedRequest {
  service: string | null;
  region: string | null;
  operation: string | null;
  fault: Fault | null;
}
export interface FaultProxy {
  url: string;
  setRules(rules: FaultRule[]): void;
  log(): LoggedRequest[];
  stop(): Promise<void>;
}
export function faultResponse(service: string, fault: string): { status: number; headers: Record<string, string>; body: string };
export function seeded(seed: number): () => number;
export function startFaultProxy(targetUrl: string, options?: { seed?: number }): Promise<FaultProxy>;
