/**
 * Forbidden (禁用语) and required (礼貌用语) phrases of scripts, matched in a reply. Pure.
 * Matching ignores case, whitespace and punctuation ("这不是 我的职责", "这不是，我的职责" still
 * match), and positions are UTF-16 offsets into the original text, as JavaScript strings index
 * them.
 */

export interface PhraseRule {
  phrase: string;
  suggestion?: string;
  articleId?: string;
}

export interface PhraseHit {
  phrase: string;
  suggestion: string;
  articleId: string | null;
  /** Offsets in the original text: text.slice(start, end) is the matched passage. */
  start: number;
  end: number;
  match: string;
}

const SPACE = /[\s\p{P}\p{S}]/u;

/** Lower-cases and drops whitespace and punctuation, remembering where each kept character came from. */
export function normalise(text: string): { chars: string; origin: number[] } {
  let chars = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (SPACE.test(ch)) continue;
    const lower = ch.toLowerCase();
    chars += lower;
    for (let k = 0; k < lower.length; k++) origin.push(i);
  }
  return { chars, origin };
}

/** Every occurrence of every forbidden phrase, in text order. */
export function findPhrases(text: string, rules: readonly PhraseRule[]): PhraseHit[] {
  const { chars, origin } = normalise(text);
  const hits: PhraseHit[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const needle = normalise(rule.phrase).chars;
    if (!needle || seen.has(needle)) continue;
    seen.add(needle);
    for (
      let at = chars.indexOf(needle);
      at !== -1;
      at = chars.indexOf(needle, at + needle.length)
    ) {
      const start = origin[at]!;
      const end = origin[at + needle.length - 1]! + 1;
      hits.push({
        phrase: rule.phrase,
        suggestion: rule.suggestion ?? '',
        articleId: rule.articleId ?? null,
        start,
        end,
        match: text.slice(start, end),
      });
    }
  }
  return hits.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Required phrases that do not occur in the text. */
export function missingPhrases(text: string, rules: readonly PhraseRule[]): PhraseRule[] {
  const { chars } = normalise(text);
  return rules.filter((r) => {
    const needle = normalise(r.phrase).chars;
    return needle !== '' && !chars.includes(needle);
  });
}

/**
 * Greeting and closing wordings agents really use, beyond the scripts' own required phrases.
 * Chinese ones are matched like phrases (case, whitespace and punctuation ignored); Latin ones as
 * whole words, so "hi" does not match inside "this".
 */
export const GREETING_VARIANTS: readonly string[] = [
  '您好',
  '你好',
  '您早',
  '早上好',
  '上午好',
  '中午好',
  '下午好',
  '晚上好',
  '尊敬的',
  '亲爱的',
  '很高兴为您服务',
  '欢迎咨询',
  '感谢您的来信',
  '感谢您联系',
  '感谢您的咨询',
  '感谢您的反馈',
];
export const CLOSING_VARIANTS: readonly string[] = [
  '谢谢',
  '感谢',
  '多谢',
  '祝您',
  '祝你',
  '还有什么可以帮',
  '还有其他问题',
  '如有其他问题',
  '如有疑问',
  '如有任何问题',
  '有任何问题',
  '随时联系',
  '随时与我们联系',
  '欢迎随时',
  '期待您',
  '再见',
  '辛苦了',
  '给您带来不便',
  '敬请谅解',
  '请您谅解',
  '此致',
  '敬礼',
];
const LATIN_GREETING =
  /\b(hi|hello|hey|dear|greetings|good\s+(morning|afternoon|evening)|thank(s|\s+you)\s+for\s+(contacting|reaching|writing|your\s+(message|email|patience)))\b/iu;
const LATIN_CLOSING =
  /\b(thanks|thank\s+you|regards|best\s+wishes|sincerely|cheers|let\s+(us|me)\s+know|happy\s+to\s+help|have\s+a\s+(nice|good|great)\s+(day|weekend|evening)|feel\s+free|sorry\s+for\s+the\s+inconvenience|apologi[sz]e)\b/iu;

export interface Courtesy {
  greeting: boolean;
  closing: boolean;
  /** Some required phrase of a script occurs in the text. */
  scripted: boolean;
}

/** Whether the reply greets, closes politely, or uses a script's required phrase. */
export function courtesyOf(text: string, required: readonly PhraseRule[]): Courtesy {
  const { chars } = normalise(text);
  const has = (phrases: readonly string[]) =>
    phrases.some((p) => {
      const needle = normalise(p).chars;
      return needle !== '' && chars.includes(needle);
    });
  return {
    greeting: has(GREETING_VARIANTS) || LATIN_GREETING.test(text),
    closing: has(CLOSING_VARIANTS) || LATIN_CLOSING.test(text),
    scripted: has(required.map((r) => r.phrase)),
  };
}

/**
 * The courtesy warning: a reply is polite when it greets, closes politely or uses any of the
 * scripts' required phrases; only an impolite reply lists the required phrases (as suggestions).
 * Every required phrase in every reply is not what the manual asks (请稍等 has no place in a
 * final answer), and warning on every reply taught agents to ignore the warning.
 */
export function courtesyMissing(text: string, required: readonly PhraseRule[]): PhraseRule[] {
  const c = courtesyOf(text, required);
  if (c.greeting || c.closing || c.scripted) return [];
  return missingPhrases(text, required);
}

/** The examples SPEC chapter 5 gives, with the wording agents should use instead. */
export const SPEC_FORBIDDEN_PHRASES: readonly { phrase: string; suggestion: string }[] = [
  { phrase: '这不是我的职责', suggestion: '我来帮您联系负责的同事，并跟进到底' },
  { phrase: '你自己看说明', suggestion: '我一步一步为您说明操作方法' },
  { phrase: '我不知道', suggestion: '我帮您确认一下，稍后给您准确答复' },
  { phrase: '我也没办法', suggestion: '我们一起看看还有哪些解决办法' },
  { phrase: '这是公司规定', suggestion: '根据我们的服务政策，具体是这样的' },
  { phrase: '你听我说', suggestion: '请允许我为您解释一下' },
  { phrase: '我已经说过了', suggestion: '我再为您完整说明一次' },
  { phrase: '找别人去', suggestion: '我为您转接到专门负责的同事' },
];

export const SPEC_REQUIRED_PHRASES: readonly { phrase: string }[] = [
  { phrase: '您好' },
  { phrase: '请问' },
  { phrase: '感谢您的耐心' },
  { phrase: '请稍等' },
  { phrase: '还有什么可以帮您' },
];
