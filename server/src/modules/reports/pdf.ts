/**
 * The service report as a PDF (SPEC 13): server-rendered HTML (print CSS, inline SVG charts, no
 * scripts, no network) printed by headless Chromium through playwright-core. One browser at a
 * time: PDFs queue behind each other rather than start several Chromiums on a loaded machine.
 */
import { existsSync } from 'node:fs';
import { HttpProblem } from '../../lib/problem.js';
import { KPI_DEFINITIONS, KPI_KEYS, type KpiKey, type KpiResult } from '../kpi/rules/kpis.js';
import type { ServiceReport } from './report.js';
import { REPORT_TEXT, type ReportLocale, type ReportText } from './rules/report-text.js';

export const CHROMIUM = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';
export const pdfAvailable = (): boolean => existsSync(CHROMIUM);

const esc = (s: string | number) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function formatKpi(key: KpiKey, v: number | null, t: ReportText): string {
  if (v === null) return '—';
  const unit = KPI_DEFINITIONS[key].unit;
  if (unit === 'percent') return `${v.toFixed(1)}%`;
  if (unit === 'ms') return t.duration(v);
  return v.toFixed(1);
}

const TONE: Record<KpiResult['status'], string> = {
  met: 'met',
  below_target: 'below',
  below_floor: 'floor',
  info: '',
  na: '',
};

