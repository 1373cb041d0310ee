/**
 * The package's entry point: the construct to add to a CDK app, its props, the configuration types,
 * and the stack this repository deploys for those who would rather deploy it as it is.
 */
export { ExporterMonitor } from './exporter-monitor.js';
export type {
  AutoResumeInput,
  ExporterMonitorProps,
  RegistryAuthInput,
  RegistryConfigInput,
  RegistryPolicyInput,
  SlackChannelProps,
  TeamsChannelProps,
} from './exporter-monitor-props.js';
export { type ExporterCondition, MonitorMetricFactory, type MonitorMetricFactoryProps } from './monitor-metrics.js';
export { ExporterMonitorStack, type ExporterMonitorSettings, type ExporterMonitorStackProps } from './exporter-monitor-stack.js';
export { type MonitorAppConfig, settingsFromAppConfig } from './app-config.js';
export { ConfigError, type ConfigProblem } from '../lambda/config.js';
export type { ExporterConditions } from '../lambda/core/exporter-conditions.js';
