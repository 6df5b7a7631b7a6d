import { useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Empty, List, Modal, Skeleton, Space, Tag } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAbilities } from '../../api/auth';
import { useRegisterCall, useRingingCalls, useScreenPop } from '../../api/calls';
import { NOTIFICATION_EVENT, type Notification } from '../../api/notifications';
import { queryClient } from '../../api/queryClient';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';

/**
 * The screen pop: when a call starts ringing at me (the notification stream says
 * `call.ringing`), a dialog shows the caller's customer record and open tickets, and one click
 * registers the call as a ticket (channel phone, received at the ring time).
 */
export function CallScreenPop() {
  const can = useAbilities();
  const enabled = can('calls.read');
  const ringing = useRingingCalls(enabled);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!enabled) return;
    const on = (e: Event) => {
      const n = (e as CustomEvent<Notification>).detail;
      if (n.kind === 'call.ringing')
        void queryClient.invalidateQueries({ queryKey: ['calls', 'ringing'] });
    };
    window.addEventListener(NOTIFICATION_EVENT, on);
    return () => window.removeEventListener(NOTIFICATION_EVENT, on);
  }, [enabled]);

  const call = ringing.data?.find((c) => !dismissed.has(c.id) && !c.ticket);
  if (!enabled || !call) return null;
  return (
    <PopDialog
      callId={call.id}
      onClose={() => setDismissed((d) => new Set(d).add(call.id))}
      canRegister={can('calls.register')}
    />
  );
}

function PopDialog(props: { callId: string; onClose: () => void; canRegister: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const onError = useApiErrorHandler();
  const formatDateTime = useFormatDateTime();
  const pop = useScreenPop(props.callId);
  const register = useRegisterCall();
  const customer = pop.data?.customers[0];

  // mutateAsync: the dialog unmounts once the call shows its ticket (the ringing list is
  // refreshed on success), and per-call callbacks of `mutate` would be dropped with it.
  const registerTicket = async () => {
    try {
      const ticket = await register.mutateAsync({
        id: props.callId,
        ...(customer ? { customerId: customer.id } : {}),
      });
      void message.success(t('calls.pop.registered', { number: ticket.number }));
      props.onClose();
      void navigate(`/tickets/${ticket.id}`);
    } catch (e) {
      onError(e);
    }
  };

  return (
    <Modal
      open
      title={
        <Space>
          <PhoneOutlined />
          {t('calls.pop.title', { number: pop.data?.call.callerNumber ?? '' })}
        </Space>
      }
      onCancel={props.onClose}
      footer={[
        <Button key="close" onClick={props.onClose}>
          {t('calls.pop.dismiss')}
        </Button>,
        props.canRegister && (
          <Button
            key="register"
            type="primary"
            loading={register.isPending}
            onClick={() => void registerTicket()}
            data-testid="call-register-ticket"
          >
            {t('calls.pop.register')}
          </Button>
        ),
      ]}
    >
      <div data-testid="call-screen-pop">
        {pop.isLoading || !pop.data ? (
          <Skeleton active />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('calls.fields.ringAt')}>
                {formatDateTime(pop.data.call.ringAt)}
              </Descriptions.Item>
              {pop.data.call.queue && (
                <Descriptions.Item label={t('calls.fields.queue')}>
                  {pop.data.call.queue}
                </Descriptions.Item>
              )}
            </Descriptions>
            {customer ? (
              <div data-testid="call-pop-customer">
                <Descriptions size="small" column={1} title={t('calls.pop.customer')}>
                  <Descriptions.Item label={t('calls.pop.name')}>
                    {customer.name} <Tag>{t(`customers.tier.${customer.tier}`)}</Tag>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('calls.pop.phone')}>
                    {customer.phone ?? '—'}
                  </Descriptions.Item>
                  {customer.organisation && (
                    <Descriptions.Item label={t('calls.pop.organisation')}>
                      {customer.organisation}
                    </Descriptions.Item>
                  )}
                  {pop.data.customers.length > 1 && (
                    <Descriptions.Item label={t('calls.pop.others')}>
                      {pop.data.customers
                        .slice(1)
                        .map((c) => c.name)
                        .join('、')}
                    </Descriptions.Item>
                  )}
                </Descriptions>
              </div>
            ) : (
              <Alert type="info" showIcon message={t('calls.pop.unknownCaller')} />
            )}
            <List
              size="small"
              header={t('calls.pop.openTickets')}
              dataSource={pop.data.openTickets}
              locale={{ emptyText: <Empty description={t('calls.pop.noOpenTickets')} /> }}
              renderItem={(ticket) => (
                <List.Item
                  actions={[
                    <a key="open" href={`/tickets/${ticket.id}`}>
                      {t('calls.pop.openTicket')}
                    </a>,
                  ]}
                >
                  <Space wrap>
                    <Tag>{ticket.number}</Tag>
                    {ticket.subject}
                    <Tag color="blue">{t(`tickets.status.${ticket.status}`)}</Tag>
                  </Space>
                </List.Item>
              )}
            />
          </Space>
        )}
      </div>
    </Modal>
  );
}
