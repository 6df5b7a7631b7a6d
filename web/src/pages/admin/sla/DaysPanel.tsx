import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import {
  CalendarOutlined,
  DeleteOutlined,
  DownloadOutlined,
  PlusOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  calendarExportUrl,
  useCalendarDays,
  useCalendarCoverage,
  useImportIcs,
  usePutDays,
  useRemoveDay,
  type IcsImportResult,
  type SlaCalendar,
  type SlaDay,
  type SlaDayKind,
} from '../../../api/sla';
import { useApiErrorHandler } from '../../../lib/errors';
import { QueryError } from '../../errors/QueryError';
import { useServerFieldErrors } from './serverErrors';
import { ImportYearModal } from './ImportYearModal';

interface AddValues {
  date: Dayjs | null;
  kind: SlaDayKind;
  name: string;
}

const KIND_COLORS: Record<SlaDayKind, string> = { holiday: 'red', workday: 'green' };

/** Holidays and make-up working days (调休) of one year: list, add, remove, ICS in and out. */
export function DaysPanel({ calendar, canEdit }: { calendar: SlaCalendar; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const days = useCalendarDays(calendar.id, year);
  const put = usePutDays(calendar.id);
  const remove = useRemoveDay(calendar.id);
  const importIcs = useImportIcs(calendar.id);
  const onError = useApiErrorHandler();
  const placeErrors = useServerFieldErrors();
  const [form] = Form.useForm<AddValues>();
  const [mode, setMode] = useState<'merge' | 'replace'>('merge');
  const [imported, setImported] = useState<IcsImportResult | null>(null);
  // `?importYear=2027` (the console banner's link) opens the import dialog for that year.
  const [search, setSearch] = useSearchParams();
  const askedYear = Number(search.get('importYear')) || null;
  const [importYearOpen, setImportYearOpen] = useState<number | null>(canEdit ? askedYear : null);
  const coverage = useCalendarCoverage(true).data?.calendars.find((c) => c.id === calendar.id);
  const closeImportYear = () => {
    setImportYearOpen(null);
    if (askedYear) setSearch({}, { replace: true });
  };

  const years = Array.from({ length: 6 }, (_, n) => thisYear - 2 + n).map((y) => ({
    value: y,
    label: String(y),
  }));

  const add = (v: AddValues) => {
    if (!v.date) return;
    const day: SlaDay = {
      date: v.date.format('YYYY-MM-DD'),
      kind: v.kind,
      name: v.name?.trim() ?? '',
    };
    put.mutate([day], {
      onSuccess: () => {
        void message.success(t('slaAdmin.days.added', { date: day.date }));
        form.resetFields();
        const y = Number(day.date.slice(0, 4));
        if (y !== year) setYear(y);
      },
      onError: (error) => {
        // `days.0.date` → the date field; anything else above the list.
        const unplaced = placeErrors(
          error,
          form,
          (name) => ['date', 'kind', 'name'].includes(String(name[0])),
          (name) => (name[0] === 'days' ? name.slice(2) : name),
        );
        if (unplaced.length) void message.error(unplaced.join('；'));
      },
    });
  };

  const upload = async (file: File) => {
    const ics = await file.text();
    importIcs.mutate(
      { ics, mode },
      {
        onSuccess: (result) => {
          setImported(result);
          void message.success(t('slaAdmin.ics.done'));
        },
        onError: (error) => onError(error),
      },
    );
    return false;
  };

  const columns: TableColumnsType<SlaDay> = [
    { title: t('slaAdmin.days.date'), dataIndex: 'date', key: 'date', width: 140 },
    {
      title: t('slaAdmin.days.weekday'),
      key: 'weekday',
      width: 90,
      render: (_, d) => t(`slaAdmin.weekdays.${new Date(`${d.date}T12:00:00Z`).getUTCDay()}`),
    },
    {
      title: t('slaAdmin.days.kind'),
      key: 'kind',
      width: 140,
      render: (_, d) => <Tag color={KIND_COLORS[d.kind]}>{t(`slaAdmin.days.kinds.${d.kind}`)}</Tag>,
    },
    { title: t('slaAdmin.days.name'), dataIndex: 'name', key: 'name' },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, d) => (
        <Popconfirm
          title={t('slaAdmin.days.removeConfirm', { date: d.date })}
          okText={t('slaAdmin.days.remove')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            remove.mutate(d.date, {
              onSuccess: () => void message.success(t('slaAdmin.days.removed', { date: d.date })),
              onError: (error) => onError(error),
            })
          }
        >
          <Button
            type="link"
            size="small"
            danger
            icon={<DeleteOutlined />}
            data-testid="remove-day"
          >
            {t('slaAdmin.days.remove')}
          </Button>
        </Popconfirm>
      ),
    });
  }

  return (
    <div data-testid="days-panel">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Flex align="center" gap={8}>
          <Typography.Text>{t('slaAdmin.days.year')}</Typography.Text>
          <Select
            value={year}
            options={years}
            onChange={setYear}
            style={{ width: 100 }}
            data-testid="days-year"
          />
        </Flex>
        <Flex align="center" gap={8} wrap>
          {coverage && (
            <Tag color={coverage.warn ? 'warning' : undefined} data-testid="days-coverage">
              {coverage.coveredUntil
                ? t('slaAdmin.coverage.coverage', { until: coverage.coveredUntil })
                : t('slaAdmin.coverage.coverageNone')}
            </Tag>
          )}
          {canEdit && (
            <Button
              icon={<CalendarOutlined />}
              onClick={() => setImportYearOpen(coverage?.missingYear ?? thisYear + 1)}
              data-testid="import-year"
            >
              {t('slaAdmin.coverage.importYear')}
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            href={calendarExportUrl(calendar.id)}
            download
            data-testid="export-ics"
          >
            {t('slaAdmin.ics.export')}
          </Button>
        </Flex>
      </Flex>
      {importYearOpen !== null && (
        <ImportYearModal
          calendarId={calendar.id}
          open
          initialYear={importYearOpen}
          onClose={closeImportYear}
          onImported={(y) => setYear(y)}
        />
      )}
      {canEdit && (
        <Form<AddValues>
          form={form}
          layout="inline"
          initialValues={{ kind: 'holiday', name: '' }}
          onFinish={add}
          style={{ marginBottom: 16, rowGap: 8 }}
          data-testid="add-day-form"
        >
          <Form.Item name="date" rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker placeholder={t('slaAdmin.days.date')} data-testid="add-day-date" />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              style={{ width: 170 }}
              options={(['holiday', 'workday'] as const).map((k) => ({
                value: k,
                label: t(`slaAdmin.days.kinds.${k}`),
              }))}
              data-testid="add-day-kind"
            />
          </Form.Item>
          <Form.Item name="name">
            <Input
              placeholder={t('slaAdmin.days.namePlaceholder')}
              maxLength={100}
              style={{ width: 200 }}
              data-testid="add-day-name"
            />
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<PlusOutlined />}
              loading={put.isPending}
              data-testid="add-day"
            >
              {t('slaAdmin.days.add')}
            </Button>
          </Form.Item>
        </Form>
      )}
      {days.isError && <QueryError error={days.error} onRetry={() => void days.refetch()} />}
      <Table<SlaDay>
        rowKey="date"
        size="small"
        columns={columns}
        dataSource={days.data ?? []}
        loading={days.isPending}
        pagination={false}
        locale={{ emptyText: <Empty description={t('slaAdmin.days.empty', { year })} /> }}
        data-testid="days-table"
      />
      {canEdit && (
        <>
          <Divider titlePlacement="start">{t('slaAdmin.ics.title')}</Divider>
          <Typography.Paragraph type="secondary">{t('slaAdmin.ics.help')}</Typography.Paragraph>
          <Flex gap={8} align="center" wrap>
            <Select
              value={mode}
              onChange={setMode}
              style={{ width: 240 }}
              options={(['merge', 'replace'] as const).map((m) => ({
                value: m,
                label: t(`slaAdmin.ics.modes.${m}`),
              }))}
              data-testid="ics-mode"
            />
            <Upload accept=".ics,text/calendar" showUploadList={false} beforeUpload={upload}>
              <Button
                icon={<UploadOutlined />}
                loading={importIcs.isPending}
                data-testid="import-ics"
              >
                {t('slaAdmin.ics.import')}
              </Button>
            </Upload>
          </Flex>
          {imported && (
            <Alert
              type={imported.skipped.length ? 'warning' : 'success'}
              showIcon
              closable={{ onClose: () => setImported(null) }}
              style={{ marginTop: 12 }}
              title={t('slaAdmin.ics.result', {
                added: imported.added,
                changed: imported.changed,
                unchanged: imported.unchanged,
                removed: imported.removed,
              })}
              description={
                imported.skipped.length
                  ? t('slaAdmin.ics.skipped', {
                      list: imported.skipped
                        .map((s) => s.summary || s.reason)
                        .join(t('common.listSeparator')),
                    })
                  : undefined
              }
              data-testid="ics-result"
            />
          )}
        </>
      )}
    </div>
  );
}
