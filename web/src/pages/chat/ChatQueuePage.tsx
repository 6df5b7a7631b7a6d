import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  List,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAbilities } from '../../api/auth';
import {
  invalidateChat,
  useAcceptChat,
  useCannedReplies,
  useChatConversation,
  useChatQueue,
  useChatSocket,
  useCloseChat,
  useSendChat,
  useTransferChat,
  type ChatMessage,
  type ChatSocketEvent,
} from '../../api/chat';
import { isApiError } from '../../api/client';
import { useAllTeams } from '../../api/teams';
import { useAssignableUsers } from '../../api/tickets';
import { PhraseWarning } from '../tickets/detail/PhraseWarning';

const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** The human queue: waiting chats live with waiting time, my chats, and the open conversation. */
export function ChatQueuePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queue = useChatQueue();
  const accept = useAcceptChat();
  const [openId, setOpenId] = useState<string | null>(null);
  const [typing, setTyping] = useState<Record<string, number>>({});
  const mineIds = useMemo(() => (queue.data?.mine ?? []).map((c) => c.id), [queue.data]);
  const send = useChatSocket((e: ChatSocketEvent) => {
    if (e.t === 'typing' && e.conversationId) {
      setTyping((x) => ({ ...x, [e.conversationId!]: (x[e.conversationId!] ?? 0) + 1 }));
      const id = e.conversationId;
      setTimeout(() => setTyping((x) => ({ ...x, [id]: Math.max(0, (x[id] ?? 1) - 1) })), 3000);
    } else void invalidateChat();
  }, mineIds);

  const onAccept = (id: string) =>
    accept.mutate(id, {
      onSuccess: () => setOpenId(id),
      onError: (err) => void message.error(isApiError(err) ? err.problem.detail : String(err)),
    });

  const stats = queue.data?.stats;
  return (
    <Flex vertical gap={16} data-testid="chat-queue-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('chat.title')}
      </Typography.Title>
      {stats && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic
                title={t('chat.queueLength')}
                value={stats.queueLength}
                data-testid="chat-queue-length"
              />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic
                title={t('chat.longestWait')}
                value={mmss(stats.longestWaitSeconds)}
                data-testid="chat-longest-wait"
              />
            </Card>
          </Col>
          <Col xs={12} md={6}>
            <Card size="small">
              <Statistic title={t('chat.activeCount')} value={stats.activeCount} />
            </Card>
          </Col>
        </Row>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card
            size="small"
            title={
              <Space>
                {t('chat.waiting')}
                <Badge count={queue.data?.waiting.length ?? 0} showZero />
              </Space>
            }
          >
            <List
              data-testid="chat-waiting"
              locale={{ emptyText: t('chat.noneWaiting') }}
              dataSource={queue.data?.waiting ?? []}
              renderItem={(c) => (
                <List.Item
                  data-testid="chat-waiting-item"
                  actions={[
                    <Button
                      key="a"
                      type="primary"
                      size="small"
                      loading={accept.isPending}
                      onClick={() => onAccept(c.id)}
                      data-testid="chat-accept"
                    >
                      {t('chat.accept')}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta
                    title={c.customerName}
                    description={
                      <Space wrap>
                        <Tag color={c.waitSeconds >= 30 ? 'red' : 'blue'}>
                          {t('chat.waited', { time: mmss(c.waitSeconds) })}
                        </Tag>
                        {c.team && <Tag>{c.team.name}</Tag>}
                        {c.ticketNumber}
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
          <Card
            size="small"
            style={{ marginTop: 16 }}
            title={t('chat.mine', {
              count: queue.data?.mine.length ?? 0,
              limit: queue.data?.concurrencyLimit ?? 0,
            })}
          >
            <List
              data-testid="chat-mine"
              locale={{ emptyText: t('chat.noneMine') }}
              dataSource={queue.data?.mine ?? []}
              renderItem={(c) => (
                <List.Item
                  onClick={() => setOpenId(c.id)}
                  style={{
                    cursor: 'pointer',
                    background: c.id === openId ? '#e6f4ff' : undefined,
                    paddingInline: 8,
                  }}
                  data-testid="chat-mine-item"
                >
                  <Space>
                    {c.customerName}
                    {c.lastSeq > c.agentReadSeq && <Badge status="processing" />}
                    {(typing[c.id] ?? 0) > 0 && <Tag>{t('chat.visitorTyping')}</Tag>}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          {openId ? (
            <ConversationPane
              key={openId}
              id={openId}
              typing={(typing[openId] ?? 0) > 0}
              socketSend={send}
              onGone={() => setOpenId(null)}
            />
          ) : (
            <Card>
              <Empty description={t('chat.pick')} />
            </Card>
          )}
        </Col>
      </Row>
    </Flex>
  );
}

function Bubble({ m, readUpTo }: { m: ChatMessage; readUpTo: number }) {
  const { t } = useTranslation();
  if (m.author === 'system')
    return (
      <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'center' }}>
        {m.data.idle
          ? t('chat.system.idle_closed', { minutes: Number(m.data.minutes ?? 0) })
          : t(`chat.system.${String(m.data.kind ?? 'other')}`, {
              name: m.data.agentName ?? '',
              defaultValue: m.body,
            })}
      </Typography.Text>
    );
  const mine = m.author === 'agent';
  const articles = (m.data.articles ?? []) as { title: string; version: number | null }[];
  const file =
    m.data.kind === 'file'
      ? (m.data.attachment as { id: string; filename: string; mimeType: string; size: number })
      : null;
  return (
    <Flex justify={mine ? 'flex-end' : 'flex-start'}>
      <div
        data-testid={`chat-msg-${m.author}`}
        style={{
          maxWidth: '80%',
          padding: '6px 10px',
          borderRadius: 8,
          background: mine ? '#1677ff' : m.author === 'bot' ? '#f6ffed' : '#f0f0f0',
          color: mine ? '#fff' : undefined,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
        }}
      >
        <div style={{ fontSize: 12, opacity: 0.7 }}>
          {m.author === 'bot'
            ? t('chat.bot')
            : m.author === 'visitor'
              ? t('chat.visitor')
              : m.agentName}
        </div>
        {file ? (
          <a
            data-testid="chat-msg-file"
            href={`/api/v1/attachments/${file.id}/content`}
            target="_blank"
            rel="noopener noreferrer"
          >
            {file.mimeType.startsWith('image/') && (
              <img
                src={`/api/v1/attachments/${file.id}/content`}
                alt={file.filename}
                style={{ display: 'block', maxWidth: 220, maxHeight: 160, borderRadius: 4 }}
              />
            )}
            📎 {file.filename} ({Math.max(1, Math.round(file.size / 1024))} KB)
          </a>
        ) : m.author === 'bot' && articles.length > 0 ? (
          articles.map((a) => (
            <div key={a.title}>
              {a.title} {a.version ? `(v${a.version})` : ''}
            </div>
          ))
        ) : (
          m.body
        )}
        {mine && m.seq <= readUpTo && (
          <div style={{ fontSize: 11, opacity: 0.8, textAlign: 'right' }}>{t('chat.read')}</div>
        )}
      </div>
    </Flex>
  );
}

function ConversationPane({
  id,
  typing,
  socketSend,
  onGone,
}: {
  id: string;
  typing: boolean;
  socketSend: (f: unknown) => void;
  onGone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const conv = useChatConversation(id);
  const sendMsg = useSendChat(id);
  const transfer = useTransferChat(id);
  const close = useCloseChat(id);
  const canned = useCannedReplies();
  const users = useAssignableUsers(can('users.list'));
  const teams = useAllTeams();
  const [draft, setDraft] = useState('');
  const [lastTyping, setLastTyping] = useState(0);
  const messages = conv.data?.messages ?? [];
  const last = messages.at(-1)?.seq ?? 0;
  const active = conv.data?.state === 'active' && conv.data.mine;

  const [readSent, setReadSent] = useState(0);
  if (last > readSent && active) {
    setReadSent(last);
    socketSend({ t: 'read', conversationId: id, seq: last });
  }

  const fail = (err: unknown) =>
    void message.error(isApiError(err) ? err.problem.detail : String(err));
  const submit = () => {
    const body = draft.trim();
    if (!body) return;
    const clientId = `a-${id.slice(0, 8)}-${messages.length}-${body.length}-${Math.random().toString(36).slice(2, 8)}`;
    sendMsg.mutate({ clientId, body }, { onSuccess: () => setDraft(''), onError: fail });
  };

  return (
    <Card
      size="small"
      data-testid="chat-conversation"
      title={
        <Space wrap>
          {t(`chat.state.${conv.data?.state ?? 'active'}`)}
          {conv.data?.ticketId && (
            <Link to={`/tickets/${conv.data.ticketId}`}>{t('chat.openTicket')}</Link>
          )}
        </Space>
      }
      extra={
        active && (
          <Space wrap>
            <Select
              size="small"
              style={{ width: 180 }}
              placeholder={t('chat.transfer')}
              data-testid="chat-transfer"
              options={[
                ...(users.data ?? []).map((u) => ({ value: `u:${u.id}`, label: u.name })),
                ...(teams.data ?? []).map((x) => ({
                  value: `t:${x.id}`,
                  label: `${t('chat.team')}: ${x.name}`,
                })),
              ]}
              onChange={(v: string) =>
                transfer.mutate(
                  v.startsWith('u:') ? { agentId: v.slice(2) } : { teamId: v.slice(2) },
                  { onSuccess: onGone, onError: fail },
                )
              }
            />
            <Button
              size="small"
              danger
              onClick={() => close.mutate(undefined, { onSuccess: onGone, onError: fail })}
              data-testid="chat-close"
            >
              {t('chat.close')}
            </Button>
          </Space>
        )
      }
    >
      <Flex
        vertical
        gap={8}
        style={{ height: 380, overflowY: 'auto', padding: 4 }}
        data-testid="chat-log"
      >
        {messages.map((m) => (
          <Bubble key={m.seq} m={m} readUpTo={conv.data?.visitorReadSeq ?? 0} />
        ))}
      </Flex>
      <div style={{ height: 20, fontSize: 12, color: '#888' }}>
        {typing ? t('chat.visitorTyping') : ''}
      </div>
      {active ? (
        <Flex vertical gap={8}>
          <Select
            size="small"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('chat.canned')}
            options={(canned.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
            onChange={(v?: string) => {
              const c = canned.data?.find((x) => x.id === v);
              if (c) setDraft((d) => (d ? `${d}\n${c.body}` : c.body).slice(0, 5000));
            }}
          />
          <Input.TextArea
            rows={3}
            value={draft}
            maxLength={5000}
            placeholder={t('chat.placeholder')}
            data-testid="chat-input"
            onChange={(e) => {
              setDraft(e.target.value);
              const now = e.timeStamp;
              if (now - lastTyping > 2000) {
                setLastTyping(now);
                socketSend({ t: 'typing', conversationId: id });
              }
            }}
            onPressEnter={(e) => {
              if (!e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                submit();
              }
            }}
          />
          <PhraseWarning text={draft} />
          <Flex justify="flex-end">
            <Button
              type="primary"
              onClick={submit}
              loading={sendMsg.isPending}
              data-testid="chat-send"
            >
              {t('chat.send')}
            </Button>
          </Flex>
        </Flex>
      ) : (
        <Alert type="info" message={t('chat.notActive')} />
      )}
    </Card>
  );
}
