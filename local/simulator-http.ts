/**
 * The simulated registry's side of HTTP: which request is which (the routes of the exporter API and
 * the OAuth token endpoint), and replies in the registry's and the OAuth server's formats.
 */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
export const OAUTH_CONTENT_TYPE = 'application/json';

export type RequestKind = 'list' | 'status' | 'info' | 'pause' | 'resume' | 'delete' | 'schemas' | 'subjects' | 'token' | 'other';

/** What a request asks for. */
export interface Target {
  readonly kind: RequestKind;
  readonly name?: string;
  /** The exporter name in the path is not valid percent-encoding. */
  readonly malformed?: boolean;
}

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const ROUTES: Readonly<Record<string, RequestKind>> = {
  'GET /exporters': 'list',
  'GET /exporters/{name}': 'info',
  'DELETE /exporters/{name}': 'delete',
  'GET /exporters/{name}/status': 'status',
  'PUT /exporters/{name}/pause': 'pause',
  'PUT /exporters/{name}/resume': 'resume',
  'GET /schemas': 'schemas',
  'GET /subjects': 'subjects',
  'POST /oauth/token': 'token',
};

/** Splits before decoding, so an encoded `/` stays inside the name; the name is decoded once. */
export function route(method: string, rawPath: string): Target {
  const segments = rawPath.split('/');
  const hasName = segments[1] === 'exporters' && segments.length > 2;
  const shape = hasName ? ['', 'exporters', '{name}', ...segments.slice(3)].join('/') : rawPath;
  const kind = ROUTES[`${method} ${shape}`] ?? 'other';
  if (!hasName || kind === 'other') return { kind };
  try {
    return { kind, name: decodeURIComponent(segments[2]!) };
  } catch {
    return { kind, malformed: true };
  }
}

export function json(status: number, value: unknown, contentType = REGISTRY_CONTENT_TYPE): Reply {
  return { status, headers: { 'content-type': contentType }, body: JSON.stringify(value) };
}

/** The registry's error body: `{"error_code": ..., "message": ...}`. */
export function registryError(status: number, errorCode: number, message: string): Reply {
  return json(status, { error_code: errorCode, message });
}

export const UNAUTHORIZED = registryError(401, 401, 'Unauthorized');
export const NOT_FOUND = registryError(404, 404, 'HTTP 404 Not Found');
