import { useState } from 'react';
import { Alert, AutoComplete, Button, Card, Col, Form, Input, Row, Space, Tag } from 'antd';
import type { FormInstance } from 'antd';
import { CloseOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCustomerMatch, useCustomerPhoneLookup } from '../../../api/customers';
import type { Customer } from '../../../api/ticketTypes';

interface Props {
  form: FormInstance;
}

function describe(customer: Customer): string {
  return [customer.name, customer.phone, customer.email, customer.organisation]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Customer of a new ticket: type a phone number and pick an existing customer from the
 * suggestions (sets `customerId`), or fill the new customer's name / phone / email inline
 * (`customer.*`), with hints when the phone or e-mail already belongs to someone.
 */
export function CustomerField({ form }: Props) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Customer | null>(null);
  const phone = Form.useWatch<string | undefined>(['customer', 'phone'], form) ?? '';
  const email = Form.useWatch<string | undefined>(['customer', 'email'], form) ?? '';
  const byPhone = useCustomerPhoneLookup(picked ? '' : phone);
  // Exact matches (the server compares whole numbers in any form, +86 or not, and e-mails).
  const known = useCustomerMatch(picked ? '' : phone, picked ? '' : email);
  const phoneMatches = byPhone.data?.data ?? [];

  const pick = (customer: Customer) => {
    setPicked(customer);
    form.setFieldValue('customerId', customer.id);
  };
  const unpick = () => {
    setPicked(null);
    form.setFieldValue('customerId', undefined);
  };

  const requiredContact = {
    validator: () => {
      const values = form.getFieldValue('customer') as { phone?: string; email?: string };
      return picked || values?.phone?.trim() || values?.email?.trim()
        ? Promise.resolve()
        : Promise.reject(new Error(t('tickets.form.contactRequired')));
    },
  };

  // Known customers: shown while typing, with a button to register the ticket for them.
  const duplicates = known.data?.data ?? [];

  return (
    <>
      <Form.Item name="customerId" hidden>
        <Input />
      </Form.Item>
      {picked ? (
        <Form.Item label={t('tickets.fields.customer')}>
          <Card size="small" data-testid="picked-customer">
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Space>
                <UserOutlined />
                <span>{describe(picked)}</span>
                <Tag>{t(`customers.tier.${picked.tier}`)}</Tag>
              </Space>
              <Button
                size="small"
                type="text"
                icon={<CloseOutlined />}
                onClick={unpick}
                aria-label={t('tickets.form.changeCustomer')}
                title={t('tickets.form.changeCustomer')}
              />
            </Space>
          </Card>
        </Form.Item>
      ) : (
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name={['customer', 'phone']}
              label={t('customers.fields.phone')}
              extra={t('tickets.form.phoneLookupHint')}
              rules={[requiredContact]}
            >
              <AutoComplete
                options={phoneMatches.map((c) => ({ value: c.id, label: describe(c) }))}
                onSelect={(id: string) => {
                  const customer = phoneMatches.find((c) => c.id === id);
                  if (customer) pick(customer);
                }}
                data-testid="customer-phone"
              >
                <Input inputMode="tel" autoComplete="off" autoFocus />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['customer', 'name']}
              label={t('customers.fields.name')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input autoComplete="off" data-testid="customer-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['customer', 'email']}
              label={t('customers.fields.email')}
              rules={[{ type: 'email', message: t('validation.email') }, requiredContact]}
            >
              <Input autoComplete="off" data-testid="customer-email" />
            </Form.Item>
          </Col>
          {duplicates.length > 0 && (
            <Col span={24}>
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="duplicate-hint"
                title={t('tickets.form.duplicateHint', { count: duplicates.length })}
                description={
                  <Space wrap>
                    {duplicates.map((c) => (
                      <Button key={c.id} size="small" onClick={() => pick(c)}>
                        {t('tickets.form.useCustomer', { name: describe(c) })}
                      </Button>
                    ))}
                  </Space>
                }
              />
            </Col>
          )}
        </Row>
      )}
    </>
  );
}
