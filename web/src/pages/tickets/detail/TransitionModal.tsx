import { Alert, Checkbox, DatePicker, Form, Input, Modal, Radio } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useTransition, type TransitionInput, type TransitionResult } from '../../../api/tickets';
import type { Ticket, TicketStatus } from '../../../api/ticketTypes';
import { useTicketErrorHandler } from './useTicketErrors';

interface Values {
  closeAs?: 'confirmed' | 'unresolved';
  reason?: string;
  /** The reason is an internal note unless the agent ticks this. */
  reasonVisibleToCustomer?: boolean;
  /** Named like the API fields, so the server's field errors land on them. */
  followUp?: { plan?: string; dueAt?: Dayjs };
}

/** Transitions that need words from the agent; the others happen on a click. */
export const NEEDS_DIALOG: ReadonlySet<TicketStatus> = new Set([
  'resolved',
  'closed',
  'reopened',
  'pending_customer',
  'pending_internal',
]);

interface Props {
  ticket: Ticket;
  to: TicketStatus | null;
  onClose: () => void;
  onDone: (result: TransitionResult) => void;
}

/**
 * Asks what a transition needs: a reason to reopen; for closing, either the customer's
 * confirmation (from `resolved`) or a reason with a follow-up plan and date (closing unresolved).
 */
export function TransitionModal({ ticket, to, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const transition = useTransition();
  const onError = useTicketErrorHandler();
  const closeAs = Form.useWatch('closeAs', form);
  const closing = to === 'closed';
  const canConfirm = closing && ticket.status === 'resolved';
  const unresolved = closing && (!canConfirm || closeAs === 'unresolved');
  const reasonRequired = to === 'reopened' || unresolved;

  const submit = (values: Values) => {
    if (!to) return;
    const reason = values.reason?.trim() || undefined;
    const input: TransitionInput = {
      to,
      reason,
      ...(reason && values.reasonVisibleToCustomer && { reasonVisibleToCustomer: true }),
    };
    const followUp = values.followUp;
    if (unresolved && followUp?.dueAt) {
      input.followUp = { plan: followUp.plan?.trim() ?? '', dueAt: followUp.dueAt.toISOString() };
    } else if (closing && !ticket.confirmedAt) {
      // The agent records that the customer acknowledged the solution (e.g. on the phone).
      input.customerConfirmed = true;
    }
    transition.mutate(
      { ticket, ...input },
      {
        onSuccess: (result) => {
          onClose();
          onDone(result);
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Modal
      title={to ? t(`tickets.actions.${to}`) : ''}
      open={to !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={to ? t(`tickets.actions.${to}`) : ''}
      cancelText={t('common.cancel')}
      confirmLoading={transition.isPending}
      destroyOnHidden
      data-testid="transition-modal"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ closeAs: 'confirmed' }}
        preserve={false}
      >
        {to === 'resolved' && (
          <Alert
            type="info"
            showIcon
            title={t('tickets.transition.resolveHint')}
            style={{ marginBottom: 16 }}
          />
        )}
        {canConfirm && (
          <Form.Item name="closeAs" label={t('tickets.transition.closeAs')}>
            <Radio.Group
              options={[
                {
                  value: 'confirmed',
                  label: t(
                    ticket.confirmedAt
                      ? 'tickets.transition.closeConfirmedByLink'
                      : 'tickets.transition.closeConfirmed',
                  ),
                },
                { value: 'unresolved', label: t('tickets.transition.closeUnresolved') },
              ]}
            />
          </Form.Item>
        )}
        {unresolved && (
          <Alert
            type="warning"
            showIcon
            title={t('tickets.transition.unresolvedHint')}
            style={{ marginBottom: 16 }}
          />
        )}
        {(!closing || unresolved) && (
          <Form.Item
            name="reason"
            label={t(
              to === 'resolved' ? 'tickets.transition.resolution' : 'tickets.transition.reason',
            )}
            rules={
              reasonRequired
                ? [{ required: true, whitespace: true, message: t('validation.required') }]
                : []
            }
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="transition-reason" />
          </Form.Item>
        )}
        {(!closing || unresolved) && (
          <Form.Item
            name="reasonVisibleToCustomer"
            valuePropName="checked"
            extra={t('tickets.transition.reasonInternalHint')}
          >
            <Checkbox data-testid="transition-reason-visible">
              {t('tickets.transition.reasonVisibleToCustomer')}
            </Checkbox>
          </Form.Item>
        )}
        {unresolved && (
          <>
            <Form.Item
              name={['followUp', 'plan']}
              label={t('tickets.transition.followUpPlan')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="follow-up-plan" />
            </Form.Item>
            <Form.Item
              name={['followUp', 'dueAt']}
              label={t('tickets.transition.followUpDue')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                style={{ width: '100%' }}
                data-testid="follow-up-due"
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
