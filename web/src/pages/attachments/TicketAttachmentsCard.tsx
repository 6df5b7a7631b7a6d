import { Card, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import { LockOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useTicketAttachments, type Attachment } from '../../api/attachments';
import { useFormatDateTime } from '../../lib/format';
import { QueryError } from '../errors/QueryError';
import { FileIcon } from './AttachmentLinks';
import { formatBytes } from './uploadErrors';

/** Every file of a ticket, newest last, with download links. */
export function TicketAttachmentsCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const files = useTicketAttachments(ticketId);
  const formatDate = useFormatDateTime();
  const who = (a: Attachment) =>
    a.uploadedBy.name ??
    t(a.uploadedBy.kind === 'customer' ? 'attachments.customer' : 'attachments.system');

  return (
    <Card
      size="small"
      title={
        <Space>
          <PaperClipOutlined />
          {t('attachments.title')}
          {files.data && files.data.length > 0 && <Tag>{files.data.length}</Tag>}
        </Space>
      }
      data-testid="ticket-attachments"
    >
      {files.isPending && <Skeleton active paragraph={{ rows: 2 }} />}
      {files.isError && <QueryError error={files.error} onRetry={() => void files.refetch()} />}
      {files.data && files.data.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachments.empty')} />
      )}
      {files.data && files.data.length > 0 && (
        <List
          size="small"
          dataSource={files.data}
          renderItem={(a) => (
            <List.Item key={a.id} data-testid="ticket-attachment">
              <List.Item.Meta
                avatar={<FileIcon mimeType={a.mimeType} />}
                title={
                  <Space size={6} wrap>
                    <Typography.Link href={a.url} target="_blank" rel="noopener noreferrer">
                      {a.filename}
                    </Typography.Link>
                    {a.visibility === 'internal' && (
                      <Tag color="gold" icon={<LockOutlined />}>
                        {t('attachments.internal')}
                      </Tag>
                    )}
                  </Space>
                }
                description={`${formatBytes(a.size)} · ${t('attachments.uploadedBy', {
                  name: who(a),
                  time: formatDate(a.createdAt),
                })}`}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
