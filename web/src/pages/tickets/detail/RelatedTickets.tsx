import { useState } from 'react';
import { App, Button, Card, Empty, Input, List, Popconfirm, Space, Typography } from 'antd';
import { LinkOutlined, MergeCellsOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { Link, useNavigate } from 'react-router';
import {
  findTicketByNumber,
  useLinkTicket,
  useMergeTicket,
  useTicketLinks,
} from '../../../api/tickets';
import type { Ticket } from '../../../api/ticketTypes';
import { StatusTag } from '../components/TicketTags';
import { useTicketErrorHandler } from './useTicketErrors';

/** Linked tickets, and linking / merging by ticket number. */
export function RelatedTickets({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const canMerge = useAbilities()('tickets.merge');
  const links = useTicketLinks(ticket.id);
  const link = useLinkTicket();
  const merge = useMergeTicket();
  const onError = useTicketErrorHandler();
  const [number, setNumber] = useState('');
  const [finding, setFinding] = useState(false);

  /** Resolves the typed number to a ticket, or says it was not found. */
  const target = async (): Promise<Ticket | undefined> => {
    setFinding(true);
    try {
      const found = await findTicketByNumber(number);
      if (!found || found.id === ticket.id) {
        void message.error(t('tickets.related.notFound', { number: number.trim() }));
        return undefined;
      }
      return found;
    } catch (error) {
      onError(error);
      return undefined;
    } finally {
      setFinding(false);
    }
  };

  const doLink = async () => {
    const other = await target();
    if (!other) return;
    link.mutate(
      { ticket, otherId: other.id },
      {
        onSuccess: () => {
          setNumber('');
          void message.success(t('tickets.related.linked', { number: other.number }));
        },
        onError: (error) => onError(error),
      },
    );
  };

  const doMerge = async () => {
    const into = await target();
    if (!into) return;
    merge.mutate(
      { ticket, intoId: into.id },
      {
        onSuccess: () => {
          void message.success(t('tickets.related.merged', { number: into.number }));
          void navigate(`/tickets/${into.id}`);
        },
        onError: (error) => onError(error),
      },
    );
  };

  const busy = finding || link.isPending || merge.isPending;
  const rows = links.data ?? [];

  return (
    <Card size="small" title={t('tickets.related.title')} data-testid="related-tickets">
      {rows.length === 0 && !links.isPending ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tickets.related.none')} />
      ) : (
        <List<Ticket>
          size="small"
          loading={links.isPending}
          dataSource={rows}
          renderItem={(other) => (
            <List.Item extra={<StatusTag status={other.status} />}>
              <Space orientation="vertical" size={0}>
                <Link to={`/tickets/${other.id}`}>{other.number}</Link>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }}>
                  {other.subject}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {editable && (
        <Space.Compact style={{ width: '100%', marginTop: 12 }}>
          <Input
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            placeholder={t('tickets.related.numberPlaceholder')}
            onPressEnter={() => void doLink()}
            data-testid="related-number"
          />
          <Button
            icon={<LinkOutlined />}
            disabled={!number.trim()}
            loading={busy}
            onClick={() => void doLink()}
            title={t('tickets.related.link')}
          >
            {t('tickets.related.link')}
          </Button>
          {canMerge && (
            <Popconfirm
              title={t('tickets.related.mergeConfirm', { number: number.trim() })}
              okText={t('tickets.related.merge')}
              cancelText={t('common.cancel')}
              onConfirm={() => void doMerge()}
              disabled={!number.trim()}
            >
              <Button
                icon={<MergeCellsOutlined />}
                disabled={!number.trim() || busy}
                title={t('tickets.related.merge')}
              />
            </Popconfirm>
          )}
        </Space.Compact>
      )}
    </Card>
  );
}
