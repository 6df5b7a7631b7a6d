import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import {
  useAnswerSurvey,
  useOptOut,
  usePublicSurvey,
  type SurveyAnswers,
  type SurveyQuestion,
} from '../../api/surveys';
import { useFormatDateTime } from '../../lib/format';
import { Icon } from '../../public/Icon';
import { Alert, Button, Result, Skeleton } from '../../public/ui';
import { PortalLayout } from '../portal/PortalLayout';

type Done = 'thanks' | 'optedOut';

/**
 * `/survey/:token` — the customer's satisfaction survey: no sign-in, phone first, Chinese first.
 * One answer per link; a used or expired link says so plainly; "no more surveys" opts out.
 * Plain elements, no antd (a customer's first visit, issue 10): questions are native radio
 * groups and a range input, so keyboards and screen readers work without scripts of our own.
 */
export function SurveyPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const [search] = useSearchParams();
  const survey = usePublicSurvey(token);
  const answer = useAnswerSurvey(token);
  const optOut = useOptOut(token);
  const formatDate = useFormatDateTime();
  const [values, setValues] = useState<SurveyAnswers>({});
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [done, setDone] = useState<Done | null>(null);
  const [askOptOut, setAskOptOut] = useState(search.get('optOut') === '1');
  const title = t('surveys.public.title');
  const en = i18n.language === 'en-US';

  const frame = (children: React.ReactNode) => (
    <PortalLayout title={title}>{children}</PortalLayout>
  );

  if (done)
    return frame(
      <Result
        status="success"
        title={t(done === 'thanks' ? 'surveys.public.thanksTitle' : 'surveys.public.optedOutTitle')}
        subTitle={t(
          done === 'thanks' ? 'surveys.public.thanksText' : 'surveys.public.optedOutText',
        )}
        testId={done === 'thanks' ? 'survey-thanks' : 'survey-opted-out'}
      />,
    );
  if (survey.isPending) return frame(<Skeleton />);
  if (survey.isError) {
    const invalid = isApiError(survey.error) && [400, 404].includes(survey.error.status);
    return frame(
      <Result
        status="warning"
        title={t(invalid ? 'surveys.public.invalidTitle' : 'errors.loadFailed')}
        subTitle={t(invalid ? 'surveys.public.invalidText' : 'errors.generic')}
        testId="survey-invalid"
      />,
    );
  }
  const s = survey.data;
  const sendOptOut = () =>
    optOut.mutate(undefined, {
      onSuccess: () => setDone('optedOut'),
      onError: () => setAskOptOut(false),
    });
  const optOutBlock = askOptOut ? (
    <div className="kp-survey-optout" data-testid="survey-opt-out-confirm">
      <p>{t('surveys.public.optOutQuestion')}</p>
      <div className="kp-actions">
        <Button
          danger
          busy={optOut.isPending}
          onClick={sendOptOut}
          data-testid="survey-opt-out-yes"
        >
          {t('surveys.public.optOutYes')}
        </Button>
        <Button onClick={() => setAskOptOut(false)}>{t('common.cancel')}</Button>
      </div>
    </div>
  ) : s.optedOut ? (
    <p className="kp-secondary">{t('surveys.public.alreadyOptedOut')}</p>
  ) : (
    <Button
      variant="link"
      className="kp-btn-inline"
      onClick={() => setAskOptOut(true)}
      data-testid="survey-opt-out"
    >
      {t('surveys.public.optOut')}
    </Button>
  );

  if (s.state !== 'open')
    return frame(
      <div className="kp-survey">
        <Result
          status={s.state === 'answered' ? 'success' : 'warning'}
          title={t(`surveys.public.state.${s.state}`)}
          subTitle={t(`surveys.public.stateText.${s.state}`)}
          testId="survey-spent"
        />
        {optOutBlock}
      </div>,
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const gaps = s.questions.filter((q) => values[q.key] === undefined).map((q) => q.key);
    setMissing(gaps);
    if (gaps.length) {
      document.getElementById(`survey-q-${gaps[0]}`)?.querySelector('input')?.focus();
      return;
    }
    answer.mutate(
      { answers: values, comment: comment.trim() || undefined },
      {
        onSuccess: () => setDone('thanks'),
        // Answered or expired meanwhile: show the link's state.
        onError: (error) => {
          if (isApiError(error) && [409, 410].includes(error.status)) void survey.refetch();
        },
      },
    );
  };
  const set = (key: string, value: boolean | number) => {
    setValues((v) => ({ ...v, [key]: value }));
    setMissing((m) => m.filter((k) => k !== key));
  };

  return frame(
    <form className="kp-survey" onSubmit={submit} noValidate data-testid="survey-form">
      <p data-testid="survey-about">
        {s.kind === 'ticket'
          ? t('surveys.public.aboutTicket', { number: s.ticketNumber, subject: s.ticketSubject })
          : t('surveys.public.aboutCampaign', { month: s.month })}
      </p>
      {s.questions.map((q, i) => (
        <QuestionInput
          key={q.key}
          index={i + 1}
          question={q}
          text={en ? q.en : q.zh}
          value={values[q.key]}
          onChange={(v) => set(q.key, v)}
          missing={missing.includes(q.key)}
        />
      ))}
      {s.allowComment && (
        <div className="kp-field">
          <label htmlFor="kp-survey-comment">
            <strong>{t('surveys.public.comment')}</strong>
          </label>
          <textarea
            id="kp-survey-comment"
            className="kp-input"
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={2000}
            placeholder={t('surveys.public.commentPlaceholder')}
            data-testid="survey-comment"
          />
        </div>
      )}
      <Button
        type="submit"
        variant="primary"
        large
        className="kp-btn-block"
        busy={answer.isPending}
        data-testid="survey-submit"
      >
        {t('surveys.public.submit')}
      </Button>
      {answer.isError &&
        !(isApiError(answer.error) && [409, 410].includes(answer.error.status)) && (
          <Alert type="error">{t('errors.generic')}</Alert>
        )}
      <p className="kp-secondary kp-small">
        {t('surveys.public.validUntil', { at: formatDate(s.expiresAt) })}
      </p>
      {optOutBlock}
    </form>,
  );
}