/** A line chart of percent / points KPIs over the trend months (0–100), as inline SVG. */
function trendSvg(r: ServiceReport, t: ReportText): string {
  const keys: KpiKey[] = ['response_timeliness', 'resolution_rate', 'csat', 'complaint_rate'];
  const colours = ['#1677ff', '#52c41a', '#fa8c16', '#f5222d'];
  const W = 680;
  const H = 200;
  const pad = 30;
  const n = r.trend.length;
  const x = (i: number) => pad + (i * (W - 2 * pad)) / Math.max(n - 1, 1);
  const y = (v: number) => H - pad - (v / 100) * (H - 2 * pad);
  const grid = [0, 25, 50, 75, 100]
    .map(
      (v) =>
        `<line x1="${pad}" x2="${W - pad}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>` +
        `<text x="4" y="${y(v) + 4}" font-size="9" fill="#888">${v}</text>`,
    )
    .join('');
  const labels = r.trend
    .map(
      (m, i) =>
        `<text x="${x(i)}" y="${H - 8}" font-size="9" text-anchor="middle" fill="#555">${esc(m.month.slice(2))}</text>`,
    )
    .join('');
  const lines = keys
    .map((k, ki) => {
      const pts = r.trend
        .map((m, i) => (m.kpis[k].value === null ? null : `${x(i)},${y(m.kpis[k].value!)}`))
        .filter(Boolean);
      if (pts.length === 0) return '';
      return (
        `<polyline fill="none" stroke="${colours[ki]}" stroke-width="2" points="${pts.join(' ')}"/>` +
        pts
          .map(
            (p) =>
              `<circle cx="${p!.split(',')[0]}" cy="${p!.split(',')[1]}" r="2.5" fill="${colours[ki]}"/>`,
          )
          .join('')
      );
    })
    .join('');
  const legend = keys
    .map(
      (k, ki) =>
        `<span class="lg"><i style="background:${colours[ki]}"></i>${esc(t.kpis[k])}</span>`,
    )
    .join('');
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${grid}${labels}${lines}</svg><div class="legend">${legend}</div>`;
}

/** Horizontal bars for a top list. */
function barsSvg(rows: { label: string; count: number }[]): string {
  if (rows.length === 0) return '';
  const max = Math.max(...rows.map((r) => r.count), 1);
  const W = 330;
  const rowH = 18;
  return `<svg width="${W}" height="${rows.length * rowH}" role="img">${rows
    .map(
      (r, i) =>
        `<text x="0" y="${i * rowH + 12}" font-size="10">${esc(r.label.slice(0, 14))}</text>` +
        `<rect x="110" y="${i * rowH + 3}" width="${(r.count / max) * (W - 150)}" height="11" fill="#1677ff"/>` +
        `<text x="${114 + (r.count / max) * (W - 150)}" y="${i * rowH + 12}" font-size="10">${r.count}</text>`,
    )
    .join('')}</svg>`;
}

const table = (head: string[], rows: string[][], cls = '') =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length
      ? rows.map((r) => `<tr>${r.join('')}</tr>`).join('')
      : `<tr><td colspan="${head.length}" class="empty">—</td></tr>`
  }</tbody></table>`;
const td = (v: string | number, cls = '') => `<td class="${cls}">${esc(v)}</td>`;

export function renderReportHtml(r: ServiceReport, locale: ReportLocale): string {
  const t = REPORT_TEXT[locale];
  const quarter = r.kind === 'quarter';
  const kpiRows = KPI_KEYS.map((k) => {
    const res = r.kpis[k];
    const target = r.targets[k];
    return [
      td(t.kpis[k]),
      ...(quarter
        ? r.monthly.map((m) => td(formatKpi(k, m.kpis[k].value, t), TONE[m.kpis[k].status]))
        : []),
      td(formatKpi(k, res.value, t), `num ${TONE[res.status]}`),
      td(formatKpi(k, target.target, t)),
      td(formatKpi(k, target.floor, t)),
      td(t.statuses[res.status], TONE[res.status]),
    ];
  });
  const assessments = r.assessments
    .map(
      (a) => `<h3>${esc(a.month)} · ${esc(t.agentsAssessed)} ${a.agents}</h3>
      <p><b>${esc(t.serviceStar)}：</b>${a.serviceStars.length ? a.serviceStars.map((s) => esc(s.name)).join('、') : esc(t.none)}</p>
      <p><b>${esc(t.warnings)}：</b>${
        a.warnings.length
          ? a.warnings
              .map((w) => `${esc(w.name)}（${w.kpis.map((k) => esc(t.kpis[k])).join('、')}）`)
              .join('；')
          : esc(t.none)
      }</p>`,
    )
    .join('');
  const rp = r.repeats;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(t.title(r.period, r.kind))}</title>
<style>
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 11px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; border-bottom: 2px solid #1677ff; padding-bottom: 3px; margin: 18px 0 8px; }
h3 { font-size: 12px; margin: 10px 0 4px; } .meta { color: #666; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; } th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; }
th { background: #f5f7fa; } td.num { font-weight: 600; } td.met { background: #f0fff0; color: #237804; }
td.below { background: #fffbe6; color: #ad6800; } td.floor { background: #fff1f0; color: #a8071a; font-weight: 600; } td.empty { color: #999; text-align: center; }
.page { break-after: page; } .page:last-child { break-after: auto; } .cols { display: flex; gap: 16px; } .cols > div { flex: 1; }
.legend .lg { margin-right: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.stat { display: inline-block; margin-right: 24px; } .stat b { font-size: 16px; display: block; }
</style></head><body>
<section class="page">
<h1>${esc(t.title(r.period, r.kind))}</h1>
<div class="meta">${esc(t.generated)} ${esc(r.generatedAt.slice(0, 16).replace('T', ' '))} UTC · ${esc(r.timeZone)} · ${esc(t.targetVersion)} v${r.targetVersion}</div>
<h2>${esc(t.kpiTable)}</h2>
${table([t.kpi, ...(quarter ? r.monthly.map((m) => m.month) : []), t.value, t.target, t.floor, t.status], kpiRows, 'kpis')}
<h2>${esc(t.trend)}</h2>
${trendSvg(r, t)}
</section>
<section class="page">
<h2>${esc(t.assessments)}</h2>
${assessments}
<h2>${esc(t.ledger)}</h2>
<p class="stat"><b>${r.ledger.received}</b>${esc(t.received)}</p>
<div class="cols"><div><h3>${esc(t.categories)}</h3>${barsSvg(
    r.ledger.categories.map((c) => ({
      label: (locale === 'zh-CN' ? c.labelZh : c.labelEn) ?? c.key,
      count: c.count,
    })),
  )}</div>
<div><h3>${esc(t.causes)}</h3>${barsSvg(r.ledger.complaintCauses.map((c) => ({ label: c.tag, count: c.count })))}</div></div>
<h3>${esc(t.funnel)}</h3>
${table(
  [t.stage, t.tickets, t.meanTime],
  r.ledger.funnel.map((f) => [
    td(t.stages[f.stage] ?? f.stage),
    td(f.tickets),
    td(f.tickets ? t.duration(f.meanMs) : '—'),
  ]),
)}
<h2>${esc(t.repeats)}</h2>
<p class="meta">${esc(t.repeatWindow(rp.windowDays))}</p>
<p><span class="stat"><b>${rp.repeatTickets}</b>${esc(t.repeatTotal)}</span><span class="stat"><b>${rp.byCustomer.tickets}</b>${esc(t.byCustomer)}</span><span class="stat"><b>${rp.bySubject.tickets}</b>${esc(t.bySubject)}</span></p>
<div class="cols"><div><h3>${esc(t.topSubjects)}</h3>${table(
    [t.bySubject, t.count],
    rp.topSubjects.map((s) => [td(s.key), td(s.repeats)]),
  )}</div><div><h3>${esc(t.topCustomers)}</h3>${table(
    [t.byCustomer, t.count],
    rp.topCustomers.map((c) => [td(c.name), td(c.repeats)]),
  )}</div></div>
</section>
</body></html>`;
}

let queue: Promise<unknown> = Promise.resolve();

/** Prints `html` to an A4 PDF with headless Chromium (one at a time). */
export function htmlToPdf(html: string): Promise<Buffer> {
  if (!pdfAvailable())
    throw new HttpProblem({
      status: 503,
      code: 'pdf_unavailable',
      detail: 'Chromium is not installed on this server: PDF reports cannot be printed.',
    });
  const run = async () => {
    // Loaded on the first print: playwright-core is ≈ 75 MB of the server's RSS once imported.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({ javaScriptEnabled: false });
      // Nothing may be fetched: the report is self-contained.
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    } finally {
      await browser.close();
    }
  };
  const next = queue.then(run, run);
  queue = next.catch(() => undefined);
  return next;
}
