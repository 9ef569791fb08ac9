// Text both engines would store differently, or not at all, is refused at the edge with the same
// 400 on both:
// - U+0000: PostgreSQL text cannot hold it (pg-mem stores it);
// - a lone surrogate (half of a UTF-16 pair): PostgreSQL stores U+FFFD instead, so the row would
//   differ from what the client was told was stored;
// - JSON nested deeper than any route reads: nothing needs it, and walking it must not cost a stack.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../variants/contract';

/** The deepest body a route takes is an order: object > items list > item object. */
export const MAX_INPUT_DEPTH = 8;

// With the u flag a well-formed pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const PROBLEMS = {
  nul: 'text must not contain the NUL character (U+0000)',
  surrogate: 'text must be well-formed Unicode (it contains a lone UTF-16 surrogate)',
  depth: `input must not nest deeper than ${MAX_INPUT_DEPTH} levels`,
} as const;

function textProblem(text: string): keyof typeof PROBLEMS | undefined {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return undefined;
}

/** Walks with a list instead of recursion, so no input can exhaust the call stack. */
export function inputProblem(input: unknown): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return PROBLEMS[problem];
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_INPUT_DEPTH) return PROBLEMS.depth;
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key);
        if (problem) return PROBLEMS[problem];
        pending.push({ value: child, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

export async function rejectUnstorableText(request: FastifyRequest): Promise<void> {
  const problem = inputProblem(request.query) ?? inputProblem(request.params) ?? inputProblem(request.body);
  if (problem) throw new DomainError(400, problem);
}
