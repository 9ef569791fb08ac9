// What a scenario records for its report besides requests: observations, tables, race trials,
// caveats and the SQL shapes of a request.
import { countShapes, type RecordedRequest } from '../queries';
import type { Evidence, ScenarioContext } from '../scenario';

export function emptyEvidence(): Evidence {
  return { requests: [], observations: [], tables: [], shapes: [], scaling: [], load: [], race: [], caveats: [] };
}

/** At most this many shapes of one request go in the report: the rest is the same story. */
const SHAPES_KEPT = 10;

export function evidenceRecorder(
  evidence: Evidence,
  /** The SQL the service recorded for a request id (null when it kept none). */
  recordedSql: (requestId: string) => Promise<RecordedRequest | null>,
): Pick<ScenarioContext, 'observe' | 'table' | 'race' | 'caveat' | 'queryShapes'> {
  return {
    observe: (label, value) => void evidence.observations.push({ label, value }),
    table: (title, columns, rows) => void evidence.tables.push({ title, columns, rows }),
    race: (trial) => void evidence.race.push(trial),
    caveat: (text) => void evidence.caveats.push(text),
    async queryShapes(response, label) {
      const recorded = response.requestId ? await recordedSql(response.requestId) : null;
      const shapes = countShapes(recorded?.sql ?? []);
      evidence.shapes.push({ request: label, total: recorded?.queries ?? 0, shapes: shapes.slice(0, SHAPES_KEPT) });
      return shapes;
    },
  };
}
