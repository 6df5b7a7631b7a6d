import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, InputNumber, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import {
  useChatSettings,
  useChatSites,
  useCreateChatSite,
  useUpdateChatSettings,
  type ChatSettings,
} from '../../api/chat';
import { isApiError } from '../../api/client';

/** Chat settings (per-agent concurrency, FAQ assistant) and the sites that embed the widget. */
export function ChatAdminPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('chatSettings.manage');
  const settings = useChatSettings();
  const update = useUpdateChatSettings();
  const sites = useChatSites();
  const create = useCreateChatSite();
  const [name, setName] = useState('');
  const fail = (err: unknown) =>
    void message.error(isApiError(err) ? err.problem.detail : String(err));

  return (
    <Flex vertical gap={16} data-testid="chat-admin-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('chat.admin.title')}
      </Typography.Title>
      <Card size="small" title={t('chat.admin.settings')}>
        {settings.data && (
          <Form<ChatSettings>
            layout="vertical"
            initialValues={settings.data}
            disabled={!manage}
            onFinish={(v) =>
              update.mutate(v, {
                onSuccess: () => void message.success(t('chat.admin.saved')),
                onError: fail,
              })
            }
            style={{ maxWidth: 480 }}
          >
            <Form.Item name="enabled" label={t('chat.admin.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="agentConcurrency" label={t('chat.admin.agentConcurrency')}>
              <InputNumber min={1} max={50} data-testid="chat-concurrency" />
            </Form.Item>
            <Form.Item name="botEnabled" label={t('chat.admin.botEnabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="botAnswers" label={t('chat.admin.botAnswers')}>
              <InputNumber min={1} max={10} />
            </Form.Item>
            <Form.Item name="botMaxMisses" label={t('chat.admin.botMaxMisses')}>
              <InputNumber min={1} max={10} />
            </Form.Item>
            <Form.Item name="ticketCategory" label={t('chat.admin.ticketCategory')}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="visitorCookieDays" label={t('chat.admin.visitorCookieDays')}>
              <InputNumber min={1} max={400} />
            </Form.Item>
            <Form.Item
              name="idleCloseMinutes"
              label={t('chat.admin.idleCloseMinutes')}
              extra={t('chat.admin.idleCloseHelp')}
            >
              <InputNumber min={0} max={1440} data-testid="chat-idle-minutes" />
            </Form.Item>
            {manage && (
              <Button type="primary" htmlType="submit" loading={update.isPending}>
                {t('chat.admin.save')}
              </Button>
            )}
          </Form>
        )}
      </Card>
      <Card size="small" title={t('chat.admin.sites')}>
        {manage && (
          <Flex gap={8} style={{ marginBottom: 12 }} wrap>
            <Input
              style={{ maxWidth: 280 }}
              value={name}
              maxLength={200}
              placeholder={t('chat.admin.siteName')}
              onChange={(e) => setName(e.target.value)}
            />
            <Button
              disabled={!name.trim()}
              loading={create.isPending}
              onClick={() =>
                create.mutate(
                  { name: name.trim() },
                  { onSuccess: () => setName(''), onError: fail },
                )
              }
            >
              {t('chat.admin.addSite')}
            </Button>
          </Flex>
        )}
        <Table
          size="small"
          rowKey="id"
          scroll={{ x: true }}
          pagination={false}
          dataSource={sites.data ?? []}
          columns={[
            { title: t('chat.admin.siteName'), dataIndex: 'name' },
            {
              title: t('chat.admin.embed'),
              key: 'embed',
              render: (_, s) => (
                <Typography.Text code copyable style={{ fontSize: 12 }}>
                  {`<script src="${location.origin}/widget.js" data-kefu-key="${s.publicKey}" async></script>`}
                </Typography.Text>
              ),
            },
            {
              title: t('chat.admin.secret'),
              key: 'secret',
              render: (_, s) => (
                <Typography.Text copyable={{ text: s.secret }}>••••••••</Typography.Text>
              ),
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t('chat.admin.hmacHelp')}
        </Typography.Paragraph>
      </Card>
    </Flex>
  );
}
