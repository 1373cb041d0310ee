import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exampleBlocks, messagesDocument } from '../../local/print-examples.js';

describe('generated documentation', () => {
  const ROOT = path.join(import.meta.dirname, '..', '..');
  const regenerate = 'regenerate it: npx tsx local/print-examples.ts > docs/messages.md';

  it('docs/messages.md is what local/print-examples.ts writes today', () => {
    const documented = readFileSync(path.join(ROOT, 'docs', 'messages.md'), 'utf8');
    expect({ file: 'docs/messages.md', upToDate: documented === messagesDocument(), fix: regenerate }).toEqual({
      file: 'docs/messages.md',
      upToDate: true,
      fix: regenerate,
    });
  });

  it("README.md's inline example is the generated state-changed email and Slack message", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const { email, slack } = exampleBlocks('state-changed');
    expect(readme).toContain(email);
    expect(readme).toContain(slack);
  });
});
