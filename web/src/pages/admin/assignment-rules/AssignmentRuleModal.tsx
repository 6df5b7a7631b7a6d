import { App, Checkbox, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useSaveAssignmentRule,
  type AssignmentRule,
  type AssignmentRuleInput,
} from '../../../api/ticketAdmin';
import { useAllTeams } from '../../../api/teams';
import { useApiErrorHandler } from '../../../lib/errors';
import { useTicketOptions } from '../../../lib/ticketLabels';

const CUSTOMER_TIERS = ['vip', 'regular', 'prospect'] as const;

/** Add or change an assignment rule; empty conditions match anything. */
export function AssignmentRuleModal({
  rule,
  onClose,
}: {
  rule?: AssignmentRule;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AssignmentRuleInput>();
  const save = useSaveAssignmentRule();
  const onError = useApiErrorHandler();
  const options = useTicketOptions();
  const teams = useAllTeams();

  const submit = (values: AssignmentRuleInput) => {
    const body = {
      ...values,
      name: values.name.trim(),
      categories: values.categories ?? [],
      channels: values.channels ?? [],
      customerTiers: values.customerTiers ?? [],
      keywords: (values.keywords ?? []).map((k) => k.trim()).filter(Boolean),
    };
    save.mutate(rule ? { id: rule.id, ...body } : body, {
      onSuccess: () => {
        void message.success(t('ticketAdmin.rules.saved'));
        onClose();
      },
      onError: (error) => onError(error, form),
    });
  };

  return (
    <Modal
      open
      title={rule ? t('ticketAdmin.rules.edit') : t('ticketAdmin.rules.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form<AssignmentRuleInput>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          rule
            ? { ...rule, teamId: rule.team.id }
            : {
                active: true,
                strategy: 'least_loaded',
                categories: [],
                channels: [],
                customerTiers: [],
                keywords: [],
              }
        }
        data-testid="rule-form"
      >
        <Form.Item
          name="name"
          label={t('ticketAdmin.rules.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="categories" label={t('ticketAdmin.rules.categories')}>
          <Select mode="multiple" allowClear options={options.category} />
        </Form.Item>
        <Form.Item name="channels" label={t('ticketAdmin.rules.channels')}>
          <Select mode="multiple" allowClear options={options.channel} />
        </Form.Item>
        <Form.Item name="customerTiers" label={t('ticketAdmin.rules.customerTiers')}>
          <Select
            mode="multiple"
            allowClear
            options={CUSTOMER_TIERS.map((v) => ({
              value: v,
              label: t(`ticketAdmin.customerTiers.${v}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="keywords"
          label={t('ticketAdmin.rules.keywords')}
          extra={t('ticketAdmin.rules.keywordsHint')}
        >
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item
          name="teamId"
          label={t('ticketAdmin.rules.team')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={teams.isPending}
            options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          />
        </Form.Item>
        <Form.Item name="strategy" label={t('ticketAdmin.rules.strategy')}>
          <Radio.Group
            optionType="button"
            options={(['least_loaded', 'round_robin'] as const).map((v) => ({
              value: v,
              label: t(`ticketAdmin.strategies.${v}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="active" valuePropName="checked">
          <Checkbox>{t('ticketAdmin.rules.active')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
