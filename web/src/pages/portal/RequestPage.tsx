import { useState } from 'react';
import {
  Alert,
  Button,
  Descriptions,
  Divider,
  Flex,
  Form,
  Input,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { CheckOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import {
  useDecideRequest,
  useMyRequest,
  useReplyToRequest,
  type PortalRequestDetail,
} from '../../api/portal';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { STATUS_COLORS, useTicketLabels } from '../../lib/ticketLabels';
import { QueryError } from '../errors/QueryError';
import { filesOf, PortalFilePicker, useSendFiles, type ChosenFiles } from './PortalFiles';
import { PortalLayout } from './PortalLayout';
import { PortalNav, RequirePortal } from './RequirePortal';
import { PortalTimeline } from './PortalTimeline';

/** `/portal/requests/:id` — one request: its public history, a reply box, confirm / reject. */
export function RequestPage() {
  const { t } = useTranslation();
  return (
    <PortalLayout title={t('portal.request.title')}>
      <RequirePortal>
        {(account) => (
          <>
            <PortalNav account={account} />
            <RequestDetail />
          </>
        )}
      </RequirePortal>
    </PortalLayout>
  );
}

function RequestDetail() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const request = useMyRequest(id);
  const labels = useTicketLabels({ staff: false });
  const formatDate = useFormatDateTime();
  if (request.isPending) return <Skeleton active />;
  if (request.isError)
    return <QueryError error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  return (
    <div data-testid="portal-request">
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'number', label: t('portal.fields.number'), children: r.number },
          { key: 'subject', label: t('portal.fields.subject'), children: r.subject },
          {
            key: 'status',
            label: t('portal.fields.status'),
            children: (
              <Tag color={STATUS_COLORS[r.status]} data-testid="portal-request-status">
                {labels.status(r.status)}
              </Tag>
            ),
          },
          {
            key: 'receivedAt',
            label: t('portal.fields.receivedAt'),
            children: formatDate(r.receivedAt),
          },
          {
            key: 'description',
            label: t('portal.request.description'),
            children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.description}</span>,
          },
        ]}
      />
      {r.awaitingConfirmation && <Decision request={r} />}
      <Divider />
      <Typography.Title level={5}>{t('portal.lookup.history')}</Typography.Title>
      <PortalTimeline entries={r.timeline} />
      {r.canReply ? (
        <ReplyBox id={r.id} />
      ) : (
        <Typography.Text type="secondary">{t('portal.request.closedHint')}</Typography.Text>
      )}
    </div>
  );
}

function ReplyBox({ id }: { id: string }) {
  const { t } = useTranslation();
  const reply = useReplyToRequest(id);
  const onError = useApiErrorHandler();
  const [form] = Form.useForm<{ body: string }>();
  const [chosen, setChosen] = useState<ChosenFiles>([]);
  const sendFiles = useSendFiles();
  const [sendingFiles, setSendingFiles] = useState(false);
  const busy = reply.isPending || sendingFiles;

  /** Files go first (each is checked on its own), then the message naming those that arrived. */
  const send = async ({ body }: { body: string }) => {
    setSendingFiles(true);
    let attachmentIds: string[];
    try {
      attachmentIds = (await sendFiles(id, filesOf(chosen))).map((f) => f.id);
    } finally {
      setSendingFiles(false);
    }
    reply.mutate(
      { body, ...(attachmentIds.length > 0 && { attachmentIds }) },
      {
        onSuccess: () => {
          form.resetFields();
          setChosen([]);
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Form<{ body: string }>
      form={form}
      layout="vertical"
      disabled={busy}
      onFinish={(values) => void send(values)}
      data-testid="portal-reply"
    >
      <Form.Item
        name="body"
        label={t('portal.request.reply')}
        rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
      >
        <Input.TextArea rows={3} maxLength={10_000} data-testid="portal-reply-body" />
      </Form.Item>
      <PortalFilePicker
        value={chosen}
        onChange={setChosen}
        disabled={busy}
        testId="portal-reply-files"
      />
      <Button
        htmlType="submit"
        icon={<SendOutlined />}
        loading={busy}
        data-testid="portal-reply-send"
      >
        {t('portal.request.send')}
      </Button>
    </Form>
  );
}

function Decision({ request }: { request: PortalRequestDetail }) {
  const { t } = useTranslation();
  const decide = useDecideRequest(request.id);
  const onError = useApiErrorHandler();
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginTop: 16 }}
      title={t('portal.confirm.question')}
      data-testid="portal-decision"
      description={
        rejecting ? (
          <Form<{ reason: string }>
            form={form}
            layout="vertical"
            onFinish={({ reason }) =>
              decide.mutate(
                { decision: 'reject', reason },
                { onError: (error) => onError(error, form) },
              )
            }
          >
            <Form.Item
              name="reason"
              label={t('portal.confirm.reason')}
              rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
            >
              <Input.TextArea rows={3} maxLength={2000} data-testid="portal-reject-reason" />
            </Form.Item>
            <Button htmlType="submit" danger loading={decide.isPending}>
              {t('portal.confirm.sendReject')}
            </Button>
          </Form>
        ) : (
          <Flex gap={8} wrap style={{ marginTop: 8 }}>
            <Button
              type="primary"
              icon={<CheckOutlined />}
              loading={decide.isPending}
              onClick={() => decide.mutate({ decision: 'confirm' }, { onError: (e) => onError(e) })}
              data-testid="portal-confirm"
            >
              {t('portal.confirm.confirm')}
            </Button>
            <Button
              icon={<CloseOutlined />}
              onClick={() => setRejecting(true)}
              data-testid="portal-reject"
            >
              {t('portal.confirm.reject')}
            </Button>
          </Flex>
        )
      }
    />
  );
}
