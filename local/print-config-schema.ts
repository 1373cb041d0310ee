/**
 * Writes docs/config.schema.json from the configuration's zod schema, so editors check cdk.json
 * and config files against the rules the monitor applies:
 *
 *   npx tsx local/print-config-schema.ts > docs/config.schema.json
 */
import { pathToFileURL } from 'node:url';
import { appConfigJsonSchema } from '../lib/app-config.js';

export const configSchemaDocument = () => `${JSON.stringify(appConfigJsonSchema(), null, 2)}\n`;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.stdout.write(configSchemaDocument());
