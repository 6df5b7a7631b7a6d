import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Flex, Form, Input, Radio, Row, Select } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { usePrioritySuggestion } from '../../../api/sla';
import { useCreateTicket, type CreateTicketInput } from '../../../api/tickets';
import type { Channel, Priority, Tier } from '../../../api/ticketTypes';
import { useApiErrorHandler } from '../../../lib/errors';
import { newIdempotencyKey } from '../../../lib/idempotency';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { usePageTitle } from '../../../lib/usePageTitle';
import { Forbidden } from '../../errors/Forbidden';
import { CustomFieldInputs, presentValues } from '../components/CustomFieldInputs';
import { CustomerField } from './CustomerField';

interface Values {
  channel: Channel;
  customerId?: string;
  customer?: { name?: string; phone?: string; email?: string };
  category: string;
  tier: Tier;
  priority: Priority;
  subject: string;
  description: string;
  receivedAt?: Dayjs;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

/** Staff register these channels by hand; the others arrive on their own. */
const DESK_CHANNELS: Channel[] = ['phone', 'walk_in', 'email', 'chat'];
/** Only phone and walk-in entries may carry a past time of receipt. */
const BACKDATED: ReadonlySet<Channel> = new Set(['phone', 'walk_in']);

const trimmed = (value?: string) => value?.trim() || undefined;

function toInput(values: Values): CreateTicketInput {
  const customer = values.customerId
    ? undefined
    : {
        name: values.customer?.name?.trim() ?? '',
        phone: trimmed(values.customer?.phone),
        email: trimmed(values.customer?.email),
      };
  return {
    channel: values.channel,
    category: values.category,
    tier: values.tier,
    priority: values.priority,
    subject: values.subject.trim(),
    description: values.description.trim(),
    customerId: values.customerId || undefined,
    customer,
    receivedAt:
      BACKDATED.has(values.channel) && values.receivedAt
        ? values.receivedAt.toISOString()
        : undefined,
    tags: values.tags?.length ? values.tags : undefined,
    customFields: presentValues(values.customFields),
  };
}

/** Quick registration (快速登记) for phone calls and walk-ins: keyboard first, Ctrl+Enter saves. */
export function NewTicketPage() {
  const { t } = useTranslation();
  usePageTitle(t('tickets.form.title'));
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  // One key per form: a double click or a retry never registers two tickets.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [formKey, setFormKey] = useState(0);
  const [another, setAnother] = useState(false);
  const create = useCreateTicket();
  const onError = useApiErrorHandler();
  const can = useAbilities();

  const submit = (values: Values) => {
    create.mutate(
      { ...toInput(values), idempotencyKey },
      {
        onSuccess: (res) => {
          void message.success(t('tickets.form.created', { number: res.data.number }));
          if (res.duplicates?.length) {
            notification.warning({
              title: t('tickets.form.duplicateAfterTitle'),
              description: res.duplicates.map((d) => d.name).join(t('common.listSeparator')),
            });
          }
          if (another) {
            // A fresh form (and key) for the next caller in the queue.
            form.resetFields();
            form.setFieldsValue({ receivedAt: dayjs() });
            setIdempotencyKey(newIdempotencyKey());
            setFormKey((k) => k + 1);
          } else {
            void navigate(`/tickets/${res.data.id}`);
          }
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  if (!can('tickets.create')) return <Forbidden />;
  return (
    <Card title={t('tickets.form.title')} style={{ maxWidth: 960 }}>
      <TicketForm
        key={formKey}
        form={form}
        pending={create.isPending}
        onSubmit={submit}
        onAnother={setAnother}
        onCancel={() => void navigate('/tickets')}
      />
    </Card>
  );
}

interface FormProps {
  form: FormInstance<Values>;
  pending: boolean;
  onSubmit: (values: Values) => void;
  onAnother: (another: boolean) => void;
  onCancel: () => void;
}

function TicketForm({ form, pending, onSubmit, onAnother, onCancel }: FormProps) {
  const { t } = useTranslation();
  const options = useTicketOptions();
  const channel = Form.useWatch('channel', form);
  const category = Form.useWatch('category', form);
  const required = { required: true, message: t('validation.required') };
  const suggestion = useSuggestedPriority(form);

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      disabled={pending}
      onFinish={onSubmit}
      initialValues={{ channel: 'phone', tier: 'L1', priority: 'general', receivedAt: dayjs() }}
      onValuesChange={(changed: Partial<Values>) => {
        if (changed.priority) suggestion.onPicked();
        // A complaint is a Level 3 matter (green channel) unless the agent says otherwise.
        if (changed.category === 'complaint') form.setFieldValue('tier', 'L3');
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.submit();
      }}
      data-testid="ticket-form"
    >
      <Form.Item name="channel" label={t('tickets.fields.channel')} rules={[required]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={options.channel.filter((o) => DESK_CHANNELS.includes(o.value))}
          data-testid="ticket-channel"
        />
      </Form.Item>
      <CustomerField form={form} />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="category" label={t('tickets.fields.category')} rules={[required]}>
            <Select
              options={options.category}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="ticket-category"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="tier"
            label={t('tickets.fields.tier')}
            rules={[required]}
            extra={t('tickets.form.tierHint')}
          >
            <Radio.Group optionType="button" options={options.tier.map(tierOption)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name="priority"
            label={t('tickets.fields.priority')}
            rules={[required]}
            extra={suggestion.hint}
          >
            <Radio.Group
              optionType="button"
              options={options.priority}
              data-testid="ticket-priority"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="subject"
        label={t('tickets.fields.subject')}
        rules={[{ ...required, whitespace: true }, { max: 200 }]}
      >
        <Input maxLength={200} data-testid="ticket-subject" />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('tickets.fields.description')}
        rules={[{ ...required, whitespace: true }]}
      >
        <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} data-testid="ticket-description" />
      </Form.Item>
      <CustomFieldInputs category={category} />
      <Row gutter={16}>
        {channel && BACKDATED.has(channel) && (
          <Col xs={24} md={12}>
            <Form.Item
              name="receivedAt"
              label={t('tickets.fields.receivedAt')}
              extra={t('tickets.form.receivedAtHint')}
              rules={[
                required,
                {
                  validator: (_, value?: Dayjs) =>
                    value && value.isAfter(dayjs().add(1, 'minute'))
                      ? Promise.reject(new Error(t('tickets.form.receivedAtFuture')))
                      : Promise.resolve(),
                },
              ]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={12}>
          <Form.Item name="tags" label={t('tickets.fields.tags')}>
            <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
          </Form.Item>
        </Col>
      </Row>
      <Flex justify="end" gap={8} wrap>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button
          htmlType="submit"
          loading={pending}
          onClick={() => onAnother(true)}
          data-testid="ticket-submit-another"
        >
          {t('tickets.form.submitAnother')}
        </Button>
        <Button
          type="primary"
          htmlType="submit"
          loading={pending}
          onClick={() => onAnother(false)}
          data-testid="ticket-submit"
        >
          {t('tickets.form.submit')}
        </Button>
      </Flex>
    </Form>
  );
}

/**
 * The priority Kefu suggests from category, tier and customer (`GET /sla/priority-suggestion`):
 * pre-filled until the agent picks one, shown as a hint with its reasons after that.
 */
function useSuggestedPriority(form: FormInstance<Values>) {
  const { t } = useTranslation();
  const options = useTicketOptions();
  const category = Form.useWatch('category', form);
  const tier = Form.useWatch('tier', form);
  const customerId = Form.useWatch('customerId', form);
  const priority = Form.useWatch('priority', form);
  const picked = useRef(false);
  const suggestion = usePrioritySuggestion(
    category && tier ? { category, tier, ...(customerId ? { customerId } : {}) } : null,
  ).data;

  useEffect(() => {
    if (suggestion && !picked.current) form.setFieldValue('priority', suggestion.priority);
  }, [suggestion, form]);

  const label = (p: string) => options.priority.find((o) => o.value === p)?.label ?? p;
  const hint = suggestion && (
    <span data-testid="priority-suggestion">
      {t('sla.prioritySuggestion.suggested', { priority: label(suggestion.priority) })}
      {suggestion.reasons.length > 0 &&
        ` · ${t('sla.prioritySuggestion.because', {
          reasons: suggestion.reasons
            .map((r) => t(`sla.prioritySuggestion.reasons.${r}`))
            .join('、'),
        })}`}
      {priority && priority !== suggestion.priority && (
        <Button
          type="link"
          size="small"
          onClick={() => form.setFieldValue('priority', suggestion.priority)}
          data-testid="apply-priority-suggestion"
        >
          {t('sla.prioritySuggestion.apply')}
        </Button>
      )}
    </span>
  );
  return { hint, onPicked: () => (picked.current = true) };
}

function tierOption(option: { value: Tier; label: string }) {
  return { value: option.value, label: option.value, title: option.label };
}
