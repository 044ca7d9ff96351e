// SDK-shaped service errors for aws-sdk-client-mock rejections: the SDK puts the AWS code in `name`.
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number; attempts: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode, attempts: 1 };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}
