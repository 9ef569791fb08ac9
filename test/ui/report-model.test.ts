// The page's reading of a report, without a browser: variants in the order the run took them,
// each coloured by its place rather than by its name, so an export's variant looks like the lab's.
import { expect } from 'chai';
import { reportVariants, variantColours } from '../../service/ui/src/report';

describe("the page's report model", () => {
  it("lists the header's variants in run order, then any that only the results name", () => {
    const result = (variant: string) => ({ variant }) as never;
    expect(reportVariants({ header: { variants: ['one', 'two'] } as never, results: [result('two'), result('three')] })).to.deep.equal(['one', 'two', 'three']);
    expect(reportVariants({})).to.deep.equal([]);
  });

  it('colours variants by their place in the run, whatever their names', () => {
    const lab = variantColours(['first', 'second', 'third']);
    const exported = variantColours(['app']);
    expect([lab('first'), lab('second'), lab('third')]).to.deep.equal(['series-a', 'series-b', 'series-c']);
    expect(exported('app'), 'the code as it shipped looks the same in an export').to.equal(lab('first'));
    expect(lab('not-in-the-run')).to.equal(undefined);
  });
});
