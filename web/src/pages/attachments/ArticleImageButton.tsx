import { App, Button, Upload } from 'antd';
import { PictureOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useUploadArticleImage } from '../../api/attachments';
import { useUploadErrorText } from './uploadErrors';

/** Uploads an image for an article and hands its Markdown to the editor to insert. */
export function ArticleImageButton({
  articleId,
  onInsert,
}: {
  articleId: string;
  onInsert: (markdown: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadArticleImage();
  const errorText = useUploadErrorText({ imagesOnly: true });
  return (
    <Upload
      accept="image/png,image/jpeg,image/gif,image/webp"
      showUploadList={false}
      customRequest={({ file, onSuccess, onError }) => {
        const chosen = file as File;
        // mutateAsync: each upload settles on its own (mutate's callbacks fire for the last call only).
        upload.mutateAsync({ articleId, file: chosen }).then(
          (image) => {
            onInsert(image.markdown);
            void message.success(t('attachments.imageInserted'));
            onSuccess?.(image);
          },
          (error: unknown) => {
            void message.error(errorText(error, chosen.name));
            onError?.(error as Error);
          },
        );
      }}
    >
      <Button icon={<PictureOutlined />} loading={upload.isPending} data-testid="kb-insert-image">
        {t('attachments.insertImage')}
      </Button>
    </Upload>
  );
}
