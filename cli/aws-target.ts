/**
 * The deployed table. The table name comes from `--table`, else from the stack's `TableName`
 * output, and the history retention with it from `HistoryRetentionDays`; the watched registries
 * come from the function's MONITOR_CONFIG (the stack's `FunctionName` output), so listing them
 * never scans the table.
 */
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type MonitorConfig, parseMonitorConfig, REGISTRY_DEFAULTS } from '../lambda/config.js';
import { CONFIG_ENV, decodeConfigEnv } from '../lambda/config-env.js';
import { StateStore } from '../lambda/store/state-store.js';
import { CliError, describeError } from './errors.js';
import type { Target, TargetOptions } from './target.js';
import { parseDays } from './time.js';

export async function openAwsTarget(options: TargetOptions): Promise<Target> {
  const clientConfig = { ...(options.region && { region: options.region }), ...(options.profile && { profile: options.profile }) };
  const client = new DynamoDBClient({ ...clientConfig, maxAttempts: 6 });
  try {
    // Resolving the region first turns a missing one into a clear error before any request.
    const region = await client.config.region();
    const outputs = stackOutputs(new CloudFormationClient(clientConfig), options.stack, region);
    const tableName = options.table ?? (await outputs.get('TableName'));
    const monitorConfig = async () => deployedConfig(new LambdaClient(clientConfig), await outputs.get('FunctionName'));
    const historyRetentionDays = await deployedRetentionDays(options, outputs, monitorConfig);
    return {
      label: `table "${tableName}" in ${region}`,
      client,
      tableName,
      store: new StateStore({ client, tableName, historyRetentionDays }),
      listRegistries: async () => {
        try {
          return (await monitorConfig()).registries.map((registry) => registry.id);
        } catch (error) {
          throw new CliError(`cannot list the watched registries (${describeError(error, undefined)}); pass --registry ID`);
        }
      },
      close: async () => client.destroy(),
    };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/**
 * How many days the monitor keeps history, so that what the CLI adds to history expires with the
 * rest. `--table` reads no stack (the table may be an ExporterMonitor's in a stack without these
 * outputs), so it assumes the construct's default unless `--history-retention-days` says otherwise.
 */
async function deployedRetentionDays(options: TargetOptions, outputs: StackOutputs, monitorConfig: () => Promise<MonitorConfig>): Promise<number> {
  if (options.historyRetentionDays !== undefined) return options.historyRetentionDays;
  if (options.table !== undefined) return REGISTRY_DEFAULTS.historyRetentionDays;
  const days = await outputs.find('HistoryRetentionDays');
  if (days !== undefined) return parseDays(days, `stack "${options.stack}" output HistoryRetentionDays`);
  // A stack deployed before it had that output: its function's configuration says the same.
  try {
    return (await monitorConfig()).historyRetentionDays;
  } catch (error) {
    throw new CliError(`cannot tell how long the monitor keeps history (${describeError(error, undefined)}); pass --history-retention-days DAYS`);
  }
}

type StackOutputs = ReturnType<typeof stackOutputs>;

/** The stack's outputs, read once on first use. */
function stackOutputs(client: CloudFormationClient, stackName: string, region: string) {
  let outputs: Promise<Output[]> | undefined;
  const read = async () => {
    try {
      const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
      return Stacks?.[0]?.Outputs ?? [];
    } catch (error) {
      if ((error as Error).name === 'ValidationError') {
        throw new CliError(`stack "${stackName}" not found in ${region}: pass --stack NAME, or --table NAME`);
      }
      throw error;
    } finally {
      client.destroy();
    }
  };
  const find = async (key: string): Promise<string | undefined> => {
    outputs ??= read();
    return (await outputs).find((output) => output.OutputKey === key)?.OutputValue;
  };
  return {
    find,
    async get(key: string): Promise<string> {
      const value = await find(key);
      if (value === undefined) throw new CliError(`stack "${stackName}" has no output "${key}"`);
      return value;
    },
  };
}

/** The configuration the function runs with (its MONITOR_CONFIG). */
async function deployedConfig(client: LambdaClient, functionName: string): Promise<MonitorConfig> {
  try {
    const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const document = configuration.Environment?.Variables?.[CONFIG_ENV];
    if (document === undefined) throw new CliError(`function ${functionName} has no ${CONFIG_ENV}`);
    return parseMonitorConfig(decodeConfigEnv(document));
  } finally {
    client.destroy();
  }
}
