import { Alert, Button, Col, Descriptions, Divider, Form, Input, Row, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { useTicketLookup, type LookupInput } from '../../api/portal';
import { useErrorMessage } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { useTicketLabels } from '../../lib/ticketLabels';
import { PortalLayout } from './PortalLayout';
import { PortalTimeline } from './PortalTimeline';

/** `/portal/lookup` — a guest finds a ticket by its number and the phone or e-mail given. */
export function LookupPage() {
  const { t } = useTranslation();
  const lookup = useTicketLookup();
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  const describe = useErrorMessage();
  const result = lookup.data;
  // One answer for "no such ticket" and "wrong contact", so numbers cannot be probed.
  const notFound = isApiError(lookup.error) && lookup.error.status === 404;

  return (
    <PortalLayout title={t('portal.lookup.title')}>
      <Typography.Paragraph type="secondary">{t('portal.lookup.intro')}</Typography.Paragraph>
      <Form<LookupInput>
        layout="vertical"
        disabled={lookup.isPending}
        onFinish={(values) =>
          lookup.mutate({ number: values.number.trim(), contact: values.contact.trim() })
        }
        data-testid="lookup-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="number"
              label={t('portal.fields.number')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input placeholder="KF-2026-000123" autoComplete="off" data-testid="lookup-number" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="contact"
              label={t('portal.lookup.contact')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input autoComplete="tel email" data-testid="lookup-contact" />
            </Form.Item>
          </Col>
        </Row>
        <Button
          type="primary"
          htmlType="submit"
          icon={<SearchOutlined />}
          loading={lookup.isPending}
          data-testid="lookup-submit"
        >
          {t('portal.lookup.submit')}
        </Button>
      </Form>
      {lookup.isError && (
        <Alert
          type={notFound ? 'warning' : 'error'}
          showIcon
          style={{ marginTop: 16 }}
          title={notFound ? t('portal.lookup.notFound') : describe(lookup.error)}
          data-testid="lookup-error"
        />
      )}
      {result && (
        <div data-testid="lookup-result">
          <Divider />
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'number', label: t('portal.fields.number'), children: result.number },
              { key: 'subject', label: t('portal.fields.subject'), children: result.subject },
              {
                key: 'status',
                label: t('portal.fields.status'),
                children: labels.status(result.status),
              },
              ...(result.receivedAt
                ? [
                    {
                      key: 'receivedAt',
                      label: t('portal.fields.receivedAt'),
                      children: formatDate(result.receivedAt),
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Title level={5}>{t('portal.lookup.history')}</Typography.Title>
          <PortalTimeline entries={result.timeline} downloadable={false} />
        </div>
      )}
    </PortalLayout>
  );
}
