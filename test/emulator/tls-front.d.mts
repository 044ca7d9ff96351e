export interface TlsFront {
  url: string;
  handshakes(): number;
  requests(): number;
  stop(): Promise<void>;
}
export function startTlsFront(target: string, pem: { cert: string; key: string }): Promise<TlsFront>;
