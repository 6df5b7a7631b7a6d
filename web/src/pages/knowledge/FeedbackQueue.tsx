import { useState } from 'react';
import { App, Button, Flex, Input, Segmented, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useAnswerFeedback,
  useFeedbackToRevision,
  useKbFeedback,
  type KbFeedback,
} from '../../api/kb';
import { LoadMore } from '../../layout/LoadMore';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';

/** Editors' queue: each item is answered or turned into a revision request before its deadline. */
export function FeedbackQueue() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [status, setStatus] = useState('open');
  const feedback = useKbFeedback(status);
  const answer = useAnswerFeedback();
  const revise = useFeedbackToRevision();
  const onError = useApiErrorHandler();
  const formatDate = useFormatDateTime();

  const ask = (title: string, run: (text: string) => void) => {
    let text = '';
    modal.confirm({
      title,
      content: <Input.TextArea rows={3} onChange={(e) => (text = e.target.value)} />,
      onOk: () => run(text.trim()),
    });
  };
  const done = {
    onSuccess: () => void message.success(t('kb.saved')),
    onError: (e: unknown) => onError(e),
  };

  const columns: TableColumnsType<KbFeedback> = [
    {
      title: t('kb.fields.article'),
      key: 'a',
      render: (_, f) => <Link to={`/knowledge/articles/${f.articleId}`}>{f.articleTitle}</Link>,
    },
    { title: t('kb.feedback.helpful'), key: 'h', render: (_, f) => (f.helpful ? '👍' : '👎') },
    {
      title: t('kb.feedback.category'),
      key: 'c',
      render: (_, f) => (f.category ? t(`kb.feedbackCategories.${f.category}`) : ''),
    },
    { title: t('kb.feedback.comment'), dataIndex: 'comment', key: 'comment' },
    {
      title: t('kb.feedback.source'),
      key: 's',
      render: (_, f) => t(`kb.feedback.sources.${f.source}`),
    },
    {
      title: t('kb.feedback.dueAt'),
      key: 'due',
      render: (_, f) => <Tag color={f.overdue ? 'red' : undefined}>{formatDate(f.dueAt)}</Tag>,
    },
  ];
  if (status === 'open')
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, f) => (
        <Flex gap={4}>
          <Button
            size="small"
            onClick={() =>
              ask(t('kb.feedback.answer'), (a) => answer.mutate({ id: f.id, answer: a }, done))
            }
          >
            {t('kb.feedback.answer')}
          </Button>
          <Button
            size="small"
            onClick={() =>
              ask(t('kb.feedback.toRevision'), (r) => revise.mutate({ id: f.id, reason: r }, done))
            }
          >
            {t('kb.feedback.toRevision')}
          </Button>
        </Flex>
      ),
    });
  else columns.push({ title: t('kb.feedback.answer'), dataIndex: 'answer', key: 'answer' });

  return (
    <>
      <Segmented
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={['open', 'answered', 'revision_requested'].map((v) => ({
          value: v,
          label: t(`kb.feedback.statuses.${v}`),
        }))}
      />
      <Table<KbFeedback>
        rowKey="id"
        columns={columns}
        dataSource={feedback.data?.pages.flatMap((p) => p.data) ?? []}
        loading={feedback.isPending}
        pagination={false}
        data-testid="kb-feedback"
      />
      <LoadMore query={feedback} />
    </>
  );
}
