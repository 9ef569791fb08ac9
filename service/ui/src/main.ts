// Regression Lab's page: wires the cards of index.html to the API. Built for the browser by
// esbuild when the service first serves /app.js (service/routes/ui.ts); type-checked with the rest.
import type { AboutServer } from '../../routes/health';
import type { Report } from '../../shared/report';
import { action, call, currentTenant, failure, Problem, problemText, said } from './api';
import { cancelCard, queriesCard, raceCard, seedCard } from './actions';
import { byId, message, show } from './dom';
import { renderReport, reportVariants, variantColours } from './report';

/**
 * The variant badge in the masthead, coloured like the variant's bars in the report's charts once
 * both are known: the server names its variant (GET /health), the report gives each variant its
 * colour by its place in the run. No variant's name is written here.
 */
function variantBadge() {
  const badge = byId('server-variant');
  let variant: string | undefined;
  let colourOf: ((name: string) => string | undefined) | undefined;
  const paint = () => {
    const colour = variant === undefined ? undefined : colourOf?.(variant);
    badge.className = colour ? `badge ${colour}` : 'badge';
  };
  return {
    serverIs(name: string) {
      variant = name;
      badge.textContent = name;
      paint();
    },
    reportHas(variants: readonly string[]) {
      colourOf = variantColours(variants);
      paint();
    },
  };
}

function showServerProblem(text: string): void {
  const note = byId('server-message');
  note.textContent = text;
  note.className = 'message message-error';
  note.hidden = false;
}

async function loadHealth(badge: ReturnType<typeof variantBadge>): Promise<void> {
  try {
    const res = await call<AboutServer & { status: string }>('GET', '/health', { tenant: false });
    if (!res.ok) throw new Problem(failure(res, 'Asking the server about itself'));
    const { variant, backend, dev } = res.data;
    badge.serverIs(variant);
    byId('server-backend').textContent = backend;
    byId('server-dev').textContent = dev ? 'on' : 'off (seeding is disabled)';
    document.title = `Regression Lab · ${variant}`;
    byId('server-message').hidden = true;
  } catch (err) {
    showServerProblem(problemText(err));
  }
}

function tenantBox(): void {
  const input = byId('tenant');
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
  byId('tenant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      currentTenant();
    } catch (err) {
      showServerProblem(problemText(err));
    }
  });
}

function reportCard(badge: ReturnType<typeof variantBadge>): void {
  action(byId('report-button'), byId('report-result'), async (result) => {
    const res = await call<Report>('GET', '/reports/latest.json', { tenant: false });
    if (res.status === 404) {
      const text = said(res.data).message ?? 'No report found.';
      return show(result, message('info', text.replace(/\.?$/, '.'), 'report-missing'));
    }
    if (!res.ok || !res.data || typeof res.data !== 'object') return show(result, message('error', failure(res, 'Loading the report'), 'report-error'));
    badge.reportHas(reportVariants(res.data));
    show(result, renderReport(res.data, res.headers.get('x-report-file')));
  });
}

const badge = variantBadge();
tenantBox();
seedCard();
cancelCard();
queriesCard();
raceCard();
reportCard(badge);
void loadHealth(badge);
byId('report-button').click();
