import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUpdateTicket, type TicketPatch } from '../../../api/tickets';
import type { Priority, Ticket, Tier } from '../../../api/ticketTypes';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { CustomFieldInputs } from '../components/CustomFieldInputs';
import { useTicketErrorHandler } from './useTicketErrors';

interface Values {
  subject: string;
  category: string;
  tier: Tier;
  priority: Priority;
  tags: string[];
  customFields?: Record<string, unknown>;
}

/** Custom values that differ from the ticket's (cleared ones as null). */
function changedCustomFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(after)) {
    const value = raw === '' || (Array.isArray(raw) && raw.length === 0) ? null : (raw ?? null);
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(value)) changes[key] = value;
  }
  return Object.keys(changes).length ? changes : undefined;
}

const sameTags = (a: string[], b: string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Edit subject, category, tier, priority and tags; sends only what changed. */
export function EditFieldsModal({
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
  const [form] = Form.useForm<Values>();
  const options = useTicketOptions();
  const update = useUpdateTicket();
  const category = Form.useWatch('category', form) ?? ticket.category;
  const onError = useTicketErrorHandler();

  const submit = (values: Values) => {
    const patch: TicketPatch = {};
    if (values.subject.trim() !== ticket.subject) patch.subject = values.subject.trim();
    if (values.category !== ticket.category) patch.category = values.category;
    if (values.tier !== ticket.tier) patch.tier = values.tier;
    if (values.priority !== ticket.priority) patch.priority = values.priority;
    if (!sameTags(values.tags, ticket.tags)) patch.tags = values.tags;
    const customFields = changedCustomFields(ticket.customFields ?? {}, values.customFields ?? {});
    if (customFields) patch.customFields = customFields;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    update.mutate(
      { ticket, ...patch },
      {
        onSuccess: () => {
          void message.success(t('tickets.edit.saved'));
          onClose();
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  const categoryOptions = options.category.some((o) => o.value === ticket.category)
    ? options.category
    : [...options.category, { value: ticket.category, label: ticket.category }];

  return (
    <Modal
      title={t('tickets.edit.title', { number: ticket.number })}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={submit}
        initialValues={{
          subject: ticket.subject,
          category: ticket.category,
          tier: ticket.tier,
          priority: ticket.priority,
          tags: ticket.tags,
          customFields: ticket.customFields ?? {},
        }}
        data-testid="edit-ticket-form"
      >
        <Form.Item
          name="subject"
          label={t('tickets.fields.subject')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="category" label={t('tickets.fields.category')}>
          <Select options={categoryOptions} />
        </Form.Item>
        <Form.Item name="tier" label={t('tickets.fields.tier')} extra={t('tickets.edit.tierHint')}>
          <Radio.Group optionType="button" options={options.tier} />
        </Form.Item>
        <Form.Item name="priority" label={t('tickets.fields.priority')}>
          <Radio.Group optionType="button" options={options.priority} />
        </Form.Item>
        <Form.Item name="tags" label={t('tickets.fields.tags')}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
        </Form.Item>
        <CustomFieldInputs category={category} />
      </Form>
    </Modal>
  );
}
