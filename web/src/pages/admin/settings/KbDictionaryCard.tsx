import { useState, type CSSProperties } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  useAddKbDictionaryWord,
  useKbDictionary,
  useRemoveKbDictionaryWord,
  useUpdateKbDictionaryWord,
  type KbDictionaryWord,
} from '../../../api/kb';
import { useApiErrorHandler } from '../../../lib/errors';
import { SettingsCard, useSettingsErrors } from './common';

/** The server's bounds (routes-dictionary.ts): at most 10 synonyms of 2–20 characters each. */
const MAX_SYNONYMS = 10;
const MIN_LENGTH = 2;
const MAX_LENGTH = 20;
/** Typing one of these ends a synonym (besides Enter): commas, the enumeration comma, a space. */
const SEPARATORS = [',', '，', '、', ' '];

/** Synonyms as typed: trimmed, without empties and repeats. */
const cleanSynonyms = (list: string[] | undefined) => [
  ...new Set((list ?? []).map((s) => s.trim()).filter(Boolean)),
];

/** The server's rules, checked before sending; `word` is the entry's own word. */
function synonymRules(t: TFunction, word: () => string | undefined): FormRule[] {
  return [
    {
      validator: async (_, value: string[] | undefined) => {
        const list = cleanSynonyms(value);
        const prefix = 'adminSettings.kb.dictionary';
        if (list.length > MAX_SYNONYMS)
          throw new Error(t(`${prefix}.tooManySynonyms`, { max: MAX_SYNONYMS }));
        const own = word()?.trim();
        if (own && list.includes(own)) throw new Error(t(`${prefix}.synonymIsWord`));
        const bad = list.find(
          (s) =>
            [...s].length < MIN_LENGTH || [...s].length > MAX_LENGTH || !/[\p{L}\p{N}]/u.test(s),
        );
        if (bad !== undefined)
          throw new Error(
            t(`${prefix}.synonymInvalid`, { synonym: bad, min: MIN_LENGTH, max: MAX_LENGTH }),
          );
      },
    },
  ];
}

/** Tags typed into a select: no dropdown, separated by Enter, commas, 、 or spaces. */
function SynonymsSelect({
  testId,
  placeholder,
  style,
  ...rest
}: {
  testId: string;
  placeholder?: string;
  style?: CSSProperties;
  value?: string[];
  onChange?: (value: string[]) => void;
  id?: string;
}) {
  return (
    <Select
      {...rest}
      mode="tags"
      open={false}
      suffixIcon={null}
      tokenSeparators={SEPARATORS}
      maxCount={MAX_SYNONYMS}
      placeholder={placeholder}
      style={style}
      data-testid={testId}
    />
  );
}

/** The text button inside an entry's tag: `储蓄卡 = 借记卡、…`; opens the synonyms editor. */
const entryButton: CSSProperties = {
  padding: 0,
  border: 0,
  background: 'none',
  font: 'inherit',
  color: 'inherit',
  cursor: 'pointer',
  textAlign: 'start',
  whiteSpace: 'normal',
  overflowWrap: 'anywhere',
};

/** Search dictionary: product and brand names the Chinese segmenter keeps whole (花呗, 借呗 …). */
export function KbDictionaryCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ word: string; synonyms?: string[] }>();
  const words = useKbDictionary();
  const add = useAddKbDictionaryWord();
  const remove = useRemoveKbDictionaryWord();
  const onError = useSettingsErrors();
  const apiError = useApiErrorHandler();
  const [editing, setEditing] = useState<KbDictionaryWord | null>(null);

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
            style={{ whiteSpace: 'normal', maxWidth: '100%', marginInlineEnd: 0 }}
            data-testid={`kb-dictionary-entry-${w.word}`}
            onClose={(e) => {
              e.preventDefault();
              remove.mutate(w.id, {
                onSuccess: () => void message.success(t('adminSettings.kb.dictionary.removed')),
                onError: (err) => apiError(err),
              });
            }}
          >
            <button
              type="button"
              style={entryButton}
              title={t('adminSettings.kb.dictionary.edit')}
              onClick={() => setEditing(w)}
            >
              {w.synonyms.length > 0
                ? `${w.word} = ${w.synonyms.join(t('adminSettings.kb.dictionary.separator'))}`
                : w.word}
            </button>
          </Tag>
        ))}
      </Space>
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 12 }}
        onFinish={({ word, synonyms }) =>
          add.mutate(
            { word: word.trim(), synonyms: cleanSynonyms(synonyms) },
            {
              onSuccess: (r) => {
                form.resetFields();
                void message.success(
                  t('adminSettings.kb.dictionary.added', { count: r.data.reindexed }),
                );
              },
              onError: (e) => onError(e, form),
            },
          )
        }
      >
        <Form.Item
          name="word"
          label={t('adminSettings.kb.dictionary.word')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input
            maxLength={MAX_LENGTH}
            placeholder={t('adminSettings.kb.dictionary.placeholder')}
            data-testid="kb-dictionary-word"
          />
        </Form.Item>
        <Form.Item
          name="synonyms"
          label={t('adminSettings.kb.dictionary.synonyms')}
          dependencies={['word']}
          rules={synonymRules(t, () => form.getFieldValue('word') as string | undefined)}
          // Shrinks with a phone's width instead of pushing out of the card.
          style={{ width: 360, maxWidth: '100%' }}
        >
          <SynonymsSelect
            testId="kb-dictionary-synonyms"
            placeholder={t('adminSettings.kb.dictionary.synonymsPlaceholder')}
            style={{ width: '100%' }}
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
      {editing && (
        <SynonymsModal key={editing.id} entry={editing} onClosed={() => setEditing(null)} />
      )}
    </SettingsCard>
  );
}

/** Edits one entry's synonyms (PATCH replaces them). Mounted per opening: a fresh form each time. */
function SynonymsModal({ entry, onClosed }: { entry: KbDictionaryWord; onClosed: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ synonyms?: string[] }>();
  const [open, setOpen] = useState(true);
  const update = useUpdateKbDictionaryWord();
  const onError = useSettingsErrors();

  return (
    <Modal
      open={open}
      title={t('adminSettings.kb.dictionary.editTitle', { word: entry.word })}
      okText={t('common.save')}
      onOk={() => form.submit()}
      onCancel={() => setOpen(false)}
      afterClose={onClosed}
      confirmLoading={update.isPending}
      okButtonProps={
        { 'data-testid': 'kb-dictionary-save-synonyms' } as Record<`data-${string}`, string>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ synonyms: entry.synonyms }}
        onFinish={({ synonyms }) => {
          const next = cleanSynonyms(synonyms);
          // Unchanged: nothing to save (and nothing to re-index).
          if (next.join('\n') === entry.synonyms.join('\n')) return setOpen(false);
          update.mutate(
            { id: entry.id, synonyms: next },
            {
              onSuccess: (r) => {
                setOpen(false);
                void message.success(
                  t('adminSettings.kb.dictionary.synonymsSaved', { count: r.data.reindexed }),
                );
              },
              onError: (e) => onError(e, form),
            },
          );
        }}
      >
        <Form.Item
          name="synonyms"
          label={t('adminSettings.kb.dictionary.synonyms')}
          extra={t('adminSettings.kb.dictionary.synonymsHint', {
            word: entry.word,
            max: MAX_SYNONYMS,
          })}
          rules={synonymRules(t, () => entry.word)}
        >
          <SynonymsSelect
            testId="kb-dictionary-edit-synonyms"
            placeholder={t('adminSettings.kb.dictionary.synonymsPlaceholder')}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
