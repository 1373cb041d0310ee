/**
 * What a registry's failure says when its secret cannot be read, through the reader the function
 * uses (Powertools Parameters, which wraps the Secrets Manager error) against a mocked Secrets
 * Manager. A secret encrypted with a customer-managed KMS key the function may not use must say
 * KMS and point to secretKmsKeyArn, not look like a missing secretsmanager permission.
 */
import { DecryptionFailure, GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuthConfig } from '../../lambda/config.js';
import { resolveCredentials, type SecretReader } from '../../lambda/credentials.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const $metadata = { httpStatusCode: 400 };
const secretsManager = mockClient(SecretsManagerClient);
const readSecret: SecretReader = (secretId, { fresh = false } = {}) => getSecret<string>(secretId, { forceFetch: fresh });
let secretCount = 0;
const region = process.env.AWS_REGION;

beforeAll(() => {
  process.env.AWS_REGION = 'eu-west-1';
});
afterAll(() => {
  secretsManager.restore();
  if (region === undefined) delete process.env.AWS_REGION;
  else process.env.AWS_REGION = region;
});

/** The message a registry's read fails with when Secrets Manager answers `error`. */
async function problemWith(error: Error, auth: Partial<Extract<AuthConfig, { kind: 'basic' }>> = {}): Promise<string> {
  secretCount += 1;
  const secretId = `sr/kms-${secretCount}`;
  secretsManager.on(GetSecretValueCommand, { SecretId: secretId }).rejects(error);
  try {
    await resolveCredentials({ kind: 'basic', secretId, ...auth }, readSecret, 'registries[0].auth');
  } catch (thrown) {
    return (thrown as Error).message.replace(secretId, 'SECRET');
  }
  throw new Error('expected the secret read to fail');
}

const accessDenied = (message: string) => new SecretsManagerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata, message });

describe('a secret the function cannot read', () => {
  test('encrypted with a customer-managed key it may not use (DecryptionFailure): the message says KMS and names secretKmsKeyArn', async () => {
    const message = await problemWith(new DecryptionFailure({ $metadata, message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key." }));
    expect(message).toBe(
      'registries[0].auth.secretId: cannot read secret "SECRET" (DecryptionFailure): KMS would not decrypt it; a secret encrypted with a ' +
        "customer-managed KMS key needs that key's ARN in secretKmsKeyArn, so the function is granted kms:Decrypt on it",
    );
  });

  test('denied by KMS as AccessDeniedException "Access to KMS is not allowed": the same advice', async () => {
    const message = await problemWith(accessDenied('Access to KMS is not allowed'));
    expect(message).toMatch(/^registries\[0\]\.auth\.secretId: cannot read secret "SECRET" \(AccessDeniedException\): KMS would not decrypt it; .* secretKmsKeyArn/);
  });

  test('with secretKmsKeyArn already set: names the granted key and what to check', async () => {
    const message = await problemWith(accessDenied('Access to KMS is not allowed'), { secretKmsKeyArn: KEY_ARN });
    expect(message).toBe(
      `registries[0].auth.secretId: cannot read secret "SECRET" (AccessDeniedException): KMS would not decrypt it with the granted key ${KEY_ARN}; ` +
        'check that secretKmsKeyArn is the key the secret is encrypted with, and that the key policy lets IAM policies of the account grant it',
    );
  });

  test('denied by Secrets Manager itself: no KMS advice, the error name only', async () => {
    const message = await problemWith(accessDenied('User: arn:aws:sts::123456789012:assumed-role/monitor is not authorized to perform: secretsmanager:GetSecretValue'));
    expect(message).toBe('registries[0].auth.secretId: cannot read secret "SECRET" (AccessDeniedException)');
  });
});
