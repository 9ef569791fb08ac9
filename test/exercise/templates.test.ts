// The candidate's README and SOLUTION.md are rendered by mustache from exercise/templates. This
// file proved the move from the hand-written renderer byte for byte: every combination of parts,
// features and flags, old templates with the old renderer against new templates with mustache.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_ROOT, renderTemplate } from '../../exercise/export';
import { FEATURE_OPTIONS, PART_IDS } from '../../exercise/parts';

/** The lab's commit before the move: its templates, rendered by its renderer (below), are the expected output. */
const BEFORE = 'e020419';

function legacyRender(text: string, context: { parts: string[]; features: string[]; flags?: string[]; vars: Record<string, string> }): string {
  let out = text
    .replace(/<!-- part:([\w-]+) -->\n?([\s\S]*?)<!-- \/part -->\n?/g, (_, id: string, body: string) => (context.parts.includes(id) ? body : ''))
    .replace(/<!-- feature:([\w-]+) -->\n?([\s\S]*?)<!-- \/feature -->\n?/g, (_, id: string, body: string) => (context.features.includes(id) ? body : ''))
    .replace(/<!-- ([\w-]+) -->([\s\S]*?)<!-- \/\1 -->/g, (_, flag: string, body: string) => ((context.flags ?? []).includes(flag) ? body : ''));
  out = out.replace(/\{\{([\w:-]+)\}\}/g, (_, name: string) => {
    if (!(name in context.vars)) throw new Error(`template placeholder {{${name}}} has no value`);
    return context.vars[name]!;
  });
  return out.replace(/\n{3,}/g, '\n\n');
}

const subsets = <T>(items: readonly T[]): T[][] => items.reduce<T[][]>((all, item) => all.flatMap((subset) => [subset, [...subset, item]]), [[]]);

describe('exercise templates: mustache renders what the hand-written renderer did', () => {
  for (const name of ['README.md', 'SOLUTION.md']) {
    it(`${name}: byte-identical for every combination of parts, features and flags`, () => {
      const before = execFileSync('git', ['show', `${BEFORE}:exercise/templates/${name}`], { cwd: LAB_ROOT, encoding: 'utf8' });
      const after = readFileSync(join(LAB_ROOT, 'exercise/templates', name), 'utf8');
      // Values with markdown, HTML-escapable characters and newlines: nothing may be escaped or trimmed.
      const names = [...before.matchAll(/\{\{([\w:-]+)\}\}/g)].map((m) => m[1]!);
      const vars = Object.fromEntries(names.map((n) => [n, `<${n}> & "x"\n- line two\n`]));
      let compared = 0;
      for (const parts of subsets(PART_IDS)) {
        for (const features of subsets(FEATURE_OPTIONS)) {
          for (const flags of subsets(['embedded', 'ci'])) {
            const context = { parts, features, flags, vars };
            expect(renderTemplate(after, context), JSON.stringify({ parts, features, flags })).to.equal(legacyRender(before, context));
            compared++;
          }
        }
      }
      expect(compared).to.equal(2 ** (PART_IDS.length + FEATURE_OPTIONS.length + 2));
    });
  }
});
