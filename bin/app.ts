/**
 * The CDK app: one ExporterMonitorStack configured from context. Set `monitor` in cdk.json (or pass
 * `-c monitor='{...}'`), or point `configFile` at a JSON file with the same content (`-c configFile=monitor.json`).
 * `stackName` (default SchemaExporterMonitor) lets one account run several monitors.
 */
import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ConfigError } from '../lambda/config.js';
import { settingsFromAppConfig } from '../lib/app-config.js';
import { ExporterMonitorStack } from '../lib/exporter-monitor-stack.js';

const app = new App();
const configFile: unknown = app.node.tryGetContext('configFile');
const stackName: unknown = app.node.tryGetContext('stackName') ?? 'SchemaExporterMonitor';

/** The configuration document: the file `configFile` names, or the `monitor` context. A file that cannot be read is one line. */
function configSource(): unknown {
  if (typeof configFile !== 'string') return app.node.tryGetContext('monitor');
  try {
    return readFileSync(configFile, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message.split('\n', 1)[0];
    throw new ConfigError('configFile', `cannot read ${JSON.stringify(configFile)}: ${reason}`);
  }
}

try {
  new ExporterMonitorStack(app, String(stackName), { monitor: settingsFromAppConfig(configSource()) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid monitor configuration${typeof configFile === 'string' ? ` in ${configFile}` : ''}: ${error.message}`);
  process.exit(1);
}

// The same checks the tests run: every `cdk synth` and `cdk deploy` reports a finding that a configuration
// change introduces, and an unacknowledged error stops the deployment instead of reaching the account.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
