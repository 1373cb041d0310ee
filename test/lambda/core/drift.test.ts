import { compareScopes } from '../../../lambda/core/drift.js';
import type { ExporterDefinition, ScopeListing } from '../../../lambda/core/replication-model.js';

const definition = (overrides: Partial<ExporterDefinition> = {}): ExporterDefinition => ({
  name: 'orders-link',
  subjects: ['*'],
  contextType: 'CUSTOM',
  context: 'dr',
  subjectRenameFormat: null,
  ...overrides,
});

const listing = (entries: [string, number, number][]): ScopeListing => ({
  latest: new Map(entries.map(([subject, version, id]) => [subject, { subject, version, id }])),
});

const source = listing([
  ['orders-value', 3, 103],
  ['payments-value', 1, 201],
  ['audit-value', 2, 302],
  [':.other:x', 1, 900],
]);

describe('drift comparison', () => {
  it('finds nothing missing when every subject in scope is there at its latest version with its id', () => {
    const destination = listing([
      [':.dr:orders-value', 3, 103],
      [':.dr:payments-value', 1, 201],
      [':.dr:audit-value', 2, 302],
    ]);
    expect(compareScopes(definition(), source, destination)).toEqual({ missingSubjects: [], missingVersions: [], idMismatches: [], compared: 3 });
  });

  it('names missing subjects, versions behind and id mismatches, sorted by subject', () => {
    const destination = listing([
      [':.dr:orders-value', 2, 102],
      [':.dr:audit-value', 2, 399],
      // Where a wrong rename format would put it: not where this definition says.
      ['payments-value', 1, 201],
    ]);
    expect(compareScopes(definition(), source, destination)).toEqual({
      missingSubjects: ['payments-value'],
      missingVersions: [{ subject: 'orders-value', source: 3, destination: 2 }],
      idMismatches: [{ subject: 'audit-value', version: 2, source: 302, destination: 399 }],
      compared: 3,
    });
  });

  it('finds AUTO copies in the context the registry generated, whatever it is called', () => {
    const auto = definition({ contextType: 'AUTO', context: '.' });
    const destination = listing([
      [':.lsrc-9zz:orders-value', 3, 103],
      [':.lsrc-9zz:payments-value', 1, 201],
      // In the default context: not where an AUTO exporter writes.
      ['audit-value', 2, 302],
    ]);
    expect(compareScopes(auto, source, destination).missingSubjects).toEqual(['audit-value']);
  });

  it('compares nothing for a context type it does not know, rather than report everything missing', () => {
    expect(compareScopes(definition({ contextType: 'MIRROR' }), source, listing([]))).toEqual({ missingSubjects: [], missingVersions: [], idMismatches: [], compared: 0 });
  });
});
