import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Segmented,
  Skeleton,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useAcceptHeld,
  useCreateMailbox,
  useDeleteMailbox,
  useInbound,
  useInboundSettings,
  useMailboxes,
  usePollMailbox,
  useSaveInboundSettings,
  type InboundMail,
  type InboundOutcome,
  type Mailbox,
  type MailboxInput,
} from '../../../api/mailInbound';
import { LoadMore } from '../../../layout/LoadMore';
import { useApiErrorHandler } from '../../../lib/errors';
import { useFormatDateTime } from '../../../lib/format';
import { QueryError } from '../../errors/QueryError';
import { useSettingsErrors } from './common';

const OUTCOME_COLORS: Record<InboundOutcome, string> = {
  ticket: 'green',
  appended: 'green',
  held: 'orange',
  accepted: 'cyan',
  auto_reply: 'default',
  bounce: 'default',
  bulk: 'default',
  blocked: 'red',
  rate_limited: 'red',
  rejected: 'red',
};

interface SettingsForm {
  smtpEnabled: boolean;
  smtpHost: string;
  smtpPort: number;
  defaultCategory: string;
  senderLimit: number;
  senderWindowMinutes: number;
  blocklist: string;
}

function ReceiverCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useInboundSettings();
  const save = useSaveInboundSettings();
  const onError = useSettingsErrors();
  const [form] = Form.useForm<SettingsForm>();
  if (settings.isError)
    return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (settings.isPending) return <Skeleton active />;
  const s = settings.data;
  return (
    <Card title={t('adminSettings.inbound.receiverTitle')} data-testid="inbound-settings">
      <Typography.Paragraph type="secondary">
        {t('adminSettings.inbound.receiverIntro')}
      </Typography.Paragraph>
      {s.smtpEnabled && (
        <Alert
          style={{ marginBottom: 16 }}
          type={s.receiver.listening ? 'success' : 'error'}
          showIcon
          data-testid="receiver-state"
          title={
            s.receiver.listening
              ? t('adminSettings.inbound.listening', { port: s.receiver.port ?? s.smtpPort })
              : t('adminSettings.inbound.notListening', { error: s.receiver.error ?? '' })
          }
        />
      )}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ ...s, blocklist: s.blocklist.join('\n') }}
        onFinish={(v) =>
          save.mutate(
            {
              ...v,
              blocklist: v.blocklist
                .split(/[\s,]+/)
                .map((x) => x.trim())
                .filter(Boolean),
            },
            {
              onSuccess: () => void message.success(t('adminSettings.saved')),
              onError: (e) => onError(e, form),
            },
          )
        }
      >
        <Form.Item
          name="smtpEnabled"
          label={t('adminSettings.inbound.smtpEnabled')}
          valuePropName="checked"
        >
          <Switch data-testid="smtp-enabled" />
        </Form.Item>
        <Flex gap={16} wrap>
          <Form.Item name="smtpHost" label={t('adminSettings.inbound.smtpHost')}>
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="smtpPort" label={t('adminSettings.inbound.smtpPort')}>
            <InputNumber min={1} max={65535} />
          </Form.Item>
          <Form.Item name="defaultCategory" label={t('adminSettings.inbound.defaultCategory')}>
            <Input style={{ width: 180 }} />
          </Form.Item>
        </Flex>
        <Flex gap={16} wrap>
          <Form.Item name="senderLimit" label={t('adminSettings.inbound.senderLimit')}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
          <Form.Item name="senderWindowMinutes" label={t('adminSettings.inbound.senderWindow')}>
            <InputNumber min={1} max={10080} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="blocklist"
          label={t('adminSettings.inbound.blocklist')}
          extra={t('adminSettings.inbound.blocklistHelp')}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={save.isPending}
          data-testid="inbound-save"
        >
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

function MailboxesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const formatDate = useFormatDateTime();
  const boxes = useMailboxes();
  const create = useCreateMailbox();
  const remove = useDeleteMailbox();
  const poll = usePollMailbox();
  const onError = useApiErrorHandler();
  const settingsErrors = useSettingsErrors();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<MailboxInput>();
  if (boxes.isError) return <QueryError error={boxes.error} onRetry={() => void boxes.refetch()} />;

  const columns: TableColumnsType<Mailbox> = [
    { title: t('adminSettings.inbound.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('adminSettings.inbound.address'),
      dataIndex: 'address',
      key: 'address',
      ellipsis: true,
    },
    {
      title: t('adminSettings.inbound.server'),
      key: 'server',
      ellipsis: true,
      render: (_, b) => `${b.host}:${b.port}${b.tls ? ' (TLS)' : ''}`,
    },
    {
      title: t('adminSettings.inbound.lastPolled'),
      key: 'lastPolled',
      render: (_, b) =>
        b.lastError ? (
          <Typography.Text type="danger" data-testid="mailbox-error">
            {b.lastError}
          </Typography.Text>
        ) : b.lastPolledAt ? (
          formatDate(b.lastPolledAt)
        ) : (
          '—'
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_, b) => (
        <Flex gap={8}>
          <Button
            size="small"
            data-testid="mailbox-poll"
            loading={poll.isPending && poll.variables === b.id}
            onClick={() =>
              poll.mutate(b.id, {
                onSuccess: (r) =>
                  r.error
                    ? void message.error(r.error)
                    : void message.success(
                        t('adminSettings.inbound.polled', { count: r.processed }),
                      ),
                onError: (e) => onError(e),
              })
            }
          >
            {t('adminSettings.inbound.pollNow')}
          </Button>
          <Popconfirm
            title={t('adminSettings.inbound.deleteConfirm')}
            onConfirm={() => remove.mutate(b.id, { onError: (e) => onError(e) })}
          >
            <Button size="small" danger>
              {t('adminSettings.inbound.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t('adminSettings.inbound.mailboxesTitle')}
      extra={
        <Button type="primary" onClick={() => setOpen(true)} data-testid="mailbox-add">
          {t('adminSettings.inbound.addMailbox')}
        </Button>
      }
    >
      <Table
        rowKey="id"
        size="small"
        loading={boxes.isPending}
        dataSource={boxes.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 720 }}
        data-testid="mailboxes"
      />
      <Modal
        open={open}
        title={t('adminSettings.inbound.addMailbox')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'mailbox-submit' } as Record<`data-${string}`, string>}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ port: 993, tls: true, folder: 'INBOX', pollSeconds: 60, active: true }}
          onFinish={(v) =>
            create.mutate(v, {
              onSuccess: () => {
                setOpen(false);
                form.resetFields();
              },
              onError: (e) => settingsErrors(e, form),
            })
          }
        >
          <Form.Item
            name="name"
            label={t('adminSettings.inbound.name')}
            rules={[{ required: true }]}
          >
            <Input data-testid="mailbox-name" />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('adminSettings.inbound.address')}
            rules={[{ required: true }]}
          >
            <Input data-testid="mailbox-address" />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item
              name="host"
              label={t('adminSettings.inbound.host')}
              rules={[{ required: true }]}
            >
              <Input data-testid="mailbox-host" />
            </Form.Item>
            <Form.Item name="port" label={t('adminSettings.inbound.smtpPort')}>
              <InputNumber min={1} max={65535} data-testid="mailbox-port" />
            </Form.Item>
            <Form.Item name="tls" label="TLS" valuePropName="checked">
              <Switch data-testid="mailbox-tls" />
            </Form.Item>
          </Flex>
          <Form.Item
            name="username"
            label={t('adminSettings.inbound.username')}
            rules={[{ required: true }]}
          >
            <Input data-testid="mailbox-username" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('adminSettings.inbound.password')}
            rules={[{ required: true }]}
          >
            <Input.Password data-testid="mailbox-password" autoComplete="new-password" />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item name="folder" label={t('adminSettings.inbound.folder')}>
              <Input />
            </Form.Item>
            <Form.Item name="pollSeconds" label={t('adminSettings.inbound.pollSeconds')}>
              <InputNumber min={10} max={86400} />
            </Form.Item>
          </Flex>
        </Form>
      </Modal>
    </Card>
  );
}

function ReceivedCard() {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  const [outcome, setOutcome] = useState<InboundOutcome | 'all'>('all');
  const list = useInbound(outcome === 'all' ? undefined : outcome);
  const accept = useAcceptHeld();
  const onError = useApiErrorHandler();
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const columns: TableColumnsType<InboundMail> = [
    {
      title: t('adminSettings.inbound.arrivedAt'),
      key: 'at',
      width: 170,
      render: (_, m) => formatDate(m.arrivedAt),
    },
    { title: t('adminSettings.inbound.from'), dataIndex: 'from', key: 'from', ellipsis: true },
    {
      title: t('adminSettings.mail.subject'),
      dataIndex: 'subject',
      key: 'subject',
      ellipsis: true,
    },
    {
      title: t('adminSettings.inbound.outcome'),
      key: 'outcome',
      width: 130,
      render: (_, m) => (
        <Tag
          color={OUTCOME_COLORS[m.outcome]}
          data-testid="inbound-outcome"
          data-outcome={m.outcome}
        >
          {t(`adminSettings.inbound.outcomes.${m.outcome}`)}
        </Tag>
      ),
    },
    {
      title: t('adminSettings.inbound.reason'),
      dataIndex: 'reason',
      key: 'reason',
      ellipsis: true,
    },
    {
      title: t('adminSettings.mail.ticket'),
      key: 'ticket',
      width: 150,
      render: (_, m) => (
        <Flex gap={8}>
          {m.ticketId ? (
            <Link to={`/tickets/${m.ticketId}`}>{t('adminSettings.mail.openTicket')}</Link>
          ) : (
            '—'
          )}
          {m.outcome === 'held' && (
            <Button
              size="small"
              data-testid="inbound-accept"
              onClick={() => accept.mutate(m.id, { onError: (e) => onError(e) })}
            >
              {t('adminSettings.inbound.accept')}
            </Button>
          )}
        </Flex>
      ),
    },
  ];
  return (
    <Card title={t('adminSettings.inbound.receivedTitle')}>
      <Segmented
        style={{ marginBottom: 12 }}
        value={outcome}
        onChange={(v) => setOutcome(v as InboundOutcome | 'all')}
        options={(['all', 'ticket', 'appended', 'held', 'rejected'] as const).map((k) => ({
          value: k,
          label:
            k === 'all' ? t('adminSettings.inbound.all') : t(`adminSettings.inbound.outcomes.${k}`),
        }))}
      />
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Table
            rowKey="id"
            size="small"
            loading={list.isPending}
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 900 }}
            data-testid="inbound-list"
          />
          <LoadMore query={list} />
        </>
      )}
    </Card>
  );
}

/** Inbound mail: the SMTP receiver, IMAP mailboxes, and what became of each message received. */
export function InboundMailTab() {
  return (
    <Flex vertical gap={16}>
      <ReceiverCard />
      <MailboxesCard />
      <ReceivedCard />
    </Flex>
  );
}
