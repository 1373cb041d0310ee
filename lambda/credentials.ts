/**
 * Registry credentials from AWS Secrets Manager. Secret values never appear in errors or logs:
 * a problem names the secret and the missing field, nothing else.
 */
import { type AuthConfig, ConfigError } from './config.js';
import type { RegistryCredentials } from './registry/registry-client.js';

export interface SecretReadOptions {
  /** Read past any cache: the cached value was just refused, and the secret may have been rotated. */
  readonly fresh?: boolean;
}

/** Returns a secret's string value; the Lambda uses Powertools Parameters (cached across warm invocations). */
export type SecretReader = (secretId: string, options?: SecretReadOptions) => Promise<string | undefined>;

export async function resolveCredentials(
  auth: AuthConfig,
  readSecret: SecretReader,
  field: string,
  options: SecretReadOptions = {},
): Promise<RegistryCredentials> {
  if (auth.kind === 'none') return { kind: 'none' };
  const secretField = `${field}.secretId`;
  let text: string | undefined;
  try {
    text = await readSecret(auth.secretId, options);
  } catch (error) {
    const problem = `cannot read secret "${auth.secretId}" (${errorName(error)})`;
    throw new ConfigError(secretField, isKmsRefusal(error) ? `${problem}: ${kmsAdvice(auth.secretKmsKeyArn)}` : problem);
  }
  let document: unknown;
  try {
    document = JSON.parse(text ?? '');
  } catch {
    // The parser's message would quote the secret's text.
    throw new ConfigError(secretField, `secret "${auth.secretId}" is not a JSON object`);
  }
  const value = (key: string): string => {
    const found = (document as Record<string, unknown> | null)?.[key];
    if (typeof found !== 'string' || found === '') {
      throw new ConfigError(secretField, `secret "${auth.secretId}" has no "${key}" string`);
    }
    return found;
  };
  if (auth.kind === 'basic') return { kind: 'basic', apiKey: value('apiKey'), apiSecret: value('apiSecret') };
  return {
    kind: 'oauth',
    clientId: value('clientId'),
    clientSecret: value('clientSecret'),
    tokenUrl: auth.tokenUrl,
    logicalCluster: auth.logicalCluster,
    ...(auth.identityPoolId !== undefined && { identityPoolId: auth.identityPoolId }),
    ...(auth.scope !== undefined && { scope: auth.scope }),
  };
}

/** Secrets Manager's own name for a key it could not use, and KMS's errors passed through. */
const KMS_ERROR_NAME = /^(?:DecryptionFailure|KMS\w+)$/;

/**
 * Reading a secret encrypted with a customer-managed key the function may not use fails as
 * DecryptionFailure, or as AccessDeniedException "Access to KMS is not allowed": only the
 * message tells that denial from a missing secretsmanager:GetSecretValue.
 */
function isKmsRefusal(error: unknown): boolean {
  const name = errorName(error);
  return KMS_ERROR_NAME.test(name) || (name === 'AccessDeniedException' && /\bKMS\b/i.test(errorMessage(error)));
}

function kmsAdvice(keyArn: string | undefined): string {
  return keyArn === undefined
    ? 'KMS would not decrypt it; a secret encrypted with a customer-managed KMS key needs that key\'s ARN in secretKmsKeyArn, so the function is granted kms:Decrypt on it'
    : `KMS would not decrypt it with the granted key ${keyArn}; check that secretKmsKeyArn is the key the secret is encrypted with, and that the key policy lets IAM policies of the account grant it`;
}

/** Read to classify the error, never shown: it is AWS's text, not ours. */
function errorMessage(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  return [cause?.message, message].filter((text) => typeof text === 'string').join(' ');
}

/**
 * What went wrong, by name only (ResourceNotFoundException, AccessDeniedException, ...): a
 * reader like Powertools Parameters wraps the Secrets Manager error in its own GetParameterError.
 */
function errorName(error: unknown): string {
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { name?: unknown } };
  const named = [cause?.name, name].find((candidate): candidate is string => typeof candidate === 'string' && candidate !== '');
  return named ?? 'unknown error';
}
