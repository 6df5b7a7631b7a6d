import { useState } from 'react';
import { App, Button, Flex, Input, Segmented, Typography, theme } from 'antd';
import { LockOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AttachmentRef } from '../../../api/attachments';
import { useReply } from '../../../api/tickets';
import type { Ticket } from '../../../api/ticketTypes';
import { useTicketErrorHandler } from './useTicketErrors';
import { CiteArticles } from './CiteArticles';
import { PhraseWarning } from './PhraseWarning';
import { filesForReply, ReplyAttachments } from '../../attachments/ReplyAttachments';

type Visibility = 'public' | 'internal';

/** Public reply to the customer or internal note (黄色, staff only); Ctrl+Enter sends. */
export function ReplyBox({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  // A closed ticket takes internal notes only: reopen it to reply to the customer (409 otherwise).
  const closed = ticket.status === 'closed';
  const [chosen, setVisibility] = useState<Visibility>('public');
  const visibility: Visibility = closed ? 'internal' : chosen;
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<AttachmentRef[]>([]);
  const reply = useReply();
  const onError = useTicketErrorHandler();
  const internal = visibility === 'internal';

  const send = () => {
    const text = body.trim();
    if (!text || reply.isPending) return;
    const attachmentIds = filesForReply(files, visibility).map((f) => f.id);
    reply.mutate(
      { ticket, body: text, visibility, ...(attachmentIds.length > 0 && { attachmentIds }) },
      {
        onSuccess: () => {
          setBody('');
          setFiles([]);
          void message.success(t(internal ? 'tickets.reply.noteAdded' : 'tickets.reply.sent'));
        },
        onError: (error) => onError(error),
      },
    );
  };

  return (
    <div data-testid="reply-box">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Segmented<Visibility>
          value={visibility}
          onChange={setVisibility}
          options={[
            { value: 'public', label: t('tickets.reply.public'), disabled: closed },
            { value: 'internal', label: t('tickets.reply.internal'), icon: <LockOutlined /> },
          ]}
          data-testid="reply-visibility"
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(
            closed
              ? 'tickets.reply.closedHint'
              : internal
                ? 'tickets.reply.internalHint'
                : 'tickets.reply.publicHint',
          )}
        </Typography.Text>
      </Flex>
      <Input.TextArea
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        maxLength={10_000}
        placeholder={t(internal ? 'tickets.reply.notePlaceholder' : 'tickets.reply.placeholder')}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send();
        }}
        style={internal ? { background: token.colorWarningBg } : undefined}
        data-testid="reply-body"
      />
      {/* Knowledge base: phrase check of public replies, suggested articles to cite. */}
      <PhraseWarning text={internal ? '' : body} />
      <ReplyAttachments
        ticketId={ticket.id}
        visibility={visibility}
        value={files}
        onChange={setFiles}
      />
      <CiteArticles
        ticket={ticket}
        onInsert={(text) => setBody((b) => (b ? `${b}\n${text}` : text))}
      />
      <Flex justify="end" style={{ marginTop: 8 }}>
        <Button
          type="primary"
          icon={internal ? <LockOutlined /> : <SendOutlined />}
          onClick={send}
          loading={reply.isPending}
          disabled={!body.trim()}
          data-testid="reply-send"
        >
          {t(internal ? 'tickets.reply.addNote' : 'tickets.reply.send')}
        </Button>
      </Flex>
    </div>
  );
}
