import { useState } from 'react';
import { Alert, App, Button, Form, InputNumber, Modal, Radio, Select, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCalendarCoverage, useImportYear, type ImportYearInput } from '../../../api/sla';
import { useApiErrorHandler } from '../../../lib/errors';
import { useServerFieldErrors } from './serverErrors';

interface Values {
  year: number;
  source: 'bundled' | 'file';
  mode: 'merge' | 'replace';
}

/**
 * The yearly update in one step: load a year of holidays and make-up days from the data
 * shipped with Kefu, or from an uploaded .ics / JSON file (`POST …/import-year`).
 */
export function ImportYearModal({
  calendarId,
  open,
  initialYear,
  onClose,
  onImported,
}: {
  calendarId: string;
  open: boolean;
  initialYear: number;
  onClose: () => void;
  onImported: (year: number) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const importYear = useImportYear(calendarId);
  const coverage = useCalendarCoverage(open);
  const onError = useApiErrorHandler();
  const placeErrors = useServerFieldErrors();
  const [file, setFile] = useState<File | null>(null);
  const source = Form.useWatch('source', form);
  const year = Form.useWatch('year', form);
  const bundledYears = coverage.data?.bundledYears ?? [];

  const submit = async (v: Values) => {
    const body: ImportYearInput = { year: v.year, source: 'bundled', mode: v.mode };
    if (v.source === 'file') {
      if (!file) {
        form.setFields([{ name: 'source', errors: [t('slaAdmin.coverage.chooseFile')] }]);
        return;
      }
      body.text = await file.text();
      body.source = /\.json$/i.test(file.name) ? 'json' : 'ics';
    }
    importYear.mutate(body, {
      onSuccess: (r) => {
        void message.success(
          t('slaAdmin.coverage.imported', {
            year: r.year,
            added: r.added,
            changed: r.changed,
            unchanged: r.unchanged,
            removed: r.removed,
          }),
        );
        setFile(null);
        onImported(r.year);
        onClose();
      },
      onError: (error) => {
        const unplaced = placeErrors(
          error,
          form,
          (name) => ['year', 'text', 'source'].includes(String(name[0])),
          (name) => (name[0] === 'text' ? ['source'] : name),
        );
        if (unplaced.length) onError(error);
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('slaAdmin.coverage.importYearTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: importYear.isPending, id: 'import-year-ok' }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          year: initialYear,
          source: bundledYears.includes(initialYear) ? 'bundled' : 'file',
          mode: 'merge',
        }}
        onFinish={(v) => void submit(v)}
        data-testid="import-year-form"
      >
        <Form.Item name="year" label={t('slaAdmin.coverage.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} data-testid="import-year-year" />
        </Form.Item>
        <Form.Item name="source" label={t('slaAdmin.coverage.source')}>
          <Radio.Group data-testid="import-year-source">
            <Radio value="bundled" data-testid="import-year-bundled">
              {t('slaAdmin.coverage.sourceBundled', { years: bundledYears.join(', ') })}
            </Radio>
            <Radio value="file" data-testid="import-year-file">
              {t('slaAdmin.coverage.sourceFile')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {source === 'bundled' && year && !bundledYears.includes(year) && coverage.data && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('slaAdmin.coverage.notBundled', { year })}
          />
        )}
        {source === 'file' && (
          <Form.Item label={t('slaAdmin.coverage.file')}>
            <Upload
              accept=".ics,.json,text/calendar,application/json"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button icon={<UploadOutlined />} data-testid="import-year-upload">
                {t('slaAdmin.coverage.chooseFile')}
              </Button>
            </Upload>
          </Form.Item>
        )}
        <Form.Item name="mode" label={t('slaAdmin.coverage.mode')}>
          <Select
            options={(['merge', 'replace'] as const).map((m) => ({
              value: m,
              label: t(`slaAdmin.coverage.${m === 'merge' ? 'modeMerge' : 'modeReplace'}`),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
