import { Button, DatePicker, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../../../api/audit';

/** The subset of Dayjs the filter needs (antd's pickers hand us Dayjs objects). */
interface DateLike {
  startOf(unit: 'day'): DateLike;
  endOf(unit: 'day'): DateLike;
  toISOString(): string;
}

interface Values {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  range?: [DateLike | null, DateLike | null] | null;
}

function toFilters(values: Values): AuditFilters {
  const text = (value?: string) => value?.trim() || undefined;
  const [from, to] = values.range ?? [null, null];
  return {
    action: text(values.action),
    targetType: text(values.targetType),
    targetId: text(values.targetId),
    actorId: text(values.actorId),
    from: from?.startOf('day').toISOString(),
    to: to?.endOf('day').toISOString(),
  };
}

export function AuditFiltersForm({ onChange }: { onChange: (filters: AuditFilters) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  return (
    <Form<Values>
      form={form}
      layout="inline"
      onFinish={(values) => onChange(toFilters(values))}
      style={{ rowGap: 12, marginBottom: 16 }}
      data-testid="audit-filters"
    >
      <Form.Item name="action">
        <Input allowClear placeholder={t('audit.action')} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="targetType">
        <Input allowClear placeholder={t('audit.targetType')} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="targetId">
        <Input allowClear placeholder={t('audit.targetId')} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="actorId">
        <Input allowClear placeholder={t('audit.actorId')} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="range">
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          placeholder={[t('audit.from'), t('audit.to')]}
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="audit-apply">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onChange({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
