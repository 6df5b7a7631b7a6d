import { useEffect, useState } from 'react';
import { Alert, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePhraseCheck, type PhraseCheck } from '../../../api/kb';

/** Waits until typing pauses before checking: one request per pause, not per key. */
const DEBOUNCE_MS = 600;

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The draft with every forbidden phrase found marked (offsets are UTF-16, as in JS strings). */
function Highlighted({ text, found }: { text: string; found: PhraseCheck['forbidden'] }) {
  const parts: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const f of [...found].sort((a, b) => a.start - b.start)) {
    if (f.start < at || f.end > text.length) continue;
    if (f.start > at) parts.push({ text: text.slice(at, f.start), mark: false });
    parts.push({ text: text.slice(f.start, f.end), mark: true });
    at = f.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return (
    <Typography.Paragraph
      style={{ whiteSpace: 'pre-wrap', marginBottom: 8 }}
      data-testid="phrase-warning-text"
    >
      {parts.map((p, i) =>
        p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </Typography.Paragraph>
  );
}

/**
 * Non-blocking warning under the reply box: forbidden phrases (禁用语) of the live scripts found
 * in the draft, highlighted, with the script's suggested wording; and required courtesy
 * phrases missing. Checked by the server (`POST /kb/phrase-check`) once typing pauses.
 */
export function PhraseWarning({ text }: { text: string }) {
  const { t } = useTranslation();
  const settled = useDebounced(text, DEBOUNCE_MS);
  const check = usePhraseCheck(settled);
  // Only the answer for the text on screen (a stale one would mark the wrong characters).
  if (!text.trim() || settled !== text || !check.data || check.isPlaceholderData) return null;
  const { forbidden, requiredMissing } = check.data;
  if (!forbidden.length && !requiredMissing.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="phrase-warning"
      message={t('kb.phraseWarning.title')}
      description={
        <Flex vertical gap={4}>
          {forbidden.length > 0 && (
            <>
              <Highlighted text={settled} found={forbidden} />
              {forbidden.map((f) => (
                <div key={`${f.start}-${f.phrase}`} data-testid="phrase-warning-forbidden">
                  <Typography.Text>
                    {t('kb.phraseWarning.forbidden', { phrase: f.match })}
                  </Typography.Text>
                  {f.suggestion && (
                    <Typography.Text type="success" style={{ marginLeft: 8 }}>
                      {t('kb.phraseWarning.suggestion', { suggestion: f.suggestion })}
                    </Typography.Text>
                  )}
                </div>
              ))}
            </>
          )}
          {requiredMissing.length > 0 && (
            <div data-testid="phrase-warning-missing">
              <Typography.Text>{t('kb.phraseWarning.missing')}</Typography.Text>{' '}
              {requiredMissing.map((r) => (
                <Tag key={r.phrase}>{r.phrase}</Tag>
              ))}
            </div>
          )}
        </Flex>
      }
    />
  );
}
