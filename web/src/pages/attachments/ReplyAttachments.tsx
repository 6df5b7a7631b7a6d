import { useState, type Dispatch, type SetStateAction } from 'react';
import { App, Button, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import { LockOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  useAttachmentSettings,
  useUploadTicketAttachment,
  type AttachmentRef,
  type AttachmentVisibility,
} from '../../api/attachments';
import { FileIcon } from './AttachmentLinks';
import { formatBytes, useUploadErrorText } from './uploadErrors';

interface Props {
  ticketId: string;
  /** New files take the reply's visibility (a public reply may carry public files only). */
  visibility: AttachmentVisibility;
  value: AttachmentRef[];
  /** A state setter: several files may finish uploading in any order. */
  onChange: Dispatch<SetStateAction<AttachmentRef[]>>;
}

/** The files a reply of this visibility may carry (a public reply: public files only). */
export const filesForReply = (files: AttachmentRef[], visibility: AttachmentVisibility) =>
  files.filter((f) => visibility === 'internal' || f.visibility === 'public');

/**
 * The reply box's paper clip: each chosen file is uploaded to the ticket at once (its own
 * timeline entry) and listed here; sending the reply names them so they show with it.
 */
export function ReplyAttachments({ ticketId, visibility, value, onChange }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useAttachmentSettings();
  const upload = useUploadTicketAttachment();
  const errorText = useUploadErrorText();
  const [pending, setPending] = useState(0);
  // Internal files do not go with a public reply (switching back to a note shows them again).
  const usable = filesForReply(value, visibility);

  return (
    <Space orientation="vertical" size={4} style={{ marginTop: 8 }} data-testid="reply-attachments">
      <Space size={8} wrap>
        <Upload
          multiple
          showUploadList={false}
          customRequest={({ file, onSuccess, onError }) => {
            const chosen = file as File;
            setPending((n) => n + 1);
            // mutateAsync, not mutate's callbacks: those fire for the latest call only, and
            // several files upload at once.
            void upload
              .mutateAsync({ ticketId, file: chosen, visibility })
              .then(
                (a) => {
                  onChange((files) => [...files, a]);
                  onSuccess?.(a);
                },
                (error: unknown) => {
                  void message.error(errorText(error, chosen.name));
                  onError?.(error as Error);
                },
              )
              .finally(() => setPending((n) => n - 1));
          }}
        >
          <Button icon={<PaperClipOutlined />} loading={pending > 0} data-testid="reply-attach">
            {t('attachments.attach')}
          </Button>
        </Upload>
        {settings.data && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('attachments.attachHint', { size: formatBytes(settings.data.maxFileBytes) })}
          </Typography.Text>
        )}
      </Space>
      {usable.length > 0 && (
        <Space size={[6, 6]} wrap>
          {usable.map((f) => (
            <Tooltip key={f.id} title={t('attachments.removeFromReply')}>
              <Tag
                closable
                onClose={() => onChange((files) => files.filter((x) => x.id !== f.id))}
                icon={
                  f.visibility === 'internal' ? (
                    <LockOutlined />
                  ) : (
                    <FileIcon mimeType={f.mimeType} />
                  )
                }
                data-testid="reply-attachment"
              >
                {f.filename} · {formatBytes(f.size)}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      )}
    </Space>
  );
}
