/**
 * "Replies that contradict a cited article's current version" (issue 15), pure and explainable.
 *
 * A reply quotes figures — amounts, percentages, time limits — that customers hold us to. For
 * each knowledge-base article cited on the ticket, the agent replies from the citation on are
 * compared with the article's current live text:
 *
 * - every figure of a reply (a number with its unit: 7 天, 3 个工作日, 48 小时, ¥200, 5 %, 2 weeks …)
 *   whose unit the current text also uses, but whose value the current text never states, is
 *   flagged;
 * - `reason: 'changed'` when the figure is in the version that was cited (it was right then; the
 *   article was revised since), `'differs'` when the cited version did not state it either.
 *
 * The finding carries the evidence: the reply's sentence with the figure's offsets, the figures
 * of that unit in the current text and the current sentence holding the first of them, and the
 * cited and current version numbers. Figures whose unit the article never uses are not judged.
 */
import { sentenceAround, type ReplyText } from './checks.js';

export type FigureUnit =
  'money' | 'percent' | 'minute' | 'hour' | 'day' | 'workday' | 'week' | 'month' | 'year';

export interface Figure {
  unit: FigureUnit;
  value: number;
  /** The text as written, and where. */
  text: string;
  start: number;
  end: number;
}

export interface CitedArticle {
  articleId: string;
  title: string;
  citedVersion: number;
  citedText: string;
  currentVersion: number;
  currentText: string;
  /** When it was cited: replies from then on are compared. */
  citedAt: string;
}

export interface CitationFinding {
  kind: 'citation_contradiction';
  reason: 'changed' | 'differs';
  eventId: string;
  articleId: string;
  title: string;
  citedVersion: number;
  currentVersion: number;
  /** The reply's sentence and the figure's offsets in it. */
  sentence: string;
  start: number;
  end: number;
  figure: string;
  /** The figures of that unit in the current text, and the sentence of the first one. */
  currentFigures: string[];
  currentSentence: string;
}

const CN_DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 七 → 7, 十五 → 15, 二十 → 20, 一百二十 → 120 (up to 999); NaN otherwise. */
export function chineseNumber(s: string): number {
  if (!s) return NaN;
  let total = 0;
  let digit = -1;
  for (const ch of s) {
    if (ch in CN_DIGITS) digit = CN_DIGITS[ch]!;
    else if (ch === '十' || ch === '百') {
      const mult = ch === '十' ? 10 : 100;
      total += (digit < 0 ? 1 : digit) * mult;
      digit = -1;
    } else return NaN;
  }
  return total + (digit < 0 ? 0 : digit);
}

const NUM = String.raw`(\d[\d,]*(?:\.\d+)?|[零一二两三四五六七八九十百]+)`;
const UNIT_WORDS: [RegExp, FigureUnit][] = [
  [/^(个)?工作日|^(working|business)\s+days?/i, 'workday'],
  [/^(个)?(自然日|天)|^日(之)?内|^days?\b/i, 'day'],
  [/^(个)?(小时|钟头)|^h(ou)?rs?\b|^hours?\b/i, 'hour'],
  [/^分钟|^min(ute)?s?\b/i, 'minute'],
  [/^(个)?(周|星期|礼拜)|^weeks?\b/i, 'week'],
  [/^个(月)|^months?\b/i, 'month'],
  [/^年(?!\d)|^years?\b/i, 'year'],
  [/^(元|块|人民币|rmb\b|cny\b|yuan\b)/i, 'money'],
  [/^(%|％)|^percent\b/i, 'percent'],
];

const parseValue = (raw: string) =>
  /\d/.test(raw) ? Number(raw.replace(/,/g, '')) : chineseNumber(raw);

/** The figures of a text: a number followed by a unit, or a currency sign before a number. */
export function figuresOf(text: string): Figure[] {
  const out: Figure[] = [];
  const re = new RegExp(String.raw`(¥|￥|\$|RMB\s?|CNY\s?|百分之)?\s?${NUM}\s?`, 'giu');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [whole, prefix, raw] = m as unknown as [string, string | undefined, string];
    const value = parseValue(raw);
    const start = m.index + (whole.length - whole.trimStart().length);
    if (!Number.isFinite(value)) continue;
    if (prefix && /百分之/.test(prefix)) {
      out.push({ unit: 'percent', value, text: whole.trim(), start, end: m.index + whole.length });
      continue;
    }
    if (prefix) {
      const end = m.index + whole.trimEnd().length;
      out.push({ unit: 'money', value, text: text.slice(start, end), start, end });
      continue;
    }
    // Not a part of a longer token (a ticket number, an order id, a date like 2026-03-05).
    const before = text[start - 1] ?? '';
    if (/[\w\-/.]/u.test(before)) continue;
    const rest = text.slice(m.index + whole.length);
    for (const [unitRe, unit] of UNIT_WORDS) {
      const u = unitRe.exec(rest);
      if (!u) continue;
      if (unit === 'year' && value >= 1900) break; // 2026年: a date, not a duration
      const end = m.index + whole.length + u[0].length;
      out.push({ unit, value, text: text.slice(start, end), start, end });
      break;
    }
  }
  return out;
}

const key = (f: Pick<Figure, 'unit' | 'value'>) => `${f.unit}:${f.value}`;

export function checkCitations(
  replies: readonly ReplyText[],
  articles: readonly CitedArticle[],
): CitationFinding[] {
  const out: CitationFinding[] = [];
  const seen = new Set<string>();
  for (const a of articles) {
    const current = figuresOf(a.currentText);
    const currentKeys = new Set(current.map(key));
    const citedKeys = new Set(figuresOf(a.citedText).map(key));
    const byUnit = new Map<FigureUnit, Figure[]>();
    for (const f of current) byUnit.set(f.unit, [...(byUnit.get(f.unit) ?? []), f]);
    for (const r of replies) {
      if (r.at < a.citedAt) continue;
      for (const f of figuresOf(r.text)) {
        const sameUnit = byUnit.get(f.unit);
        if (!sameUnit || currentKeys.has(key(f))) continue;
        const dedupe = `${a.articleId}|${r.eventId}|${f.start}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        const s = sentenceAround(r.text, f.start, f.end);
        const first = sameUnit[0]!;
        out.push({
          kind: 'citation_contradiction',
          reason:
            citedKeys.has(key(f)) && a.citedVersion !== a.currentVersion ? 'changed' : 'differs',
          eventId: r.eventId,
          articleId: a.articleId,
          title: a.title,
          citedVersion: a.citedVersion,
          currentVersion: a.currentVersion,
          ...s,
          figure: f.text,
          currentFigures: [...new Set(sameUnit.map((x) => x.text))],
          currentSentence: sentenceAround(a.currentText, first.start, first.end).sentence,
        });
      }
    }
  }
  return out;
}
