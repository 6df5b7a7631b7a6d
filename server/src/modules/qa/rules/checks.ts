/**
 * Automatic checks of a ticket's replies (SPEC chapter 7), pure: forbidden phrases of the
 * knowledge base's scripts, highlighted in the sentence where they occur; a first reply with no
 * greeting and a last reply with no polite closing (the same wordings as the reply box's courtesy
 * warning); SLA targets missed, from the ticket's clock records.
 */
import { courtesyOf, findPhrases, type PhraseRule } from '../../kb/rules/phrases.js';

export interface ReplyText {
  eventId: string;
  at: string;
  text: string;
}

export interface ClockRecord {
  kind: string;
  occurrence: number;
  dueAt: string;
  breachedAt: string | null;
}

export type CheckFinding =
  | {
      kind: 'forbidden_phrase';
      eventId: string;
      phrase: string;
      suggestion: string;
      /** The sentence holding the phrase, and the phrase's offsets inside it. */
      sentence: string;
      start: number;
      end: number;
    }
  | { kind: 'missing_greeting' | 'missing_closing'; eventId: string; sentence: string }
  | { kind: 'sla_missed'; target: string; occurrence: number; dueAt: string; breachedAt: string };

const SENTENCE_END = /[。！？!?；;\n]/u;

/** The sentence of `text` around [start, end): from after the previous sentence end to the next. */
export function sentenceAround(text: string, start: number, end: number) {
  let from = start;
  while (from > 0 && !SENTENCE_END.test(text[from - 1]!)) from--;
  let to = end;
  while (to < text.length && !SENTENCE_END.test(text[to]!)) to++;
  if (to < text.length) to++;
  const raw = text.slice(from, to);
  const lead = raw.length - raw.trimStart().length;
  return { sentence: raw.trim(), start: start - from - lead, end: end - from - lead };
}

function firstSentence(text: string): string {
  const t = text.trim();
  const m = SENTENCE_END.exec(t);
  return (m ? t.slice(0, m.index + 1) : t).slice(0, 200);
}
function lastSentence(text: string): string {
  const parts = text
    .trim()
    .split(/(?<=[。！？!?；;\n])/u)
    .filter((p) => p.trim());
  return (parts[parts.length - 1] ?? '').trim().slice(0, 200);
}

export function checkReplies(
  replies: readonly ReplyText[],
  rules: { forbidden: readonly PhraseRule[]; required: readonly PhraseRule[] },
  clocks: readonly ClockRecord[],
): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const r of replies) {
    for (const hit of findPhrases(r.text, rules.forbidden)) {
      const s = sentenceAround(r.text, hit.start, hit.end);
      out.push({
        kind: 'forbidden_phrase',
        eventId: r.eventId,
        phrase: hit.phrase,
        suggestion: hit.suggestion,
        ...s,
      });
    }
  }
  const first = replies[0];
  const last = replies[replies.length - 1];
  if (
    first &&
    !courtesyOf(first.text, rules.required).greeting &&
    !courtesyOf(first.text, rules.required).scripted
  )
    out.push({
      kind: 'missing_greeting',
      eventId: first.eventId,
      sentence: firstSentence(first.text),
    });
  if (last && !courtesyOf(last.text, rules.required).closing)
    out.push({ kind: 'missing_closing', eventId: last.eventId, sentence: lastSentence(last.text) });
  for (const c of clocks)
    if (c.breachedAt)
      out.push({
        kind: 'sla_missed',
        target: c.kind,
        occurrence: c.occurrence,
        dueAt: c.dueAt,
        breachedAt: c.breachedAt,
      });
  return out;
}
