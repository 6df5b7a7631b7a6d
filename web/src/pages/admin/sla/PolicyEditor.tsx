import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Collapse,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useSavePolicies, type SlaPolicyVersion } from '../../../api/sla';
import { useFormatDateTime } from '../../../lib/format';
import { useTicketOptions } from '../../../lib/ticketLabels';
import {
  CUSTOMER_TIERS,
  RECIPIENTS,
  TARGET_KINDS,
  UNITS,
  formPathOf,
  fromPolicyForm,
  newPolicy,
  newTarget,
  toPolicyForm,
  type PolicyForm,
} from './policyForm';
import { useServerFieldErrors } from './serverErrors';

interface Values {
  policies: PolicyForm[];
  reason: string;
}

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** The ordered policy list (first match wins): edit, reorder, save as a new version. */
export function PolicyEditor({
  current,
  canEdit,
}: {
  current: SlaPolicyVersion;
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const formatDate = useFormatDateTime();
  const [form] = Form.useForm<Values>();
  const save = useSavePolicies();
  const placeErrors = useServerFieldErrors();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const options = useTicketOptions();
  const watched = Form.useWatch('policies', form) as PolicyForm[] | undefined;
  const zh = i18n.language.startsWith('zh');

  const label = (group: string) => (value: string) => ({ value, label: t(`${group}.${value}`) });
  const kinds = TARGET_KINDS.map(label('sla.kinds'));
  const recipients = RECIPIENTS.map(label('slaAdmin.recipients'));
  const customerTiers = CUSTOMER_TIERS.map(label('customers.tier'));
  const units = UNITS.map(label('slaAdmin.units'));

  const submit = () => {
    const values = form.getFieldsValue(true) as Values;
    const originals = new Map(current.policies.map((p) => [p.key, p]));
    setFormErrors([]);
    save.mutate(
      {
        policies: values.policies.map((p) => fromPolicyForm(p, originals.get(p.key))),
        reason: values.reason.trim(),
        baseVersion: current.version,
      },
      {
        onSuccess: (v) => {
          void message.success(t('slaAdmin.policies.saved', { version: v.version }));
          form.setFieldValue('reason', '');
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'policy_version_conflict') {
            setFormErrors([t('slaAdmin.policies.conflict')]);
            return;
          }
          setFormErrors(
            placeErrors(
              error,
              form,
              (name) => name[0] === 'policies' && name.length > 2,
              formPathOf,
            ),
          );
        },
      },
    );
  };

  const matchSummary = (p: PolicyForm | undefined) => {
    if (!p) return null;
    const all = [...p.channels, ...p.categories, ...p.tiers, ...p.priorities, ...p.customerTiers];
    return all.length ? (
      <Typography.Text type="secondary">
        {t('slaAdmin.policies.matchCount', { count: all.length })}
      </Typography.Text>
    ) : (
      <Tag>{t('slaAdmin.policies.matchesAll')}</Tag>
    );
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={{ policies: current.policies.map(toPolicyForm), reason: '' }}
      onFinish={submit}
      disabled={!canEdit}
      data-testid="policy-editor"
    >
      <Typography.Paragraph type="secondary">
        {t('slaAdmin.policies.currentVersion', {
          version: current.version,
          by: current.createdBy?.name ?? t('slaAdmin.policies.system'),
          at: formatDate(current.createdAt),
        })}{' '}
        {t('slaAdmin.policies.firstMatch')}
      </Typography.Paragraph>
      <Form.List name="policies">
        {(fields, { add, remove, move }) => (
          <>
            {fields.length === 0 && <Empty description={t('slaAdmin.policies.empty')} />}
            <Collapse
              items={fields.map((field, index) => {
                const p = watched?.[field.name];
                return {
                  key: field.key,
                  forceRender: true,
                  label: (
                    <Flex gap={8} align="center" wrap data-testid="policy-header">
                      <Typography.Text strong>
                        {index + 1}. {(zh ? p?.nameZh : p?.nameEn) || p?.key}
                      </Typography.Text>
                      <Typography.Text code>{p?.key}</Typography.Text>
                      {matchSummary(p)}
                      {p?.appliesAlways && (
                        <Tag color="orange">{t('slaAdmin.policies.appliesAlwaysShort')}</Tag>
                      )}
                      <Typography.Text type="secondary">
                        {t('slaAdmin.policies.targetCount', { count: p?.targets?.length ?? 0 })}
                      </Typography.Text>
                    </Flex>
                  ),
                  extra: canEdit && (
                    <Flex gap={4} onClick={(e) => e.stopPropagation()}>
                      <Button
                        size="small"
                        icon={<ArrowUpOutlined />}
                        disabled={index === 0}
                        onClick={() => move(index, index - 1)}
                        aria-label={t('slaAdmin.policies.moveUp')}
                      />
                      <Button
                        size="small"
                        icon={<ArrowDownOutlined />}
                        disabled={index === fields.length - 1}
                        onClick={() => move(index, index + 1)}
                        aria-label={t('slaAdmin.policies.moveDown')}
                      />
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('slaAdmin.policies.remove')}
                      />
                    </Flex>
                  ),
                  children: (
                    <PolicyFields
                      name={field.name}
                      kinds={kinds}
                      recipients={recipients}
                      customerTiers={customerTiers}
                      units={units}
                      options={options}
                      defaultEscalation={p?.defaultEscalation ?? true}
                      canEdit={canEdit}
                    />
                  ),
                };
              })}
            />
            {canEdit && (
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                style={{ marginTop: 12 }}
                onClick={() => add(newPolicy(fields.length + 1))}
                data-testid="add-policy"
              >
                {t('slaAdmin.policies.add')}
              </Button>
            )}
          </>
        )}
      </Form.List>
      {canEdit && (
        <>
          <Divider />
          {formErrors.length > 0 && (
            <Alert
              type="error"
              showIcon
              title={t('slaAdmin.policies.saveFailed')}
              description={formErrors.join('；')}
              style={{ marginBottom: 16 }}
              data-testid="policy-errors"
            />
          )}
          <Form.Item
            name="reason"
            label={t('slaAdmin.policies.reason')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input.TextArea
              rows={2}
              maxLength={1000}
              placeholder={t('slaAdmin.policies.reasonPlaceholder')}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="save-policies"
          >
            {t('slaAdmin.policies.save')}
          </Button>
        </>
      )}
    </Form>
  );
}

