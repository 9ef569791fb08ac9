// The timebox: what it may say, and how it splits into the minutes each part suggests.
import { expect } from 'chai';
import { defaultTimebox, PART_IDS, partMinutes, PARTS, timeboxMinutes, TIMEBOX_EXAMPLES, type PartId } from '../../exercise/parts';

const counted = (parts: readonly PartId[]) => PARTS.filter((p) => parts.includes(p.id) && !p.bonus).map((p) => p.id);
const sum = (minutes: Record<PartId, number>, parts: readonly PartId[]) => counted(parts).reduce((total, id) => total + minutes[id], 0);

describe('exercise parts: the timebox', () => {
  it('reads minutes and hours as people write them, and nothing else', () => {
    expect(TIMEBOX_EXAMPLES.map(timeboxMinutes)).to.deep.equal([90, 120, 150, 90, 90]);
    expect(['3 hours', '45 min', '90m', '2h', '1.5 h', ' 1 hr 15 mins '].map(timeboxMinutes)).to.deep.equal([180, 45, 90, 120, 90, 75]);
    for (const text of ['one afternoon', '', '2', '90 seconds', '0 minutes', '48 hours', 'minutes']) expect(timeboxMinutes(text), text).to.equal(undefined);
  });

  it('suggests the parts\' own minutes when the timebox is their sum, as the full exercise\'s 3 hours is', () => {
    expect(defaultTimebox([...PART_IDS])).to.equal('3 hours');
    const minutes = partMinutes(PART_IDS, timeboxMinutes(defaultTimebox([...PART_IDS]))!);
    expect(minutes).to.deep.equal(Object.fromEntries(PARTS.map((p) => [p.id, p.minutes])));
    const short: PartId[] = ['regression', 'feature', 'design'];
    expect(partMinutes(short, timeboxMinutes(defaultTimebox(short))!)).to.deep.include({ regression: 35, feature: 30, design: 25 });
  });

  it('splits any timebox in proportion, in steps of 5 minutes that add up to it exactly; the bonus scales on top', () => {
    const two = partMinutes(PART_IDS, 120);
    expect(two).to.deep.equal({ regression: 25, feature: 20, performance: 30, concurrency: 30, analytics: 15, design: 15 });
    expect(sum(two, PART_IDS)).to.equal(120);
    for (const parts of [[...PART_IDS], ['regression', 'feature', 'design'], ['performance'], ['concurrency', 'analytics']] as PartId[][]) {
      for (const timebox of [30, 60, 90, 100, 150, 240]) {
        const minutes = partMinutes(parts, timebox);
        expect(sum(minutes, parts), `${parts.join('+')} in ${timebox}`).to.equal(timebox);
        for (const id of counted(parts)) expect(minutes[id] % 5, `${id} in ${timebox}`).to.equal(0);
      }
    }
    // Heavier parts get more: performance weighs more than the feature, whatever the timebox.
    expect(partMinutes(PART_IDS, 240).performance).to.be.greaterThan(partMinutes(PART_IDS, 240).feature);
    // A timebox that is not a multiple of 5 is still split exactly, to the minute.
    expect(sum(partMinutes(PART_IDS, 97), PART_IDS)).to.equal(97);
  });
});
