/**
 * The deployed table. The table name comes from `--table`, else from the stack's `TableName`
 * output, and the history retention with it from `HistoryRetentionDays`; the watched registries
 * come from the function's MONITOR_CONFIG (the stack's `FunctionName` output), so listing them
 * never scans the table.
 */
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseMonitorConfig, REGISTRY_DEFAULTS } from '../lambda/config.js';
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
    const historyRetentionDays = await deployedRetentionDays(options, outputs);
    return {
      label: `table "${tableName}" in ${region}`,
      client,
      tableName,
      store: new StateStore({ client, tableName, historyRetentionDays }),
      listRegistries: async () => {
        try {
          return await watchedRegistries(new LambdaClient(clientConfig), await outputs.get('FunctionName'));
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
async function deployedRetentionDays(options: TargetOptions, outputs: StackOutputs): Promise<number> {
  if (options.historyRetentionDays !== undefined) return options.historyRetentionDays;
  if (options.table !== undefined) return REGISTRY_DEFAULTS.historyRetentionDays;
  const days = await outputs.get('HistoryRetentionDays', 'deployed before it had one? `cdk deploy` it again, or pass --history-retention-days DAYS');
  return parseDays(days, `stack "${options.stack}" output HistoryRetentionDays`);
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
  return {
    /** `hint`, when given, follows the error for a missing output. */
    async get(key: string, hint?: string): Promise<string> {
      outputs ??= read();
      const value = (await outputs).find((output) => output.OutputKey === key)?.OutputValue;
      if (value === undefined) throw new CliError(`stack "${stackName}" has no output "${key}"${hint === undefined ? '' : `: ${hint}`}`);
      return value;
    },
  };
}

async function watchedRegistries(client: LambdaClient, functionName: string): Promise<string[]> {
  try {
    const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const document = configuration.Environment?.Variables?.MONITOR_CONFIG;
    if (document === undefined) throw new CliError(`function ${functionName} has no MONITOR_CONFIG`);
    return parseMonitorConfig(document).registries.map((registry) => registry.id);
  } finally {
    client.destroy();
  }
}