type Option = { value: string; label: string };

interface FieldsProps {
  name: number;
  kinds: Option[];
  recipients: Option[];
  customerTiers: Option[];
  units: Option[];
  options: ReturnType<typeof useTicketOptions>;
  defaultEscalation: boolean;
  canEdit: boolean;
}

function PolicyFields({
  name,
  kinds,
  recipients,
  customerTiers,
  units,
  options,
  defaultEscalation,
  canEdit,
}: FieldsProps) {
  const { t } = useTranslation();
  const multi = (field: string, label: string, opts: Option[], tags = false) => (
    <Form.Item name={[name, field]} label={label} style={{ minWidth: 220, flex: 1 }}>
      <Select
        mode={tags ? 'tags' : 'multiple'}
        options={opts}
        placeholder={t('slaAdmin.policies.any')}
        allowClear
      />
    </Form.Item>
  );
  return (
    <>
      <Flex gap={12} wrap>
        <Form.Item
          name={[name, 'key']}
          label={t('slaAdmin.policies.key')}
          rules={[
            { required: true, message: t('validation.required') },
            { pattern: KEY_PATTERN, message: t('slaAdmin.policies.badKey') },
          ]}
          style={{ width: 200 }}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name={[name, 'nameZh']}
          label={t('slaAdmin.policies.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          style={{ minWidth: 220, flex: 1 }}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name={[name, 'nameEn']}
          label={t('slaAdmin.policies.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          style={{ minWidth: 220, flex: 1 }}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Flex>
      <Typography.Text strong>{t('slaAdmin.policies.match')}</Typography.Text>
      <Flex gap={12} wrap style={{ marginTop: 8 }}>
        {multi('channels', t('tickets.fields.channel'), options.channel)}
        {multi('categories', t('tickets.fields.category'), options.category, true)}
        {multi('tiers', t('tickets.fields.tier'), options.tier)}
        {multi('priorities', t('tickets.fields.priority'), options.priority)}
        {multi('customerTiers', t('slaAdmin.policies.customerTier'), customerTiers)}
      </Flex>
      <Form.Item
        name={[name, 'appliesAlways']}
        valuePropName="checked"
        extra={t('slaAdmin.policies.appliesAlwaysHelp')}
      >
        <Checkbox data-testid="policy-applies-always">
          {t('slaAdmin.policies.appliesAlways')}
        </Checkbox>
      </Form.Item>
      <Typography.Text strong>{t('slaAdmin.policies.targets')}</Typography.Text>
      <Form.List name={[name, 'targets']}>
        {(targets, { add, remove }) => (
          <div style={{ marginTop: 8 }}>
            {targets.map((target) => (
              <Flex key={target.key} gap={8} wrap align="start" data-testid="target-row">
                <Form.Item name={[target.name, 'kind']} style={{ width: 190 }}>
                  <Select options={kinds} aria-label={t('slaAdmin.policies.kind')} />
                </Form.Item>
                <Form.Item
                  name={[target.name, 'amount']}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <InputNumber
                    min={1}
                    precision={0}
                    style={{ width: 90 }}
                    aria-label={t('slaAdmin.policies.duration')}
                  />
                </Form.Item>
                <Form.Item name={[target.name, 'unit']} style={{ width: 110 }}>
                  <Select options={units} />
                </Form.Item>
                <Form.Item name={[target.name, 'clock']} style={{ width: 130 }}>
                  <Select
                    options={(['business', '24x7'] as const).map((c) => ({
                      value: c,
                      label: t(`slaAdmin.clock.${c}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item name={[target.name, 'when']} style={{ width: 150 }}>
                  <Select
                    options={(['always', 'inside', 'outside'] as const).map((w) => ({
                      value: w,
                      label: t(`slaAdmin.when.${w}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[target.name, 'warnPercent']}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <InputNumber
                    min={1}
                    max={99}
                    precision={0}
                    suffix="%"
                    style={{ width: 100 }}
                    aria-label={t('slaAdmin.policies.warnAt')}
                  />
                </Form.Item>
                <Form.Item
                  name={[target.name, 'pausesWhilePendingCustomer']}
                  valuePropName="checked"
                >
                  <Checkbox>{t('slaAdmin.policies.pauses')}</Checkbox>
                </Form.Item>
                <Form.Item name={[target.name, 'repeats']} valuePropName="checked">
                  <Checkbox>{t('slaAdmin.policies.repeats')}</Checkbox>
                </Form.Item>
                {canEdit && (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(target.name)}
                    aria-label={t('slaAdmin.policies.removeTarget')}
                  />
                )}
              </Flex>
            ))}
            {canEdit && (
              <Button
                size="small"
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add(newTarget())}
              >
                {t('slaAdmin.policies.addTarget')}
              </Button>
            )}
          </div>
        )}
      </Form.List>
      <Divider titlePlacement="start" plain>
        {t('slaAdmin.policies.escalation')}
      </Divider>
      <Form.Item name={[name, 'defaultEscalation']} valuePropName="checked">
        <Checkbox>{t('slaAdmin.policies.defaultEscalation')}</Checkbox>
      </Form.Item>
      {!defaultEscalation && (
        <Flex gap={12} wrap>
          <Form.Item
            name={[name, 'warnNotify']}
            label={t('slaAdmin.policies.warnNotify')}
            style={{ minWidth: 260, flex: 1 }}
          >
            <Select mode="multiple" options={recipients} />
          </Form.Item>
          <Form.Item
            name={[name, 'breachNotify']}
            label={t('slaAdmin.policies.breachNotify')}
            style={{ minWidth: 260, flex: 1 }}
          >
            <Select mode="multiple" options={recipients} />
          </Form.Item>
          <Form.Item
            name={[name, 'raisePriority']}
            label={t('slaAdmin.policies.raisePriority')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        </Flex>
      )}
    </>
  );
}
