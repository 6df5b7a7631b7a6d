import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useAssign, useAssignableUsers, useChangeOwner } from '../../../api/tickets';
import type { Ticket } from '../../../api/ticketTypes';
import { AssigneeSelects, type AssigneeValues } from '../components/AssigneeSelects';
import { useTicketErrorHandler } from './useTicketErrors';

/**
 * Hand work to a team and handler (首问负责制: the owner stays). Supervisors may also change
 * the owner, with a reason.
 */
export function AssignCard({ ticket, editable }: { ticket: Ticket; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const [form] = Form.useForm<AssigneeValues>();
  const assign = useAssign();
  const onError = useTicketErrorHandler();
  const [changingOwner, setChangingOwner] = useState(false);

  const submit = (values: AssigneeValues) => {
    assign.mutate(
      { ticket, teamId: values.teamId ?? null, handlerId: values.handlerId ?? null },
      {
        onSuccess: () => void message.success(t('tickets.assign.saved')),
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Card size="small" title={t('tickets.assign.title')} data-testid="assign-card">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('tickets.assign.ownerStays', { owner: ticket.owner.name })}
      </Typography.Paragraph>
      <Form<AssigneeValues>
        key={`${ticket.id}:${ticket.version}`}
        form={form}
        layout="vertical"
        disabled={!editable || assign.isPending}
        initialValues={{ teamId: ticket.team?.id, handlerId: ticket.handler?.id }}
        onFinish={submit}
      >
        <AssigneeSelects form={form} current={{ team: ticket.team, handler: ticket.handler }} />
        <Flex justify="space-between">
          {can('tickets.changeOwner') ? (
            <Button type="link" onClick={() => setChangingOwner(true)} style={{ padding: 0 }}>
              {t('tickets.owner.change')}
            </Button>
          ) : (
            <span />
          )}
          <Button
            type="primary"
            htmlType="submit"
            loading={assign.isPending}
            data-testid="assign-submit"
          >
            {t('tickets.assign.submit')}
          </Button>
        </Flex>
      </Form>
      <OwnerModal ticket={ticket} open={changingOwner} onClose={() => setChangingOwner(false)} />
    </Card>
  );
}

function OwnerModal({
  ticket,
  open,
  onClose,
}: {
  ticket: Ticket;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ ownerId: string; reason: string }>();
  const users = useAssignableUsers(open);
  const change = useChangeOwner();
  const onError = useTicketErrorHandler();

  return (
    <Modal
      title={t('tickets.owner.change')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={change.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('tickets.owner.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) =>
          change.mutate(
            { ticket, ownerId: values.ownerId, reason: values.reason.trim() },
            {
              onSuccess: () => {
                void message.success(t('tickets.owner.saved'));
                onClose();
              },
              onError: (error) => onError(error, form),
            },
          )
        }
      >
        <Form.Item
          name="ownerId"
          label={t('tickets.fields.owner')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={users.isFetching}
            options={(users.data ?? [])
              .filter((u) => u.id !== ticket.owner.id)
              .map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('tickets.transition.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
