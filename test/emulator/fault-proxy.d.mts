export type Fault = 'throttle' | 500 | 503 | 'denied' | 'expired' | 'badsig' | 'incompletesig' | 'drop' | 'latency';
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
  /** The request's SigV4 signature (from its Authorization header), to check it is never printed. */
  signature: string | null;
}
export interface FaultProxy {
  url: string;
  setRules(rules: FaultRule[]): void;
  log(): LoggedRequest[];
  stop(): Promise<void>;
}
export interface AnsweredRequest {
  method?: string;
  url?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: string;
}
export function faultResponse(service: string, fault: string, req?: AnsweredRequest): { status: number; headers: Record<string, string>; body: string };
export function signatureMismatchMessage(req: AnsweredRequest): string;
export function incompleteSignatureMessage(req: AnsweredRequest): string;
export function seeded(seed: number): () => number;
export function startFaultProxy(targetUrl: string, options?: { seed?: number }): Promise<FaultProxy>;