function QuestionInput({
  index,
  question,
  text,
  value,
  onChange,
  missing,
}: {
  index: number;
  question: SurveyQuestion;
  text: string;
  value: boolean | number | undefined;
  onChange: (v: boolean | number) => void;
  missing: boolean;
}) {
  const { t } = useTranslation();
  const testId = `survey-q-${question.key}`;
  const name = `kp-survey-${question.key}`;
  const errorId = `${testId}-error`;
  return (
    <fieldset
      id={testId}
      className="kp-survey-question"
      data-testid={testId}
      aria-invalid={missing || undefined}
      aria-describedby={missing ? errorId : undefined}
    >
      <legend>
        {index}. {text}
      </legend>
      {question.type === 'solved' && (
        <div className="kp-choice">
          {([true, false] as const).map((v) => (
            <label key={String(v)} data-testid={`${testId}-${v ? 'yes' : 'no'}`}>
              <input type="radio" name={name} checked={value === v} onChange={() => onChange(v)} />
              <span>{t(v ? 'surveys.public.yes' : 'surveys.public.no')}</span>
            </label>
          ))}
        </div>
      )}
      {question.type === 'rating5' && (
        <div className="kp-stars-row">
          <div className="kp-stars">
            {[1, 2, 3, 4, 5].map((n) => (
              <label
                key={n}
                className={typeof value === 'number' && n <= value ? 'kp-star-on' : undefined}
                data-testid={`${testId}-star-${n}`}
              >
                <input
                  type="radio"
                  name={name}
                  className="kp-visually-hidden"
                  checked={value === n}
                  onChange={() => onChange(n)}
                  aria-label={`${n} · ${t(`surveys.public.rating.${n}`)}`}
                />
                <Icon name="star" />
              </label>
            ))}
          </div>
          {typeof value === 'number' && (
            <span className="kp-secondary">{t(`surveys.public.rating.${value}`)}</span>
          )}
        </div>
      )}
      {question.type === 'score100' && (
        <div className="kp-score">
          <div className="kp-score-track">
            <input
              type="range"
              min={0}
              max={100}
              step={1}
              value={typeof value === 'number' ? value : 80}
              onChange={(e) => onChange(Number(e.target.value))}
              aria-label={text}
              data-testid={`${testId}-range`}
            />
            <div className="kp-score-marks" aria-hidden="true">
              <span style={{ left: '0%' }}>0</span>
              <span style={{ left: '60%' }}>60</span>
              <span style={{ left: '100%' }}>100</span>
            </div>
          </div>
          <strong className="kp-score-value">{typeof value === 'number' ? value : '–'}</strong>
        </div>
      )}
      {missing && (
        <div id={errorId} className="kp-field-error" role="alert" data-testid={`${testId}-missing`}>
          {t('surveys.public.required')}
        </div>
      )}
    </fieldset>
  );
}
