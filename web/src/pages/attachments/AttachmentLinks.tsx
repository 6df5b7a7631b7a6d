import { Space, Tag, Typography } from 'antd';
import {
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  FileZipOutlined,
  LockOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { attachmentUrl, type AttachmentRef } from '../../api/attachments';
import { formatBytes } from './uploadErrors';

export function FileIcon({ mimeType }: { mimeType: string }) {
  if (mimeType.startsWith('image/')) return <FileImageOutlined />;
  if (mimeType === 'application/pdf') return <FilePdfOutlined />;
  if (mimeType === 'application/zip') return <FileZipOutlined />;
  if (mimeType.startsWith('text/')) return <FileTextOutlined />;
  return <FileOutlined />;
}

/**
 * Files named by a timeline entry. Staff get download links; the customer view shows names only
 * (the download route is for staff; the portal serves its own).
 */
export function AttachmentLinks({
  files,
  audience = 'staff',
}: {
  files: AttachmentRef[];
  audience?: 'staff' | 'customer';
}) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <Space orientation="vertical" size={2} style={{ marginTop: 6 }} data-testid="attachment-links">
      {files.map((f) => (
        <Space key={f.id} size={6}>
          <FileIcon mimeType={f.mimeType} />
          {audience === 'staff' ? (
            <Typography.Link
              href={attachmentUrl(f.id)}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="attachment-link"
            >
              {f.filename}
            </Typography.Link>
          ) : (
            <Typography.Text>{f.filename}</Typography.Text>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatBytes(f.size)}
          </Typography.Text>
          {audience === 'staff' && f.visibility === 'internal' && (
            <Tag color="gold" icon={<LockOutlined />}>
              {t('attachments.internal')}
            </Tag>
          )}
        </Space>
      ))}
    </Space>
  );
}

/** `data.attachment` (an upload) and `data.attachments` (a reply's files) of a timeline entry. */
export function attachmentsOf(data: Record<string, unknown> | undefined): AttachmentRef[] {
  if (!data) return [];
  const one = data.attachment as AttachmentRef | undefined;
  const many = Array.isArray(data.attachments) ? (data.attachments as AttachmentRef[]) : [];
  return [...(one?.id ? [one] : []), ...many];
}
