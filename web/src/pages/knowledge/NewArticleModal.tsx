import { App, Button, Empty, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAbilities } from '../../api/auth';
import {
  ARTICLE_TYPES,
  AUDIENCES,
  useCreateArticle,
  useKbCategories,
  type NewArticle,
} from '../../api/kb';
import { useApiErrorHandler } from '../../lib/errors';
import { useKbLabels } from './labels';

export function NewArticleModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewArticle>();
  const categories = useKbCategories();
  const create = useCreateArticle();
  const onError = useApiErrorHandler();
  const navigate = useNavigate();
  const label = useKbLabels();
  const can = useAbilities();
  const open_ = (categories.data ?? []).filter((c) => !c.archived);
  if (open && categories.data && open_.length === 0)
    // A workspace without the demo has no categories: say where they are made (issue 9).
    return (
      <Modal title={t('kb.create')} open onCancel={onClose} footer={null} destroyOnHidden>
        <Empty description={t('kb.noCategories')} data-testid="kb-new-no-categories">
          {can('kb.categories.write') && (
            <Link to="/admin/lists/kb-categories" onClick={onClose}>
              <Button type="primary" data-testid="kb-new-manage-categories">
                {t('kb.manageCategories')}
              </Button>
            </Link>
          )}
        </Empty>
      </Modal>
    );
  return (
    <Modal
      title={t('kb.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<NewArticle>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ type: 'faq', language: 'zh-CN', audience: 'internal', tags: [] }}
        onFinish={(values) =>
          create.mutate(values, {
            onSuccess: (article) => {
              void message.success(t('kb.created'));
              onClose();
              void navigate(`/knowledge/articles/${article.id}`);
            },
            onError: (e) => onError(e, form),
          })
        }
        data-testid="kb-new-form"
      >
        <Form.Item
          name="title"
          label={t('kb.fields.title')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="categoryId"
          label={t('kb.fields.category')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            loading={categories.isLoading}
            options={open_.map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="type" label={t('kb.fields.type')}>
          <Select options={ARTICLE_TYPES.map((v) => ({ value: v, label: label.type(v) }))} />
        </Form.Item>
        <Form.Item name="language" label={t('kb.fields.language')}>
          <Select
            options={[
              { value: 'zh-CN', label: '中文' },
              { value: 'en-US', label: 'English' },
            ]}
          />
        </Form.Item>
        <Form.Item name="audience" label={t('kb.fields.audience')}>
          <Select options={AUDIENCES.map((v) => ({ value: v, label: label.audience(v) }))} />
        </Form.Item>
        <Form.Item name="tags" label={t('kb.fields.tags')}>
          <Select mode="tags" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
