import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSplitTicket } from '../../../api/ticketAdmin';
import { useTimeline } from '../../../api/tickets';
import type { Priority, Ticket } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketOptions } from '../../../lib/ticketLabels';
import { CustomFieldInputs, presentValues } from '../components/CustomFieldInputs';
import { useTicketErrorHandler } from './useTicketErrors';

interface Values {
  subject: string;
  description: string;
  category: string;
  priority: Priority;
  eventIds: string[];
  customFields?: Record<string, unknown>;
}

const EXCERPT = 60;

/**
 * Splits a second request out of this ticket: same customer and first-contact owner, linked
 * both ways; chosen replies and notes are copied onto the new ticket as references.
 */
export function SplitModal({
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
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const options = useTicketOptions();
  const timeline = useTimeline(ticket.id);
  const split = useSplitTicket();
  const onError = useTicketErrorHandler();
  const formatDate = useFormatDateTime();
  const category = Form.useWatch('category', form) ?? ticket.category;

  const entries = (timeline.data ?? [])
    .filter((e) => e.body)
    .map((e) => {
      const body = e.body ?? '';
      return {
        value: e.id,
        label: `${formatDate(e.at)} ${e.actor?.name ?? ''}: ${
          body.length > EXCERPT ? `${body.slice(0, EXCERPT)}…` : body
        }`,
      };
    });

  const submit = (values: Values) => {
    split.mutate(
      {
        id: ticket.id,
        subject: values.subject.trim(),
        description: values.description?.trim() ?? '',
        category: values.category,
        priority: values.priority,
        eventIds: values.eventIds ?? [],
        customFields: presentValues(values.customFields),
      },
      {
        onSuccess: (res) => {
          void message.success(t('ticketAdmin.split.done', { number: res.data.number }));
          onClose();
          void navigate(`/tickets/${res.data.id}`);
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Modal
      title={t('ticketAdmin.split.title', { number: ticket.number })}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('ticketAdmin.split.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={split.isPending}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={submit}
        initialValues={{
          category: ticket.category,
          priority: ticket.priority,
          eventIds: [],
          description: '',
        }}
        data-testid="split-form"
      >
        <Form.Item
          name="subject"
          label={t('tickets.fields.subject')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} data-testid="split-subject" />
        </Form.Item>
        <Form.Item name="description" label={t('tickets.fields.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={20000} />
        </Form.Item>
        <Form.Item name="category" label={t('tickets.fields.category')}>
          <Select options={options.category} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="priority" label={t('tickets.fields.priority')}>
          <Radio.Group optionType="button" options={options.priority} />
        </Form.Item>
        <Form.Item
          name="eventIds"
          label={t('ticketAdmin.split.references')}
          extra={t('ticketAdmin.split.referencesHint')}
        >
          <Select mode="multiple" allowClear loading={timeline.isPending} options={entries} />
        </Form.Item>
        <CustomFieldInputs category={category} />
      </Form>
    </Modal>
  );
}
