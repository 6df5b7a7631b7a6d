import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Shows a freshly created token's secret exactly once. */
export function TokenSecretModal({
  secret,
  onClose,
}: {
  secret: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      title={t('tokens.secretTitle')}
      open={secret !== null}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="secret-done">
          {t('tokens.secretDone')}
        </Button>
      }
    >
      <Alert
        type="warning"
        showIcon
        title={t('tokens.secretWarning')}
        style={{ marginBottom: 16 }}
      />
      <Typography.Paragraph
        code
        copyable={{
          text: secret ?? '',
          tooltips: [t('common.copy'), t('common.copied')],
        }}
        style={{ wordBreak: 'break-all' }}
        data-testid="token-secret"
      >
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
