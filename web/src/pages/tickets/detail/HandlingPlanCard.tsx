import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../api/auth';
import {
  useHandlingPlans,
  useSaveHandlingPlan,
  type HandlingPlan,
} from '../../../api/handlingPlans';
import { useAssignableUsers } from '../../../api/tickets';
import type { Ticket } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketErrorHandler } from './useTicketErrors';

interface Values {
  body: string;
  ownerId: string;
  dueAt: Dayjs;
  public: boolean;
}

/**
 * The handling plan (处理方案) of a complaint or an L3 ticket: what will be done, who does it,
 * by when, shared with the customer or not. Recording it meets the "handling plan" time limits.
 */
export function HandlingPlanCard({
  ticket,
  editable,
  canListUsers,
}: {
  ticket: Ticket;
  editable: boolean;
  canListUsers: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatDate = useFormatDateTime();
  const plans = useHandlingPlans(ticket.id);
  const save = useSaveHandlingPlan(ticket.id);
  const me = useMe().data?.user;
  const users = useAssignableUsers(editable && canListUsers);
  const onError = useTicketErrorHandler();
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState<HandlingPlan | 'new' | null>(null);
  const finished = ticket.status === 'closed' || ticket.status === 'archived';

  const owners = new Map<string, string>();
  if (me) owners.set(me.id, me.name);
  if (ticket.handler) owners.set(ticket.handler.id, ticket.handler.name);
  owners.set(ticket.owner.id, ticket.owner.name);
  for (const u of users.data ?? []) owners.set(u.id, u.name);
  if (editing && editing !== 'new') owners.set(editing.owner.id, editing.owner.name);

  const open = (plan: HandlingPlan | 'new') => {
    setEditing(plan);
    form.setFieldsValue(
      plan === 'new'
        ? { body: '', ownerId: me?.id, dueAt: dayjs().add(1, 'day'), public: false }
        : {
            body: plan.body,
            ownerId: plan.owner.id,
            dueAt: dayjs(plan.dueAt),
            public: plan.public,
          },
    );
  };

  const submit = (values: Values) => {
    const plan = editing && editing !== 'new' ? editing : null;
    save.mutate(
      {
        body: values.body.trim(),
        ownerId: values.ownerId,
        dueAt: values.dueAt.toISOString(),
        public: values.public,
        ...(plan && { planId: plan.id, revision: plan.revision }),
      },
      {
        onSuccess: () => {
          void message.success(t('sla.plan.saved'));
          setEditing(null);
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Card
      size="small"
      title={t('sla.plan.title')}
      loading={plans.isPending}
      data-testid="handling-plan-card"
      extra={
        editable &&
        !finished && (
          <Button size="small" onClick={() => open('new')} data-testid="handling-plan-add">
            {t('sla.plan.add')}
          </Button>
        )
      }
    >
      {(plans.data ?? []).length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sla.plan.none')} />
      ) : (
        <Flex vertical gap={12}>
          {(plans.data ?? []).map((p) => (
            <Flex vertical key={p.id} gap={2} data-testid="handling-plan">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {p.body}
              </Typography.Paragraph>
              <Flex justify="space-between" align="center" wrap gap={4}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('sla.plan.who', { name: p.owner.name })} ·{' '}
                  {t('sla.plan.byWhen', { time: formatDate(p.dueAt) })}
                </Typography.Text>
                <Flex gap={4} align="center">
                  {p.public ? (
                    <Tag color="blue" icon={<EyeOutlined />} data-testid="handling-plan-public">
                      {t('sla.plan.public')}
                    </Tag>
                  ) : (
                    <Tag color="gold" icon={<LockOutlined />}>
                      {t('sla.plan.internal')}
                    </Tag>
                  )}
                  {editable && !finished && (
                    <Button
                      size="small"
                      type="link"
                      onClick={() => open(p)}
                      data-testid="handling-plan-edit"
                    >
                      {t('sla.plan.edit')}
                    </Button>
                  )}
                </Flex>
              </Flex>
            </Flex>
          ))}
        </Flex>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('sla.plan.add') : t('sla.plan.edit')}
        okText={t('sla.plan.save')}
        confirmLoading={save.isPending}
        okButtonProps={{ 'data-testid': 'handling-plan-save' }}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit} data-testid="handling-plan-form">
          <Form.Item
            name="body"
            label={t('sla.plan.what')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 8 }}
              data-testid="handling-plan-body"
            />
          </Form.Item>
          <Form.Item
            name="ownerId"
            label={t('sla.plan.owner')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={[...owners].map(([value, label]) => ({ value, label }))}
              data-testid="handling-plan-owner"
            />
          </Form.Item>
          <Form.Item
            name="dueAt"
            label={t('sla.plan.dueAt')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            name="public"
            label={t('sla.plan.shareWithCustomer')}
            valuePropName="checked"
            extra={t('sla.plan.shareHelp')}
          >
            <Switch data-testid="handling-plan-public-switch" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
