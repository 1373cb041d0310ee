/**
 * The commands a message offers to paste: the Confluent CLI and curl against the registry,
 * authenticated as the monitor is. Each is safe to paste as it is, whatever the exporter is
 * called: the name is quoted for the shell and path-encoded in the URL, and secrets appear only
 * as shell variables.
 */
import type { MessageContext, RegistryAuthContext } from './message-context.js';
import { wellFormed } from '../core/well-formed.js';
import { INVISIBLE_CHARS, LINE_MAX, NAME_MAX } from './untrusted-text.js';

const SHELL_BARE = /^[A-Za-z0-9._:/=@%+,-]+$/;
/**
 * Written as escapes inside `$'...'`: quotes and backslashes, anything invisible, and the
 * characters a chat would interpret (`<>&` and the backtick that would end a code span). So a
 * command carries the exact name and is always safe inside a Markdown code span.
 */
const SHELL_ESCAPED = new RegExp(`['\\\\\`<>&\\u0000-\\u001f${INVISIBLE_CHARS}]`);

function shellQuote(text: string): string {
  if (SHELL_BARE.test(text)) return text;
  if (!SHELL_ESCAPED.test(text)) return `'${text}'`;
  const escaped = Array.from(text, (ch) => {
    if (!SHELL_ESCAPED.test(ch)) return ch;
    const code = ch.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `$'${escaped.join('')}'`;
}

/** encodeURIComponent leaves `!'()*` alone; encoded too, the URL needs no quoting anywhere. */
function pathSegment(name: string): string {
  return encodeURIComponent(wellFormed(name)).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Header values from the configuration: in double quotes like the placeholders when plain, else quoted exactly. */
const HEADER_PLAIN = /^[A-Za-z0-9._:/=@%+, -]+$/;

function header(name: string, headerValue: string): string {
  const text = `${name}: ${headerValue}`;
  return `-H ${HEADER_PLAIN.test(text) ? `"${text}"` : shellQuote(text)}`;
}

/** A configured id fit for a command line: set, and not so long that a message would have to shorten it. */
const usable = (text: string | undefined): text is string => text !== undefined && text !== '' && text.length <= LINE_MAX;

/** The curl options that authenticate as the monitor does: secrets only as shell variables, never their values. */
function curlAuth(auth: RegistryAuthContext | undefined): string {
  switch (auth?.kind) {
    case 'none':
      return '';
    case 'oauth': {
      const { logicalCluster, identityPoolId } = auth;
      const headers = [
        '-H "Authorization: Bearer $TOKEN"',
        usable(logicalCluster) ? header('target-sr-cluster', logicalCluster) : '-H "target-sr-cluster: $LOGICAL_CLUSTER"',
        ...(identityPoolId === undefined || identityPoolId === ''
          ? []
          : [usable(identityPoolId) ? header('Confluent-Identity-Pool-Id', identityPoolId) : '-H "Confluent-Identity-Pool-Id: $IDENTITY_POOL_ID"']),
      ];
      return `${headers.join(' ')} `;
    }
    default:
      return '-u "$API_KEY:$API_SECRET" ';
  }
}

function curl(context: MessageContext, path: string, options = ''): string {
  const url = context.registryBaseUrl === undefined ? `"$SCHEMA_REGISTRY_URL${path}"` : shellQuote(`${context.registryBaseUrl.replace(/\/+$/, '')}${path}`);
  return `curl ${curlAuth(context.registryAuth)}${options}${url}`;
}

/** The operator CLI, reading the store this monitor writes: the deployed table, or the local store of `npm start`. */
function operatorCli(context: MessageContext): string {
  return context.localStore === undefined ? 'exporter-monitor' : `npm run cli -- --local ${shellQuote(context.localStore)}`;
}

/**
 * What the monitor recorded about an exporter (or, without one, the registry) since `since`: its
 * incident's first alert and everything after. A name or id too long to repeat is left out.
 */
export function historyCommands(registryId: string, exporterName: string | undefined, since: string, context: MessageContext): string[] {
  const registry = usable(registryId) ? ` --registry ${shellQuote(registryId)}` : '';
  const exporter = exporterName !== undefined && exporterName.length <= NAME_MAX ? ` --exporter ${shellQuote(exporterName)}` : '';
  return [`${operatorCli(context)} history${registry}${exporter} --since ${since}`];
}

/** Lists the exporters: what exists, and the request the monitor sends first. */
export function listCommands(context: MessageContext): string[] {
  return ['confluent schema-registry exporter list', curl(context, '/exporters', '-i ')];
}

/** Reads the status of exporter `name`, or resumes it. */
export function exporterCommands(name: string, context: MessageContext, action: 'status' | 'resume'): string[] {
  const path = `/exporters/${pathSegment(name)}/${action}`;
  return action === 'status'
    ? [`confluent schema-registry exporter status describe ${shellQuote(name)}`, curl(context, path)]
    : [`confluent schema-registry exporter resume ${shellQuote(name)}`, curl(context, path, '-X PUT ')];
}

/** Shows what exporter `name` copies and where: subjects, context type, context, rename format. */
export function definitionCommands(name: string, context: MessageContext): string[] {
  return [`confluent schema-registry exporter describe ${shellQuote(name)}`, curl(context, `/exporters/${pathSegment(name)}`)];
}

/** The latest version of every subject at the source, as the monitor fingerprints them. */
export function sourceSchemaCommands(context: MessageContext): string[] {
  return [curl(context, '/schemas?latestOnly=true&subjectPrefix=:*:')];
}

/**
 * What the destination holds, in every context, and the mode of a subject there: Schema Linking
 * writes only to subjects (or contexts) in IMPORT mode. Its URL and key are the destination's own.
 */
export function destinationCommands(): string[] {
  const auth = '-u "$DESTINATION_API_KEY:$DESTINATION_API_SECRET" ';
  return [`curl ${auth}"$DESTINATION_URL/subjects?subjectPrefix=:*:"`, `curl ${auth}"$DESTINATION_URL/mode/$SUBJECT"`];
}
