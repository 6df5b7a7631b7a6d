import { App, Button, Typography, Upload, type UploadFile } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useUploadToRequest, type PortalAttachment } from '../../api/portal';
import { useUploadErrorText } from '../attachments/uploadErrors';

/** Files chosen in a form, sent only when the form is sent. */
export type ChosenFiles = UploadFile[];

export const filesOf = (chosen: ChosenFiles): File[] =>
  chosen.flatMap((f) => (f.originFileObj ? [f.originFileObj as File] : []));

/**
 * The paper clip of the new-request form and the reply box: files are kept in the browser and
 * uploaded when the form is sent (a new request has no number to attach them to before that).
 */
export function PortalFilePicker({
  value,
  onChange,
  disabled,
  testId,
}: {
  value: ChosenFiles;
  onChange: (files: ChosenFiles) => void;
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div data-testid={testId} style={{ marginBottom: 16 }}>
      <Upload
        multiple
        disabled={disabled}
        fileList={value}
        beforeUpload={() => false}
        onChange={({ fileList }) => onChange(fileList)}
      >
        <Button icon={<PaperClipOutlined />} disabled={disabled}>
          {t('portal.files.attach')}
        </Button>
      </Upload>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('portal.files.hint')}
      </Typography.Text>
    </div>
  );
}

/**
 * Uploads files to a request one after another. A refused file (413 / 415) is reported by name
 * and the others still go; answers the files that arrived.
 */
export function useSendFiles() {
  const upload = useUploadToRequest();
  const { message } = App.useApp();
  const errorText = useUploadErrorText();
  return async (requestId: string, files: File[]): Promise<PortalAttachment[]> => {
    const sent: PortalAttachment[] = [];
    for (const file of files) {
      try {
        sent.push(await upload.mutateAsync({ requestId, file }));
      } catch (error) {
        void message.error(errorText(error, file.name));
      }
    }
    return sent;
  };
}
