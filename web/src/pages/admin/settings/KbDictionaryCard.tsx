import { App, Button, Form, Input, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useAddKbDictionaryWord,
  useKbDictionary,
  useRemoveKbDictionaryWord,
} from '../../../api/kb';
import { SettingsCard, useSettingsErrors } from './common';

/** Search dictionary: product and brand names the Chinese segmenter keeps whole (花呗, 借呗 …). */
export function KbDictionaryCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ word: string }>();
  const words = useKbDictionary();
  const add = useAddKbDictionaryWord();
  const remove = useRemoveKbDictionaryWord();
  const onError = useSettingsErrors();

  return (
    <SettingsCard
      title={t('adminSettings.kb.dictionary.title')}
      intro={t('adminSettings.kb.dictionary.intro')}
      query={words}
      testId="kb-dictionary"
    >
      <Space wrap style={{ marginBottom: 16 }} data-testid="kb-dictionary-words">
        {words.data?.length === 0 && <span>{t('adminSettings.kb.dictionary.empty')}</span>}
        {words.data?.map((w) => (
          <Tag
            key={w.id}
            closable
            onClose={(e) => {
              e.preventDefault();
              remove.mutate(w.id, {
                onSuccess: () => void message.success(t('adminSettings.kb.dictionary.removed')),
              });
            }}
          >
            {w.word}
          </Tag>
        ))}
      </Space>
      <Form
        form={form}
        layout="inline"
        onFinish={({ word }) =>
          add.mutate(word, {
            onSuccess: (r) => {
              form.resetFields();
              void message.success(
                t('adminSettings.kb.dictionary.added', { count: r.data.reindexed }),
              );
            },
            onError: (e) => onError(e, form),
          })
        }
      >
        <Form.Item
          name="word"
          label={t('adminSettings.kb.dictionary.word')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input
            maxLength={20}
            placeholder={t('adminSettings.kb.dictionary.placeholder')}
            data-testid="kb-dictionary-word"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={add.isPending}
          data-testid="kb-dictionary-add"
        >
          {t('adminSettings.kb.dictionary.add')}
        </Button>
      </Form>
    </SettingsCard>
  );
}
