import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
export interface ProxiedRequest {
  /** GET/POST... for a forwarded request, CONNECT for a tunnel. */
  method: string;
  /** host:port the client asked for. */
  target: string;
  /** The request line's target: an absolute URL, or host:port for CONNECT. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
export interface ForwardProxy {
  url: string;
  port: number;
  log(): ProxiedRequest[];
  clear(): void;
  stop(): Promise<void>;
}
export function startForwardProxy(options?: {
  auth?: string;
  tls?: { cert: string; key: string };
  answer?: (req: IncomingMessage, body: string) => { status: number; headers?: OutgoingHttpHeaders; body?: string } | null | undefined;
}): Promise<ForwardProxy>;
