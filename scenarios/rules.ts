// What "the same answer" means, written down. The original code's behaviour is the specification:
// these are the rules it follows (and scenarios/oracles.ts computes), so a candidate does not have
// to reverse-engineer them, and a test checks each one against the oracle and the code.

export interface Rule {
  /** Stable, so a test can say which rule it checks. */
  id: string;
  text: string;
}

/** GET /api/orders/summary?limit=N */
export const SUMMARY_RULES: readonly Rule[] = [
  {
    id: 'newest-active',
    text: 'It ranks the `limit` newest **active** customers of the shop (newest by `createdAt`, then by highest id) and no one else: an inactive customer, or one older than the `limit` newest, has no row however much they spent.',
  },
  { id: 'zero-spend-kept', text: 'Each of those customers has a row, those who spent nothing included (`orderCount` 0, `totalCents` 0).' },
  {
    id: 'paid-only',
    text: 'An order counts when its status is `paid` and it is neither archived nor deleted. Drafts, shipped and cancelled orders do not count, nor do archived or deleted ones.',
  },
  { id: 'no-items', text: 'A counted order without items still counts in `orderCount`, for 0 cents.' },
  {
    id: 'money-from-lines',
    text: '`totalCents` is the sum of the counted orders\' item lines, quantity × `unitPriceCents` (the price paid, never the product\'s price today). `orders.total_cents` holds the same sum for every order, written with its items.',
  },
  { id: 'ties-newest-first', text: 'Rows come biggest `totalCents` first; customers with the same total keep the newest-first order (by `createdAt`, then by highest id).' },
];

/** GET /api/analytics */
export const ANALYTICS_RULES: readonly Rule[] = [
  {
    id: 'counted-orders',
    text: 'An order counts when its status is `paid` or `shipped` and it is not deleted. Archived orders still count (they are history); drafts and cancelled orders do not.',
  },
  { id: 'revenue-paid', text: 'Revenue is what customers paid: item lines at their `unitPriceCents`, never at the product\'s price today.' },
  { id: 'no-items', text: 'A counted order without items counts in `totalOrders` and in its day, for 0 revenue.' },
  {
    id: 'top-items',
    text: '`topItems`: at most 5 products, most units sold first, a tie going to the lower product id; `quantity` and `revenue` cover the counted orders, `name` is the product\'s name today.',
  },
  { id: 'orders-by-day', text: '`ordersByDay`: one entry per UTC day (`YYYY-MM-DD` of `createdAt`) that has a counted order, oldest day first.' },
];

/** Whether a product rule is decided, or left to the candidate (every check accepts each choice it lists). */
export type RuleStanding = 'decided' | 'your call';

export interface ProductRule extends Rule {
  standing: RuleStanding;
}

/** What the order flows do where the original code says nothing useful (it destroyed the data first), or where either answer is right. */
export const PRODUCT_RULES: readonly ProductRule[] = [
  {
    id: 'cancel-keeps-stock',
    standing: 'decided',
    text: 'Cancelling an order does not give its units back to stock, as in the original code: the units stay taken, and the order\'s items stay the record of what was sold.',
  },
  {
    id: 'repeat-cancel',
    standing: 'your call',
    text: 'Cancelling an order that is already cancelled, or archiving a cancelled order: 200 or 409. Either way nothing else changes.',
  },
  { id: 'cancel-shipped', standing: 'your call', text: 'Cancelling a shipped order: 200 (the original code allows it) or 409.' },
  {
    id: 'repeat-delete',
    standing: 'your call',
    text: 'A second `DELETE` of the same order: 204 or 404. Either way the order stays readable by id with its items, and keeps the `deletedAt` of the first `DELETE`.',
  },
  {
    id: 'write-deleted',
    standing: 'your call',
    text: 'Cancelling or archiving a deleted order: act on it (200) or refuse (404 or 409). Either way it stays deleted.',
  },
  {
    id: 'seed-updated-at',
    standing: 'your call',
    text: 'The `updatedAt` of an order `POST /api/dev/seed` writes: its creation time, or the time of the seed. Nothing reads it.',
  },
];

const STANDING_LABEL: Record<RuleStanding, string> = { decided: 'Decided', 'your call': 'Your call' };

/** The rules as a markdown list, for the candidate's README. */
export function rulesMarkdown(rules: readonly (Rule | ProductRule)[]): string {
  return rules.map((rule) => `- ${'standing' in rule ? `**${STANDING_LABEL[rule.standing]}.** ` : ''}${rule.text}`).join('\n');
}
