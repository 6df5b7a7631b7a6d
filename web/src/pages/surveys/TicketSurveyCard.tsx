import { Card, Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import { useTicketSurvey, type SurveyResponse } from '../../api/surveys';
import { useFormatDateTime } from '../../lib/format';

export function ScoreTag({ r }: { r: Pick<SurveyResponse, 'state' | 'score100' | 'solved'> }) {
  const { t } = useTranslation();
  if (r.state !== 'answered')
    return (
      <Tag color={r.state === 'open' ? 'processing' : 'default'}>
        {t(`surveys.state.${r.state}`)}
      </Tag>
    );
  const low = r.solved === false || (r.score100 !== null && r.score100 < 60);
  return (
    <Tag color={low ? 'error' : 'success'} data-testid="survey-score">
      {r.score100 === null ? t('surveys.noScore') : t('surveys.points', { score: r.score100 })}
    </Tag>
  );
}

/** The ticket's satisfaction survey: sent / answered, score, solved, comment (hidden if none). */
export function TicketSurveyCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const formatDate = useFormatDateTime();
  const survey = useTicketSurvey(ticketId, can('surveyResponses.list'));
  const r = survey.data;
  if (!r) return null;
  return (
    <Card
      size="small"
      title={t('surveys.card.title')}
      extra={<ScoreTag r={r} />}
      data-testid="ticket-survey-card"
    >
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'sent', label: t('surveys.fields.sentAt'), children: formatDate(r.sentAt) },
          ...(r.answeredAt
            ? [
                {
                  key: 'answered',
                  label: t('surveys.fields.answeredAt'),
                  children: formatDate(r.answeredAt),
                },
                {
                  key: 'solved',
                  label: t('surveys.fields.solved'),
                  children: r.solved === null ? '—' : t(r.solved ? 'surveys.yes' : 'surveys.no'),
                },
              ]
            : [
                {
                  key: 'reminder',
                  label: t('surveys.fields.reminder'),
                  children: r.reminderSentAt ? formatDate(r.reminderSentAt) : '—',
                },
              ]),
        ]}
      />
      {r.comment && (
        <Typography.Paragraph
          type="secondary"
          style={{ marginBottom: 0 }}
          data-testid="survey-comment-text"
        >
          “{r.comment}”
        </Typography.Paragraph>
      )}
      {r.followUpAt && <Tag color="warning">{t('surveys.card.followUp')}</Tag>}
    </Card>
  );
}
