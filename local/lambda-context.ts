/**
 * The Lambda `Context` the handler gets when something other than Lambda invokes it: the tests, the
 * benchmark's worker, and the process that runs the bundled handler (bench/bundle-runs.ts, which builds
 * this module with esbuild because it runs without tsx). Its remaining time counts down from
 * `remainingMs` as in a real invocation; the rest is only logged.
 */
import type { Context } from 'aws-lambda';

export interface LambdaContextOptions {
  /**
   * The function's memory size, in MiB.
   *
   * @default 256 (the construct's default)
   */
  readonly memoryMb?: number;
  /**
   * The invocation's request id.
   *
   * @default 'local-request'
   */
  readonly requestId?: string;
}

/** A context with `remainingMs` left now; 50 s is the construct's default timeout for a 1-minute schedule. */
export function lambdaContext(remainingMs = 50_000, { memoryMb = 256, requestId = 'local-request' }: LambdaContextOptions = {}): Context {
  const end = Date.now() + remainingMs;
  return {
    functionName: 'exporter-monitor',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:exporter-monitor',
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/exporter-monitor',
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
