import { Card, Col, Divider, Flex, Row, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { useTicket, useTimeline } from '../../../api/tickets';
import { usePageTitle } from '../../../lib/usePageTitle';
import { NotFound } from '../../errors/NotFound';
import { QueryError } from '../../errors/QueryError';
import { AssignCard } from './AssignCard';
import { FollowUpCard, ReturnVisitCard } from './ClosedLoopCard';
import { HandlingPlanCard } from './HandlingPlanCard';
import { CustomerPanel } from './CustomerPanel';
import { CallRecords } from '../../calls/CallRecords';
import { RelatedTickets } from './RelatedTickets';
import { SlaCard } from './SlaCard';
import { TicketSurveyCard } from '../../surveys/TicketSurveyCard';
import { ReplyBox } from './ReplyBox';
import { TicketHeader } from './TicketHeader';
import { TicketNotices } from './TicketNotices';
import { TicketTimeline } from './TicketTimeline';
import { useMailDeliveries } from '../../../api/mailOutbound';
import { TicketAttachmentsCard } from '../../attachments/TicketAttachmentsCard';

/** One ticket: header and actions, timeline and reply box; people and context on the side. */
export function TicketPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const can = useAbilities();
  const ticket = useTicket(id);
  const timeline = useTimeline(id);
  const deliveries = useMailDeliveries(
    ticket.data?.channel === 'email' || timeline.data?.some((e) => e.data?.via === 'email')
      ? id
      : undefined,
    timeline.data?.length,
  );
  usePageTitle(ticket.data ? `${ticket.data.number} ${ticket.data.subject}` : t('tickets.title'));

  if (ticket.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (ticket.isError) {
    if (isApiError(ticket.error) && [400, 404].includes(ticket.error.status)) return <NotFound />;
    return <QueryError error={ticket.error} onRetry={() => void ticket.refetch()} />;
  }

  const data = ticket.data;
  // Archived tickets are read-only; each action also needs its ability (QA inspectors only read).
  const may = (ability: string) => data.status !== 'archived' && can(ability);
  const isComplaint = data.category === 'complaint';

  return (
    <Flex vertical gap={16}>
      <TicketHeader ticket={data} editable={may('tickets.update')} />
      <TicketNotices ticket={data} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card data-testid="ticket-main">
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('tickets.fields.description')}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="description">
              {data.description}
            </Typography.Paragraph>
            <Divider />
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('tickets.timeline.title')}
            </Typography.Title>
            {timeline.isError && (
              <QueryError error={timeline.error} onRetry={() => void timeline.refetch()} />
            )}
            {timeline.isPending ? (
              <Skeleton active />
            ) : (
              <TicketTimeline entries={timeline.data ?? []} deliveries={deliveries.data} />
            )}
            {may('tickets.reply') && (
              <>
                <Divider />
                <ReplyBox ticket={data} />
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Flex vertical gap={16}>
            <SlaCard ticketId={data.id} />
            {(isComplaint || data.tier === 'L3') && (
              <HandlingPlanCard
                ticket={data}
                editable={may('tickets.handlingPlan')}
                canListUsers={can('users.list')}
              />
            )}
            <TicketAttachmentsCard ticketId={data.id} />
            {may('tickets.assign') && (
              // A closed ticket is reassigned only after reopening it (409 ticket_closed).
              <AssignCard ticket={data} editable={data.status !== 'closed'} />
            )}
            {(isComplaint || data.returnVisit) && (
              <ReturnVisitCard ticket={data} editable={may('tickets.returnVisit')} />
            )}
            <FollowUpCard ticket={data} editable={may('tickets.followUp')} />
            <TicketSurveyCard ticketId={data.id} />
            <CustomerPanel ticket={data} />
            <CallRecords ticketId={data.id} customerId={data.customer.id} />
            <RelatedTickets ticket={data} editable={may('tickets.link')} />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
