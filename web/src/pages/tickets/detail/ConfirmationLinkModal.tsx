import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConfirmationLink } from '../../../api/ticketTypes';
import { useFormatDateTime } from '../../../lib/format';

/**
 * Shown once after resolving: where the confirmation link went, and the link itself so the
 * agent can also send it by SMS or WeChat. The server shows it only in this answer.
 */
export function ConfirmationLinkModal({
  link,
  onClose,
}: {
  link: ConfirmationLink | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDateTime();
  return (
    <Modal
      title={t('tickets.confirmation.title')}
      open={link !== null}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText={t('tickets.confirmation.done')}
      destroyOnHidden
      data-testid="confirmation-link-modal"
    >
      {link && (
        <>
          <Alert
            type={link.sentTo ? 'success' : 'warning'}
            showIcon
            style={{ marginBottom: 16 }}
            title={
              link.sentTo
                ? t('tickets.confirmation.sentTo', { to: link.sentTo })
                : t('tickets.confirmation.noEmail')
            }
          />
          <Typography.Paragraph>{t('tickets.confirmation.shareHint')}</Typography.Paragraph>
          <Typography.Paragraph
            copyable={{ text: link.url }}
            code
            style={{ wordBreak: 'break-all' }}
            data-testid="confirmation-url"
          >
            {link.url}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            {t('tickets.confirmation.expires', { at: formatDate(link.expiresAt) })}
          </Typography.Text>
        </>
      )}
    </Modal>
  );
}
