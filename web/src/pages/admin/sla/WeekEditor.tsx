import { Button, Flex, Form, Input, Typography } from 'antd';
import type { FormListFieldData } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { OFFICE_DAY, TIME_PATTERN, WEEK_ORDER, dayProblem } from './intervals';

interface IntervalsProps {
  /** Path of the list in the form, e.g. ['weekly', 1] or ['makeUpHours']. */
  name: (string | number)[];
  label: string;
  testId: string;
  disabled?: boolean;
}

/** One day's working intervals: several start–end pairs, with add and remove. */
export function IntervalList({ name, label, testId, disabled }: IntervalsProps) {
  const { t } = useTranslation();
  const timeRule = { pattern: TIME_PATTERN, message: t('slaAdmin.week.badTime') };
  return (
    <Form.List
      name={name}
      rules={[
        {
          validator: async (_, list) => {
            if (dayProblem(list)) throw new Error(t('slaAdmin.week.overlap'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Flex gap={12} align="baseline" wrap data-testid={testId} style={{ marginBottom: 8 }}>
          <Typography.Text strong style={{ width: 96 }}>
            {label}
          </Typography.Text>
          {fields.length === 0 && (
            <Typography.Text type="secondary" style={{ lineHeight: '32px' }}>
              {t('slaAdmin.week.restDay')}
            </Typography.Text>
          )}
          {fields.map((field: FormListFieldData) => (
            <Flex key={field.key} gap={4} align="baseline">
              <Form.Item
                name={[field.name, 'start']}
                rules={[{ required: true, message: t('validation.required') }, timeRule]}
                style={{ marginBottom: 0 }}
              >
                <Input
                  placeholder="09:00"
                  style={{ width: 72 }}
                  disabled={disabled}
                  aria-label={t('slaAdmin.week.start')}
                />
              </Form.Item>
              <span>–</span>
              <Form.Item
                name={[field.name, 'end']}
                dependencies={[[...name, field.name, 'start']]}
                rules={[
                  { required: true, message: t('validation.required') },
                  timeRule,
                  ({ getFieldValue }) => ({
                    validator: async (_, end: string) => {
                      const start = getFieldValue([...name, field.name, 'start']) as string;
                      if (
                        TIME_PATTERN.test(start ?? '') &&
                        TIME_PATTERN.test(end ?? '') &&
                        start >= end
                      )
                        throw new Error(t('slaAdmin.week.endBeforeStart'));
                    },
                  }),
                ]}
                style={{ marginBottom: 0 }}
              >
                <Input
                  placeholder="18:00"
                  style={{ width: 72 }}
                  disabled={disabled}
                  aria-label={t('slaAdmin.week.end')}
                />
              </Form.Item>
              {!disabled && (
                <Button
                  type="text"
                  size="small"
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  aria-label={t('slaAdmin.week.removeInterval')}
                />
              )}
            </Flex>
          ))}
          {!disabled && fields.length < 8 && (
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ ...OFFICE_DAY[fields.length === 0 ? 0 : 1] })}
            >
              {t('slaAdmin.week.addInterval')}
            </Button>
          )}
          <Form.ErrorList errors={errors} />
        </Flex>
      )}
    </Form.List>
  );
}

/** Seven days, Monday first, each its own interval list under `weekly.<day>`. */
export function WeekEditor({ disabled }: { disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <div data-testid="week-editor">
      {WEEK_ORDER.map((d) => (
        <IntervalList
          key={d}
          name={['weekly', d]}
          label={t(`slaAdmin.weekdays.${d}`)}
          testId={`week-day-${d}`}
          disabled={disabled}
        />
      ))}
    </div>
  );
}
