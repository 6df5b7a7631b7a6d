import { useState } from 'react';
import { Button, Flex, Input, Radio, Rate, Result, Skeleton, Slider, Typography } from 'antd';
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
import { PortalLayout } from '../portal/PortalLayout';

type Done = 'thanks' | 'optedOut';

/**
 * `/survey/:token` — the customer's satisfaction survey: no sign-in, phone first, Chinese first.
 * One answer per link; a used or expired link says so plainly; "no more surveys" opts out.
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
        data-testid={done === 'thanks' ? 'survey-thanks' : 'survey-opted-out'}
      />,
    );
  if (survey.isPending) return frame(<Skeleton active />);
  if (survey.isError) {
    const invalid = isApiError(survey.error) && [400, 404].includes(survey.error.status);
    return frame(
      <Result
        status="warning"
        title={t(invalid ? 'surveys.public.invalidTitle' : 'errors.loadFailed')}
        subTitle={t(invalid ? 'surveys.public.invalidText' : 'errors.generic')}
        data-testid="survey-invalid"
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
    <Flex vertical gap={8} data-testid="survey-opt-out-confirm">
      <Typography.Text>{t('surveys.public.optOutQuestion')}</Typography.Text>
      <Flex gap={8} wrap>
        <Button
          danger
          loading={optOut.isPending}
          onClick={sendOptOut}
          data-testid="survey-opt-out-yes"
        >
          {t('surveys.public.optOutYes')}
        </Button>
        <Button onClick={() => setAskOptOut(false)}>{t('common.cancel')}</Button>
      </Flex>
    </Flex>
  ) : s.optedOut ? (
    <Typography.Text type="secondary">{t('surveys.public.alreadyOptedOut')}</Typography.Text>
  ) : (
    <Button
      type="link"
      size="small"
      style={{ padding: 0 }}
      onClick={() => setAskOptOut(true)}
      data-testid="survey-opt-out"
    >
      {t('surveys.public.optOut')}
    </Button>
  );

  if (s.state !== 'open')
    return frame(
      <Flex vertical gap={16}>
        <Result
          status={s.state === 'answered' ? 'success' : 'warning'}
          title={t(`surveys.public.state.${s.state}`)}
          subTitle={t(`surveys.public.stateText.${s.state}`)}
          data-testid="survey-spent"
        />
        {optOutBlock}
      </Flex>,
    );

  const submit = () => {
    const gaps = s.questions.filter((q) => values[q.key] === undefined).map((q) => q.key);
    setMissing(gaps);
    if (gaps.length) return;
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
    <Flex vertical gap={20} data-testid="survey-form">
      <Typography.Paragraph style={{ margin: 0 }} data-testid="survey-about">
        {s.kind === 'ticket'
          ? t('surveys.public.aboutTicket', { number: s.ticketNumber, subject: s.ticketSubject })
          : t('surveys.public.aboutCampaign', { month: s.month })}
      </Typography.Paragraph>
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
        <Flex vertical gap={6}>
          <Typography.Text strong>{t('surveys.public.comment')}</Typography.Text>
          <Input.TextArea
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={2000}
            placeholder={t('surveys.public.commentPlaceholder')}
            data-testid="survey-comment"
          />
        </Flex>
      )}
      <Button
        type="primary"
        size="large"
        block
        loading={answer.isPending}
        onClick={submit}
        data-testid="survey-submit"
      >
        {t('surveys.public.submit')}
      </Button>
      {answer.isError &&
        !(isApiError(answer.error) && [409, 410].includes(answer.error.status)) && (
          <Typography.Text type="danger">{t('errors.generic')}</Typography.Text>
        )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('surveys.public.validUntil', { at: formatDate(s.expiresAt) })}
      </Typography.Text>
      {optOutBlock}
    </Flex>,
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
  return (
    <Flex vertical gap={8} data-testid={testId}>
      <Typography.Text strong>
        {index}. {text}
      </Typography.Text>
      {question.type === 'solved' && (
        <Radio.Group
          value={value}
          onChange={(e) => onChange(e.target.value as boolean)}
          optionType="button"
          buttonStyle="solid"
          size="large"
          style={{ display: 'flex' }}
        >
          <Radio.Button value={true} style={{ flex: 1, textAlign: 'center' }}>
            <span data-testid={`${testId}-yes`}>{t('surveys.public.yes')}</span>
          </Radio.Button>
          <Radio.Button value={false} style={{ flex: 1, textAlign: 'center' }}>
            <span data-testid={`${testId}-no`}>{t('surveys.public.no')}</span>
          </Radio.Button>
        </Radio.Group>
      )}
      {question.type === 'rating5' && (
        <Flex align="center" gap={12} wrap>
          <Rate
            value={typeof value === 'number' ? value : 0}
            onChange={(v) => v > 0 && onChange(v)}
            style={{ fontSize: 34 }}
            aria-label={text}
          />
          {typeof value === 'number' && (
            <Typography.Text type="secondary">
              {t(`surveys.public.rating.${value}`)}
            </Typography.Text>
          )}
        </Flex>
      )}
      {question.type === 'score100' && (
        <Flex align="center" gap={12}>
          <Slider
            style={{ flex: 1 }}
            min={0}
            max={100}
            value={typeof value === 'number' ? value : 80}
            onChange={(v) => onChange(v)}
            marks={{ 0: '0', 60: '60', 100: '100' }}
          />
          <Typography.Text strong style={{ width: 36, textAlign: 'right' }}>
            {typeof value === 'number' ? value : '–'}
          </Typography.Text>
        </Flex>
      )}
      {missing && (
        <Typography.Text type="danger" data-testid={`${testId}-missing`}>
          {t('surveys.public.required')}
        </Typography.Text>
      )}
    </Flex>
  );
}
