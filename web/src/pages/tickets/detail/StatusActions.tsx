import { useState } from 'react';
import { Button, Space } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useReissueConfirmation, useTransition, type TransitionResult } from '../../../api/tickets';
import type { ConfirmationLink, Ticket, TicketStatus } from '../../../api/ticketTypes';
import { ConfirmationLinkModal } from './ConfirmationLinkModal';
import { NEEDS_DIALOG, TransitionModal } from './TransitionModal';
import { useTicketErrorHandler } from './useTicketErrors';

/** The forward step gets the primary button. */
const PRIMARY: ReadonlySet<TicketStatus> = new Set(['accepted', 'in_progress', 'resolved']);

/** One button per transition the server allows this user (`allowedTransitions`). */
export function StatusActions({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<TicketStatus | null>(null);
  const [link, setLink] = useState<ConfirmationLink | null>(null);
  const transition = useTransition();
  const reissue = useReissueConfirmation();
  const onError = useTicketErrorHandler();
  const done = (result: TransitionResult) => {
    if (result.confirmation) setLink(result.confirmation);
  };
  const primary = ticket.allowedTransitions.find((to) => PRIMARY.has(to));

  const go = (to: TicketStatus) => {
    if (NEEDS_DIALOG.has(to)) {
      setDialog(to);
      return;
    }
    transition.mutate({ ticket, to }, { onSuccess: done, onError: (error) => onError(error) });
  };

  const canReissue = ticket.status === 'resolved' && ticket.allowedTransitions.length > 0;
  if (ticket.allowedTransitions.length === 0) return null;

  return (
    <>
      <Space wrap data-testid="status-actions">
        {ticket.allowedTransitions.map((to) => (
          <Button
            key={to}
            type={to === primary ? 'primary' : 'default'}
            danger={to === 'reopened'}
            loading={transition.isPending && transition.variables?.to === to}
            onClick={() => go(to)}
            data-testid={`transition-${to}`}
          >
            {t(`tickets.actions.${to}`)}
          </Button>
        ))}
        {canReissue && (
          <Button
            type="link"
            icon={<SendOutlined />}
            loading={reissue.isPending}
            onClick={() =>
              reissue.mutate(ticket, { onSuccess: setLink, onError: (error) => onError(error) })
            }
            data-testid="reissue-confirmation"
          >
            {t('tickets.confirmation.reissue')}
          </Button>
        )}
      </Space>
      <TransitionModal ticket={ticket} to={dialog} onClose={() => setDialog(null)} onDone={done} />
      <ConfirmationLinkModal link={link} onClose={() => setLink(null)} />
    </>
  );
}
