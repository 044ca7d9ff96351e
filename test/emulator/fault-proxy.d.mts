export type Fault = 'throttle' | 500 | 503 | 'denied' | 'expired' | 'badsig' | 'incompletesig' | 'drop' | 'latency' | 'hold';
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
  /** Whether a 'hold' rule parked it. */
  held: boolean;
  /** When the proxy received it (ms since the epoch). */
  at: number;
  /** From the SDK's `amz-sdk-request: attempt=N; max=M` header (null when absent). */
  attempt: number | null;
  maxAttempts: number | null;
  userAgent: string;
  /** The SDK's business metrics from its user agent (`m/E,F,...`): 'E' standard retry mode, 'F' adaptive. */
  features: string[];
}
export interface SdkFacts {
  attempt: number | null;
  maxAttempts: number | null;
  userAgent: string;
  features: string[];
}
export interface FaultProxy {
  url: string;
  setRules(rules: FaultRule[]): void;
  log(): LoggedRequest[];
  held(): number;
  release(): number;
  stopHolding(): number;
  waitFor(check: () => boolean, options?: { timeoutMs?: number; what?: string }): Promise<void>;
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
export function sdkFacts(headers: Record<string, string | string[] | undefined>): SdkFacts;
export function startFaultProxy(targetUrl: string, options?: { seed?: number }): Promise<FaultProxy>;
