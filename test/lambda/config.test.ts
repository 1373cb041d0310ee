import { ConfigError, parseMonitorConfig } from '../../lambda/config.js';
import { DEFAULT_POLICY } from '../../lambda/core/policy.js';

const registry = { id: 'prod', baseUrl: 'https://psrc-00000.eu-west-1.aws.confluent.cloud/' };
const parse = (registries: unknown[], extra: Record<string, unknown> = {}) => parseMonitorConfig({ registries, ...extra });

describe('configuration', () => {
  it('fills every default a newcomer would not think to set', () => {
    expect(parse([registry])).toEqual({
      historyRetentionDays: 90,
      registries: [
        {
          id: 'prod',
          baseUrl: 'https://psrc-00000.eu-west-1.aws.confluent.cloud',
          auth: { kind: 'none' },
          exporters: 'all',
          destinations: {},
          include: [],
          exclude: [],
          requestsPerSecond: 20,
          concurrency: 4,
          requestTimeoutMs: 5000,
          allowInsecureHttp: false,
          policy: DEFAULT_POLICY,
        },
      ],
    });
  });

  it('reads the policy in minutes and OAuth settings as written', () => {
    const [parsed] = parse([
      {
        ...registry,
        auth: { kind: 'oauth', secretId: 'sr/oauth', tokenUrl: 'https://idp.example.com/token', logicalCluster: 'lsrc-123', identityPoolId: 'pool-1' },
        policy: { stuckAfterMinutes: 60, reminderIntervalMinutes: 0 },
      },
    ]).registries;
    expect(parsed!.policy).toEqual({ ...DEFAULT_POLICY, stuckAfterMs: 3_600_000, reminderIntervalMs: 0 });
    expect(parsed!.auth).toEqual({ kind: 'oauth', secretId: 'sr/oauth', tokenUrl: 'https://idp.example.com/token', logicalCluster: 'lsrc-123', identityPoolId: 'pool-1' });
  });

  it('reads the replication settings in the units they are written in', () => {
    const [parsed] = parse([
      {
        ...registry,
        policy: { stallAfterMinutes: 20, startingCeilingHours: 6, sourceCheckMinutes: 10, definitionRefreshMinutes: 30, driftCheckMinutes: 30, driftGraceMinutes: 45 },
      },
    ]).registries;
    expect(parsed!.policy).toEqual({
      ...DEFAULT_POLICY,
      stallAfterMs: 20 * 60_000,
      startingCeilingMs: 6 * 3_600_000,
      sourceCheckIntervalMs: 10 * 60_000,
      definitionRefreshMs: 30 * 60_000,
      driftCheckIntervalMs: 30 * 60_000,
      driftGraceMs: 45 * 60_000,
    });
  });

  it.each([
    ['a plain-http URL', [{ ...registry, baseUrl: 'http://sr.internal:8081' }], /registries\[0\]\.baseUrl: must use https/],
    ['a URL that is not one', [{ ...registry, baseUrl: 'not a url' }], /registries\[0\]\.baseUrl: is not a valid URL/],
    ['credentials inside the URL', [{ ...registry, baseUrl: 'https://key:secret@sr.example.com' }], /registries\[0\]\.baseUrl: must not contain credentials/],
    ['an unknown auth kind', [{ ...registry, auth: { kind: 'kerberos' } }], /registries\[0\]\.auth\.kind: must be one of none, basic, oauth/],
    ['basic auth without a secret', [{ ...registry, auth: { kind: 'basic' } }], /registries\[0\]\.auth\.secretId: is required/],
    [
      'a secret key that is a key alias, not a key ARN',
      [{ ...registry, auth: { kind: 'basic', secretId: 'sr/prod', secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/sr' } }],
      /^registries\[0\]\.auth\.secretKmsKeyArn: must be the ARN of a KMS key \(arn:aws:kms:REGION:ACCOUNT:key\/KEY-ID\), got "arn:aws:kms:eu-west-1:123456789012:alias\/sr"$/,
    ],
    ['a secret key given by id only', [{ ...registry, auth: { kind: 'oauth', secretId: 's', tokenUrl: 'https://idp.example.com/t', logicalCluster: 'lsrc-1', secretKmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' } }], /^registries\[0\]\.auth\.secretKmsKeyArn: must be the ARN of a KMS key/],
    ['duplicate registry ids', [registry, registry], /registries\[1\]\.id: duplicates the id "prod"/],
    ['a misspelt setting', [{ ...registry, requestPerSecond: 5 }], /registries\[0\]\.requestPerSecond: is not a setting/],
    ['a misspelt policy setting', [{ ...registry, policy: { stuckAfterMinute: 5 } }], /registries\[0\]\.policy\.stuckAfterMinute: is not a setting/],
    ['a budget above Confluent Cloud\'s limit', [{ ...registry, requestsPerSecond: 100 }], /registries\[0\]\.requestsPerSecond: must be a number from 0\.1 to 75/],
    ['a fractional concurrency', [{ ...registry, concurrency: 2.5 }], /registries\[0\]\.concurrency: must be a whole number/],
    ['an empty watch list', [{ ...registry, exporters: [] }], /registries\[0\]\.exporters: must be "all", "none" or a non-empty list/],
    ['a destination that is not configured', [{ ...registry, destinations: { '*': 'dr' } }], /registries\[0\]\.destinations: names "dr", which is not another registry/],
    ['a destination that is the registry itself', [{ ...registry, destinations: { '*': 'prod' } }], /registries\[0\]\.destinations: names "prod"/],
  ])('rejects %s with a message naming the field', (_case, registries, message) => {
    expect(() => parse(registries)).toThrow(ConfigError);
    expect(() => parse(registries)).toThrow(message);
  });

  it("reads the secret's customer-managed KMS key, for basic and OAuth", () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const oauth = { kind: 'oauth', secretId: 'sr/oauth', tokenUrl: 'https://idp.example.com/token', logicalCluster: 'lsrc-123', secretKmsKeyArn: key };
    const [basic, viaOauth] = parse([
      { ...registry, auth: { kind: 'basic', secretId: 'sr/prod', secretKmsKeyArn: key } },
      { ...registry, id: 'dr', auth: oauth },
    ]).registries;
    expect(basic!.auth).toEqual({ kind: 'basic', secretId: 'sr/prod', secretKmsKeyArn: key });
    expect(viaOauth!.auth).toEqual(oauth);
  });

  it('allows plain http only where explicitly marked as a lab registry', () => {
    expect(parse([{ ...registry, baseUrl: 'http://localhost:8081', allowInsecureHttp: true }]).registries[0]!.baseUrl).toBe('http://localhost:8081');
  });

  it('says so when the document is not JSON, without echoing it', () => {
    expect(() => parseMonitorConfig('{"registries": [')).toThrow(/^config: is not valid JSON/);
    expect(() => parseMonitorConfig('{}')).toThrow(/registries: must list at least one registry/);
  });
});

describe('auto-resume configuration', () => {
  test('is off unless enabled, and takes the issue\'s defaults when enabled', () => {
    expect(parse([registry]).registries[0]!.autoResume).toBeUndefined();
    expect(parse([{ ...registry, autoResume: { enabled: false, dryRun: true } }]).registries[0]!.autoResume).toBeUndefined();
    expect(parse([{ ...registry, autoResume: { enabled: true } }]).registries[0]!.autoResume).toEqual({
      dryRun: false,
      maxAttempts: 3,
      backoffCapMs: 60 * 60_000,
      resetAfterMs: 60 * 60_000,
      writesPerSecond: 1,
    });
  });

  test('a resume key of its own is checked like the registry\'s', () => {
    const config = parse([{ ...registry, autoResume: { enabled: true, auth: { kind: 'basic', secretId: 'sr/prod-resume' } } }]);
    expect(config.registries[0]!.autoResume?.auth).toEqual({ kind: 'basic', secretId: 'sr/prod-resume' });
    expect(() => parse([{ ...registry, autoResume: { enabled: true, auth: { kind: 'basic' } } }])).toThrow('registries[0].autoResume.auth.secretId: is required for kind "basic"');
  });

  test('every problem is named at its field, a misspelt setting with the known ones', () => {
    expect(() => parse([{ ...registry, autoResume: { enabled: true, maxAttempts: 0, writesPerSecond: 30, dryrun: true } }])).toThrow(
      'registries[0].autoResume.maxAttempts: must be a whole number from 1 to 20; registries[0].autoResume.writesPerSecond: must be a number from 0.1 to 25; registries[0].autoResume.dryrun: is not a setting (known: enabled, dryRun, maxAttempts, backoffCapMinutes, resetAfterMinutes, writesPerSecond, auth)',
    );
  });
});
