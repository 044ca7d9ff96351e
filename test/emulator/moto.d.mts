export interface Emulator {
  url: string;
  port: number;
  env(region?: string): Record<string, string>;
  putServiceSetting(region: string, settingId: string, value: string, status: string): Promise<void>;
  holdIamPropagation(): Promise<{ refused: number }>;
  propagateIam(): Promise<{ refused: number }>;
  iamRefusals(): Promise<number>;
  holdAssociating(region: string): Promise<{ refused: number }>;
  releaseAssociating(region: string): Promise<{ refused: number }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
/** The Python that runs moto: SSM_PERMS_PYTHON when set, else python3 from PATH. */
export function motoPython(env?: Record<string, string | undefined>): string;
export function emulatorEnv(url: string, region?: string): Record<string, string>;
export function startEmulator(options?: {
  port?: number;
  propagationSeconds?: number;
  profilePropagationSeconds?: number;
  associatingSeconds?: number;
}): Promise<Emulator>;
