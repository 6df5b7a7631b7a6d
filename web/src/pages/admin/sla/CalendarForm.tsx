import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useCreateCalendar,
  useUpdateCalendar,
  type SlaCalendar,
  type SlaCalendarInput,
  type SlaInterval,
} from '../../../api/sla';
import { officeWeek, roundTheClockWeek } from './intervals';
import { useServerFieldErrors } from './serverErrors';
import { IntervalList, WeekEditor } from './WeekEditor';

interface Values {
  name: string;
  timeZone: string;
  weekly: SlaInterval[][];
  makeUpLikeMonday: boolean;
  makeUpHours: SlaInterval[];
  isDefault: boolean;
}

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'UTC'];
  }
}

const knownField = (name: (string | number)[]) =>
  name[0] === 'name' ||
  name[0] === 'timeZone' ||
  (name[0] === 'weekly' && name.length >= 2) ||
  name[0] === 'makeUpHours';

interface Props {
  /** The calendar to edit; undefined to create one. */
  calendar?: SlaCalendar;
  canEdit: boolean;
  onSaved?: (calendar: SlaCalendar) => void;
  onCancel?: () => void;
}

/** Name, time zone, the week's working intervals, make-up day hours, default flag. */
export function CalendarForm({ calendar, canEdit, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateCalendar();
  const update = useUpdateCalendar(calendar?.id ?? '');
  const placeErrors = useServerFieldErrors();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const likeMonday = Form.useWatch('makeUpLikeMonday', form);
  const zoneOptions = useMemo(() => zones().map((z) => ({ value: z, label: z })), []);

  const initial: Values = {
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Asia/Shanghai',
    weekly: calendar?.weekly ?? officeWeek(),
    makeUpLikeMonday: !calendar?.makeUpHours,
    makeUpHours: calendar?.makeUpHours ?? [],
    isDefault: calendar?.isDefault ?? false,
  };

  const submit = (v: Values) => {
    setFormErrors([]);
    const body: SlaCalendarInput = {
      name: v.name.trim(),
      timeZone: v.timeZone,
      weekly: v.weekly.map((d) => d ?? []),
      makeUpHours: v.makeUpLikeMonday ? null : (v.makeUpHours ?? []),
    };
    const options = {
      onSuccess: (saved: SlaCalendar) => {
        void message.success(t(calendar ? 'slaAdmin.calendar.saved' : 'slaAdmin.calendar.created'));
        onSaved?.(saved);
      },
      onError: (error: unknown) => setFormErrors(placeErrors(error, form, knownField)),
    };
    // isDefault can only be set (true) on an edit: another calendar stops being it.
    if (calendar)
      update.mutate(
        { ...body, ...(v.isDefault && !calendar.isDefault ? { isDefault: true } : {}) },
        options,
      );
    else create.mutate({ ...body, isDefault: v.isDefault }, options);
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={submit}
      disabled={!canEdit}
      data-testid="calendar-form"
    >
      {formErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('slaAdmin.calendar.saveFailed')}
          description={formErrors.join('；')}
          style={{ marginBottom: 16 }}
          data-testid="calendar-form-errors"
        />
      )}
      <Flex gap={16} wrap>
        <Form.Item
          name="name"
          label={t('slaAdmin.calendar.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          style={{ minWidth: 260, flex: 1 }}
        >
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="timeZone"
          label={t('slaAdmin.calendar.timeZone')}
          rules={[{ required: true, message: t('validation.required') }]}
          style={{ minWidth: 260, flex: 1 }}
        >
          <Select showSearch options={zoneOptions} data-testid="calendar-zone" />
        </Form.Item>
      </Flex>
      <Form.Item label={t('slaAdmin.week.title')} extra={t('slaAdmin.week.help')}>
        {canEdit && (
          <Flex gap={8} style={{ marginBottom: 12 }}>
            <Button size="small" onClick={() => form.setFieldValue('weekly', officeWeek())}>
              {t('slaAdmin.week.presetOffice')}
            </Button>
            <Button size="small" onClick={() => form.setFieldValue('weekly', roundTheClockWeek())}>
              {t('slaAdmin.week.preset24x7')}
            </Button>
          </Flex>
        )}
        <WeekEditor disabled={!canEdit} />
      </Form.Item>
      <Form.Item label={t('slaAdmin.week.makeUp')} extra={t('slaAdmin.week.makeUpHelp')}>
        <Form.Item name="makeUpLikeMonday" valuePropName="checked" noStyle>
          <Checkbox>{t('slaAdmin.week.makeUpLikeMonday')}</Checkbox>
        </Form.Item>
        {likeMonday === false && (
          <div style={{ marginTop: 8 }}>
            <IntervalList
              name={['makeUpHours']}
              label={t('slaAdmin.week.makeUpDay')}
              testId="make-up-hours"
              disabled={!canEdit}
            />
          </div>
        )}
      </Form.Item>
      <Form.Item
        name="isDefault"
        label={t('slaAdmin.calendar.isDefault')}
        valuePropName="checked"
        extra={t('slaAdmin.calendar.isDefaultHelp')}
      >
        <Switch disabled={!canEdit || calendar?.isDefault} />
      </Form.Item>
      {canEdit && (
        <Flex gap={8}>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending || update.isPending}
            data-testid="calendar-save"
          >
            {calendar ? t('common.save') : t('common.create')}
          </Button>
          {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        </Flex>
      )}
    </Form>
  );
}
