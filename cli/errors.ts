/**
 * Every failure ends as one line on stderr and exit code 1: people on call need to know what to
 * fix (credentials, region, table name, a typo in a time), not where in the code it was noticed.
 */

/** A problem the user can fix; its message is the whole line shown. */
export class CliError extends Error {
  /** 1 for every problem, unless a command documents another (`check`: 3 when the registry could not be read). */
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `where` names what the command was reading (the table, the local store) for errors that do not say. */
export function describeError(error: unknown, where: string | undefined): string {
  if (error instanceof CliError) return error.message;
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const firstLine = message.split('\n', 1)[0]!.trim();
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or --profile) or AWS_ACCESS_KEY_ID, or sign in with `aws sso login`';
  }
  if (/region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or AWS_PROFILE with a region) or pass --region';
  if (name === 'ResourceNotFoundException') return `${where ?? 'the table'} was not found: check --table, --stack and --region`;
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException', 'ExpiredToken'].includes(name)) {
    return `AWS rejected the credentials (${name}): ${firstLine}`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return `AWS denied access: ${firstLine}`;
  return where === undefined ? firstLine : `${firstLine} (reading ${where})`;
}
