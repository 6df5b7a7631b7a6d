// Regenerates server/src/modules/sla/data/cn-holidays.json — China's statutory holidays and
// make-up working days (调休) — from the `chinese-days` package (MIT; data from the State
// Council's annual notices). The JSON is committed and seeded into an admin-editable table:
// the product never asks a package at run time what next year's holidays are.
//   node scripts/import-cn-holidays.mjs 2025 2026
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json');
const pkg = require('chinese-days/package.json');
const years = process.argv.slice(2).map(Number);
if (years.length === 0) throw new Error('usage: node scripts/import-cn-holidays.mjs YEAR...');

const pick = (table, kind) =>
  Object.entries(table)
    .filter(([date]) => years.includes(Number(date.slice(0, 4))))
    .map(([date, label]) => {
      const [en, zh] = label.split(',');
      return { date, kind, nameZh: zh, nameEn: en };
    });

const days = [...pick(data.holidays, 'holiday'), ...pick(data.workdays, 'workday')].sort((a, b) =>
  a.date.localeCompare(b.date),
);
const out = {
  source: `chinese-days@${pkg.version} (MIT), from the State Council's holiday notices`,
  years,
  days,
};
const file = new URL('../server/src/modules/sla/data/cn-holidays.json', import.meta.url);
writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${days.length} days for ${years.join(', ')}`);
