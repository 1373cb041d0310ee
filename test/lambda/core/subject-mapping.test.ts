import type { ExporterDefinition, ScopeListing } from '../../../lambda/core/replication-model.js';
import { destinationSubject, inScope, parseSubject, scopeFingerprint } from '../../../lambda/core/subject-mapping.js';

const definition = (overrides: Partial<ExporterDefinition> = {}): ExporterDefinition => ({
  name: 'orders-link',
  subjects: ['*'],
  contextType: 'AUTO',
  context: '.',
  subjectRenameFormat: '${subject}',
  ...overrides,
});

describe('qualified subject names', () => {
  it.each([
    ['orders-value', { context: '.', name: 'orders-value' }],
    [':.eu:orders-value', { context: '.eu', name: 'orders-value' }],
    [':.eu.prod:orders-value', { context: '.eu.prod', name: 'orders-value' }],
    [':.eu:a:b', { context: '.eu', name: 'a:b' }],
  ])('%s is %o', (qualified, parsed) => {
    expect(parseSubject(qualified)).toEqual(parsed);
  });
});

describe('which source subjects an exporter copies', () => {
  it.each([
    [['*'], 'orders-value', true],
    [['*'], ':.eu:orders-value', false],
    [[], 'orders-value', true],
    [['orders-*'], 'orders-value', true],
    [['orders-*'], 'payments-value', false],
    [['orders-value', 'payments-value'], 'payments-value', true],
    [[':.eu:*'], ':.eu:orders-value', true],
    [[':.eu:*'], 'orders-value', false],
    [[':*:'], ':.eu:orders-value', true],
    [[':*:'], 'orders-value', true],
  ])('subjects %j select %s: %s', (subjects, subject, selected) => {
    expect(inScope(definition({ subjects }), subject)).toBe(selected);
  });
});

describe('where the destination holds a source subject', () => {
  it.each([
    ['NONE keeps the context and the name', { contextType: 'NONE' }, 'orders-value', { kind: 'exact', subject: 'orders-value' }],
    ['NONE keeps a non-default context', { contextType: 'NONE' }, ':.eu:orders-value', { kind: 'exact', subject: ':.eu:orders-value' }],
    ['DEFAULT puts it in the default context', { contextType: 'DEFAULT' }, ':.eu:orders-value', { kind: 'exact', subject: 'orders-value' }],
    ['CUSTOM prefixes the context', { contextType: 'CUSTOM', context: 'dr' }, 'orders-value', { kind: 'exact', subject: ':.dr:orders-value' }],
    ['CUSTOM prefixes a source context', { contextType: 'CUSTOM', context: '.dr' }, ':.eu:orders-value', { kind: 'exact', subject: ':.dr.eu:orders-value' }],
    ['the rename format applies to the name', { contextType: 'NONE', subjectRenameFormat: 'dc1.${subject}' }, 'orders-value', { kind: 'exact', subject: 'dc1.orders-value' }],
    ['a rename format with the name twice', { contextType: 'DEFAULT', subjectRenameFormat: '${subject}-${subject}' }, 'a', { kind: 'exact', subject: 'a-a' }],
    ['a null rename format keeps the name', { contextType: 'DEFAULT', subjectRenameFormat: null }, 'orders-value', { kind: 'exact', subject: 'orders-value' }],
    ['AUTO with a generated context reported', { contextType: 'AUTO', context: '.lsrc-abc123' }, 'orders-value', { kind: 'exact', subject: ':.lsrc-abc123:orders-value' }],
    ['AUTO without one: any generated context', { contextType: 'AUTO', context: '.' }, 'orders-value', { kind: 'any-context', name: 'orders-value', contextSuffix: '' }],
    ['AUTO of a source context', { contextType: 'AUTO', context: null }, ':.eu:orders-value', { kind: 'any-context', name: 'orders-value', contextSuffix: '.eu' }],
    ['lower-case context types as the CLI writes them', { contextType: 'custom', context: 'dr' }, 'x', { kind: 'exact', subject: ':.dr:x' }],
  ])('%s', (_case, overrides, subject, expected) => {
    expect(destinationSubject(definition(overrides as Partial<ExporterDefinition>), subject)).toEqual(expected);
  });

  it('does not guess at a context type it does not know, nor at CUSTOM without a context', () => {
    expect(destinationSubject(definition({ contextType: 'MIRROR' }), 'orders-value')).toBeUndefined();
    expect(destinationSubject(definition({ contextType: 'CUSTOM', context: null }), 'orders-value')).toBeUndefined();
  });
});

describe('scope fingerprints', () => {
  const listing = (entries: [string, number, number][]): ScopeListing => ({
    latest: new Map(entries.map(([subject, version, id]) => [subject, { subject, version, id }])),
  });

  it('changes with a new version in the scope, not with one outside it, nor with the listing order', () => {
    const orders = definition({ subjects: ['orders-*'] });
    const before = scopeFingerprint(orders, listing([['orders-value', 1, 10], ['payments-value', 1, 11]]));
    expect(scopeFingerprint(orders, listing([['payments-value', 2, 12], ['orders-value', 1, 10]]))).toBe(before);
    expect(scopeFingerprint(orders, listing([['orders-value', 2, 13], ['payments-value', 1, 11]]))).not.toBe(before);
  });
});
